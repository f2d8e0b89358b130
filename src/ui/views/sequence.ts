/**
 * A sequence diagram of what happened up to a position: the QMP client,
 * QEMU and every peer as lifelines; QMP commands, replies and events from
 * the transcript; connects, frames and closes from the peers' steps.
 * Messages of the current step are marked.
 */
import { h, type VNode } from '../dom/h.ts';
import type { Trace } from '../trace/types.ts';
import { ms } from './format.ts';

interface Message {
  t: number;
  from: string;
  to: string;
  label: string;
  kind: 'command' | 'reply' | 'error' | 'event' | 'lost' | 'peer' | 'note';
  isNew: boolean;
}

const CLIENT = 'QMP client';
const QEMU = 'QEMU';
const COL = 150;
const ROW = 30;
const TOP = 44;
const LEFT = 70;
const MAX_LABEL = 30;

const short = (s: string) => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);

/** Lifelines: client, QEMU, then peers in the order they first appear. */
export function lifelines(trace: Trace): string[] {
  const peers: string[] = [];
  for (const s of trace.steps) if (s.peer !== null && !peers.includes(s.peer)) peers.push(s.peer);
  return [CLIENT, QEMU, ...peers.map((p) => `peer ${p}`)];
}

export function messagesAt(trace: Trace, position: number): Message[] {
  const p = trace.positions[position];
  if (!p) return [];
  const out: { m: Message; order: number }[] = [];
  let order = 0;
  // Who listens where, as peers' listen steps say; connects to those go to the peer.
  const listening = new Map<string, string>();
  const target = new Map<string, string>();
  trace.steps.slice(0, position).forEach((s, i) => {
    const isNew = i + 1 === position;
    const from = `peer ${s.peer}`;
    const push = (to: string, label: string, kind: Message['kind'] = 'peer') =>
      out.push({ m: { t: s.start, from, to, label, kind, isNew }, order: order++ });
    switch (s.kind) {
      case 'listen':
        listening.set(s.address ?? '', from);
        push(from, `listen ${s.address ?? ''}`, 'note');
        break;
      case 'connect': {
        const to = listening.get(s.address ?? '') ?? QEMU;
        target.set(from, to);
        push(to, `connect ${s.address ?? ''}`);
        break;
      }
      case 'send':
      case 'send-raw':
        push(target.get(from) ?? QEMU, s.text.replace(/^peer \S+ /, ''));
        break;
      case 'close':
        push(target.get(from) ?? QEMU, 'close');
        for (const [addr, who] of listening) if (who === from) listening.delete(addr);
        break;
      case 'wait':
        out.push({ m: { t: s.start, from: CLIENT, to: CLIENT, label: s.text, kind: 'note', isNew }, order: order++ });
        break;
    }
  });
  trace.transcript.slice(0, p.transcript).forEach((e) => {
    const isNew = e.step === position && position > 0;
    let m: Message;
    switch (e.kind) {
      case 'command':
        m = { t: e.t, from: CLIENT, to: QEMU, label: e.label, kind: 'command', isNew };
        break;
      case 'event':
        m = { t: e.t, from: QEMU, to: CLIENT, label: e.label, kind: 'event', isNew };
        break;
      case 'error':
        m = { t: e.t, from: QEMU, to: CLIENT, label: `error: ${e.label}`, kind: 'error', isNew };
        break;
      case 'exit':
        m = { t: e.t, from: QEMU, to: QEMU, label: 'QEMU exits', kind: 'note', isNew };
        break;
      default:
        m = { t: e.t, from: QEMU, to: CLIENT, label: e.label, kind: 'reply', isNew };
    }
    out.push({ m, order: order++ });
  });
  trace.events.slice(0, p.events).forEach((ev) => {
    if (ev.delivered) return;
    out.push({
      m: { t: ev.t, from: QEMU, to: CLIENT, label: `${ev.event} (lost)`, kind: 'lost', isNew: false },
      order: order++,
    });
  });
  // Time order; at the same instant a step comes before what it causes.
  return out.sort((a, b) => a.m.t - b.m.t || a.order - b.order).map((x) => x.m);
}

export function sequenceView(trace: Trace, position: number): VNode {
  const lanes = lifelines(trace);
  const x = (name: string) => LEFT + COL / 2 + COL * Math.max(0, lanes.indexOf(name));
  const msgs = messagesAt(trace, position);
  const width = LEFT + COL * lanes.length + 10;
  const height = TOP + ROW * Math.max(1, msgs.length) + 16;
  const heads = lanes.map((name) =>
    h(
      'g',
      { class: 'nsl-s-lane' },
      h('rect', { x: x(name) - 56, y: 4, width: 112, height: 24, rx: 5 }),
      h('text', { x: x(name), y: 20, 'text-anchor': 'middle' }, name),
      h('path', { d: `M${x(name)},28 V${height - 4}`, class: 'nsl-s-life' }),
    ),
  );
  const rows = msgs.map((m, i) => {
    const y = TOP + ROW * i + 16;
    const cls = `nsl-s-msg nsl-s-${m.kind}${m.isNew ? ' nsl-new' : ''}`;
    const time = h('text', { x: 4, y: y + 4, class: 'nsl-s-time' }, ms(m.t));
    const label = short(m.label);
    if (m.from === m.to) {
      const cx = x(m.from);
      return h(
        'g',
        { class: cls },
        time,
        h('rect', { x: cx + 6, y: y - 11, width: Math.min(COL * 1.6, label.length * 6.6 + 12), height: 18, rx: 3, class: 'nsl-s-note' }),
        h('text', { x: cx + 12, y: y + 2 }, label),
        h('title', null, m.label),
      );
    }
    const x1 = x(m.from);
    const x2 = x(m.to);
    const dir = x2 > x1 ? 1 : -1;
    const tip = x2 - dir * 2;
    return h(
      'g',
      { class: cls },
      time,
      h('path', { d: `M${x1},${y} H${tip}`, fill: 'none' }),
      h('polygon', { points: `${tip},${y} ${tip - dir * 8},${y - 4} ${tip - dir * 8},${y + 4}` }),
      h('text', { x: (x1 + x2) / 2, y: y - 5, 'text-anchor': 'middle' }, label),
      h('title', null, m.label),
    );
  });
  return h(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'nsl-seq',
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-label': `Sequence diagram: ${msgs.length} messages between ${lanes.join(', ')} up to this step`,
    },
    heads,
    rows,
  );
}
