/**
 * Frames QEMU reassembled from its stream, up to a position. One frame is
 * shown in detail: the 4-byte length prefix, then the Ethernet header
 * (destination, source, EtherType) and the payload, each a button that
 * marks its bytes in the hex view beside it.
 */
import { h, type VNode } from '../dom/h.ts';
import type { Trace, TraceFrame } from '../trace/types.ts';
import { ms, plural } from './format.ts';

export interface FrameField {
  key: string;
  name: string;
  /** Byte range in the shown bytes (length prefix included), end exclusive. */
  from: number;
  to: number;
  value: string;
}

const ETHERTYPES: Record<number, string> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x86dd: 'IPv6',
  0x8100: '802.1Q VLAN tag',
  0x88cc: 'LLDP',
};

function hexBytes(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

const mac = (b: number[]) => b.map((x) => x.toString(16).padStart(2, '0')).join(':');

/** The bytes as they crossed the socket: length prefix, then the frame's first bytes. */
export function frameBytes(f: TraceFrame): number[] {
  const n = f.length >>> 0;
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255, ...hexBytes(f.head ?? '')];
}

export function frameFields(f: TraceFrame): FrameField[] {
  const b = frameBytes(f);
  const fields: FrameField[] = [{ key: 'len', name: 'Length prefix', from: 0, to: 4, value: `${f.length} (big-endian, 4 bytes)` }];
  const have = b.length;
  if (have >= 10) fields.push({ key: 'dst', name: 'Destination', from: 4, to: 10, value: mac(b.slice(4, 10)) });
  if (have >= 16) fields.push({ key: 'src', name: 'Source', from: 10, to: 16, value: mac(b.slice(10, 16)) });
  if (have >= 18) {
    const type = (b[16]! << 8) | b[17]!;
    const name = type <= 1500 ? 'an 802.3 length' : (ETHERTYPES[type] ?? 'unknown');
    fields.push({ key: 'type', name: 'EtherType', from: 16, to: 18, value: `0x${type.toString(16).padStart(4, '0')} (${name})` });
  }
  if (f.length > 14) {
    const shown = Math.max(0, have - 18);
    fields.push({
      key: 'data',
      name: 'Payload',
      from: 18,
      to: have,
      value: `${plural(f.length - 14, 'byte')}${shown < f.length - 14 ? `, the first ${shown} shown` : ''}`,
    });
  }
  return fields;
}

export function framesAt(trace: Trace, position: number): TraceFrame[] {
  return trace.frames.slice(0, trace.positions[position]?.frames ?? 0);
}

export function framesView(trace: Trace, position: number, selected: number | null): VNode {
  const frames = framesAt(trace, position);
  if (frames.length === 0) return h('p', { class: 'nsl-empty' }, 'No frame has reached QEMU yet.');
  const index = selected !== null && selected < frames.length ? selected : frames.length - 1;
  const f = frames[index]!;
  const fields = frameFields(f);
  const bytes = frameBytes(f);
  const fieldAt = (i: number) => fields.find((x) => i >= x.from && i < x.to)?.key ?? 'data';
  const rows: VNode[] = [];
  for (let r = 0; r < bytes.length; r += 16) {
    rows.push(
      h(
        'div',
        { class: 'nsl-hex-row' },
        h('span', { class: 'nsl-hex-off', 'aria-hidden': 'true' }, r.toString(16).padStart(4, '0')),
        bytes.slice(r, r + 16).map((b, j) =>
          h('span', { class: `nsl-byte nsl-f-${fieldAt(r + j)}`, 'data-field': fieldAt(r + j) }, b.toString(16).padStart(2, '0')),
        ),
      ),
    );
  }
  return h(
    'div',
    { class: 'nsl-frames' },
    h(
      'div',
      { class: 'nsl-frame-pick' },
      h('p', null, `${plural(frames.length, 'frame')} reached QEMU by this step.`),
      h(
        'ol',
        { class: 'nsl-frame-list' },
        frames.map((fr, i) =>
          h(
            'li',
            null,
            h(
              'button',
              { type: 'button', 'data-frame': i, 'aria-pressed': i === index ? 'true' : 'false' },
              `Frame ${i + 1}: ${plural(fr.length, 'byte')} for ${fr.netdev} at ${ms(fr.t)}`,
            ),
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'nsl-frame-detail' },
      h(
        'ul',
        { class: 'nsl-fields', 'aria-label': `Fields of frame ${index + 1}` },
        fields.map((x) =>
          h(
            'li',
            { class: `nsl-f-${x.key}` },
            h('button', { type: 'button', 'data-field-button': x.key, 'aria-pressed': 'false' }, `${x.name}, bytes ${x.from}–${x.to - 1}`),
            ' ',
            h('code', null, x.value),
          ),
        ),
      ),
      // Focusable: on a narrow screen its rows scroll sideways, from the keyboard too.
      h('div', { class: 'nsl-hex', role: 'group', tabindex: 0, 'aria-label': `Bytes of frame ${index + 1}, length prefix first` }, rows),
    ),
  );
}
