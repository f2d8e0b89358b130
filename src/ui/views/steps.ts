/** The scenario's steps as a list to jump through; the current one is marked. */
import { h, srOnly, type VNode } from '../dom/h.ts';
import type { Trace } from '../trace/types.ts';
import { ms } from './format.ts';

export function stepsView(trace: Trace, position: number, editable: boolean): VNode {
  const start = h(
    'li',
    { 'data-pos': 0, 'aria-current': position === 0 ? 'step' : null },
    h('button', { type: 'button', class: 'nsl-goto', 'data-goto': 0 }, 'Start: QEMU starts, the QMP client negotiates'),
    h('span', { class: 'nsl-t' }, ms(0)),
  );
  const items = trace.steps.map((s, i) => {
    const k = i + 1;
    const reachable = k <= trace.last;
    return h(
      'li',
      { 'data-pos': k, 'aria-current': position === k ? 'step' : null, class: `nsl-kind-${s.kind}` },
      h('button', { type: 'button', class: 'nsl-goto', 'data-goto': k, disabled: !reachable }, `${k}. ${s.text}`),
      h('span', { class: 'nsl-t' }, ms(s.start)),
      editable && h('button', { type: 'button', class: 'nsl-remove', 'data-remove': k }, 'Remove', srOnly(` step ${k}`)),
    );
  });
  return h('ol', { class: 'nsl-steps', start: 0 }, start, items);
}
