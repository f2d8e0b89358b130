/**
 * The stage's caption: what the step that led here did, what QEMU said
 * (QMP events with their data, answers, stderr), and which netdevs changed
 * state. Text only, from the trace's stage data.
 */
import { h, type VNode } from '../dom/h.ts';
import type { StageSaid, Trace } from '../trace/types.ts';
import { shortState } from './picture.ts';

/** One thing QEMU said, as the caption writes it. */
export function saidText(s: StageSaid): string {
  switch (s.kind) {
    case 'event':
      return `${s.name} {${s.text}}${s.delivered ? '' : ' (lost: no QMP client had negotiated)'}`;
    case 'return':
      return `return ${s.text}`;
    case 'error':
      return `error ${s.name}: ${s.text}`;
    default:
      return s.name === 'exit' ? s.text : `stderr: ${s.text}`;
  }
}

export function captionView(trace: Trace, k: number): VNode {
  const st = trace.positions[k]!.stage;
  const events = st.said.filter((s) => s.kind === 'event');
  const other = st.said.filter((s) => s.kind !== 'event');
  const changes = st.changes.map((c) =>
    c.from === '' ? `${c.netdev} created: ${shortState(c.to)}` : `${c.netdev}: ${shortState(c.from)} → ${shortState(c.to)}`,
  );
  return h(
    'div',
    { class: 'nsl-cap-body' },
    h(
      'span',
      { class: 'nsl-cap-did' },
      h('span', { class: 'nsl-cap-what' }, st.did),
      h('span', { class: 'nsl-cap-arrow', 'aria-hidden': 'true' }, ' → '),
      events.length === 0
        ? h('span', { class: 'nsl-cap-quiet' }, other.some((s) => s.kind === 'return' || s.kind === 'error') ? 'QEMU answers, no event' : 'QEMU says nothing')
        : events.map((s, i) => [i > 0 && ', then ', h('code', { class: `nsl-cap-event${s.delivered ? '' : ' nsl-ev-lost'}` }, saidText(s))]),
    ),
    (other.length > 0 || changes.length > 0) &&
      h(
        'div',
        { class: 'nsl-cap-more' },
        changes.length > 0 && h('span', { class: 'nsl-cap-change' }, changes.join('; ')),
        other.map((s) => h('code', { class: `nsl-cap-said nsl-cap-${s.kind}` }, saidText(s))),
      ),
  );
}
