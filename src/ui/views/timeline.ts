/**
 * The timeline: simulated time left to right, a tick per step, a mark per
 * QMP event (delivered or lost), the current step's window and a slider
 * thumb. The player moves the thumb and window without re-rendering.
 */
import { h, type VNode } from '../dom/h.ts';
import type { Trace } from '../trace/types.ts';
import { ms } from './format.ts';

/** When position k begins: 0 for the start, else when step k runs. */
export function positionTime(trace: Trace, k: number): number {
  return k <= 0 ? 0 : (trace.steps[k - 1]?.start ?? trace.end);
}

/** The position showing simulated time t: the last step that ran by then. */
export function positionAtTime(trace: Trace, t: number): number {
  let k = 0;
  for (let i = 1; i <= trace.last; i++) if (positionTime(trace, i) <= t) k = i;
  return k;
}

const pct = (trace: Trace, t: number) => `${((100 * t) / Math.max(1, trace.end)).toFixed(3)}%`;

export function sliderText(trace: Trace, k: number): string {
  return k === 0 ? `Start, ${ms(0)}` : `Step ${k} of ${trace.stepCount}, ${ms(positionTime(trace, k))}: ${trace.steps[k - 1]?.text ?? ''}`;
}

export function windowStyle(trace: Trace, k: number): string {
  const a = positionTime(trace, k);
  const b = k + 1 <= trace.last ? positionTime(trace, k + 1) : trace.end;
  return `left:${pct(trace, a)};width:${pct(trace, Math.max(0, b - a))}`;
}

export function timelineView(trace: Trace, position: number): VNode {
  const eventClass = (name: string) =>
    name === 'NETDEV_STREAM_CONNECTED' ? 'nsl-ev-up' : name === 'NETDEV_STREAM_DISCONNECTED' ? 'nsl-ev-down' : 'nsl-ev-other';
  return h(
    'div',
    { class: 'nsl-tl' },
    h(
      'div',
      { class: 'nsl-tl-track', 'data-tl-track': '' },
      h('span', { class: 'nsl-tl-window', 'data-tl-window': '', style: windowStyle(trace, position), 'aria-hidden': 'true' }),
      trace.steps.map((s, i) =>
        h('span', { class: 'nsl-tl-step', style: `left:${pct(trace, s.start)}`, title: `Step ${i + 1} at ${ms(s.start)}: ${s.text}`, 'aria-hidden': 'true' }),
      ),
      trace.events.map((e) =>
        h('span', {
          class: `nsl-tl-ev ${eventClass(e.event)}${e.delivered ? '' : ' nsl-ev-lost'}`,
          style: `left:${pct(trace, e.t)}`,
          title: `${e.event}${e.netdev ? ` (${e.netdev})` : ''} at ${ms(e.t)}${e.delivered ? '' : ', lost: no negotiated QMP client'}`,
          'aria-hidden': 'true',
        }),
      ),
      h('span', {
        class: 'nsl-tl-thumb',
        role: 'slider',
        tabindex: 0,
        'aria-label': 'Simulated time',
        'aria-valuemin': 0,
        'aria-valuemax': trace.last,
        'aria-valuenow': position,
        'aria-valuetext': sliderText(trace, position),
        'data-tl-thumb': '',
        style: `left:${pct(trace, positionTime(trace, position))}`,
      }),
    ),
    h(
      'div',
      { class: 'nsl-tl-axis', 'aria-hidden': 'true' },
      h('span', null, ms(0)),
      h('span', { class: 'nsl-tl-legend' }, h('i', { class: 'nsl-tl-ev nsl-ev-up' }), ' connected ', h('i', { class: 'nsl-tl-ev nsl-ev-down' }), ' disconnected ', h('i', { class: 'nsl-tl-ev nsl-ev-other' }), ' other event'),
      h('span', null, ms(trace.end)),
    ),
  );
}

export { pct };
