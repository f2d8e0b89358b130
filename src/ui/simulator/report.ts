/**
 * Says what a step the reader added did: QEMU's reply, error or events,
 * frames that reached a netdev — or, when it did nothing, why. Shared by
 * the peer form, the QMP console and the actions on the picture.
 */
import type { Inserted } from './host.ts';
import { say } from './messages.ts';
import { outcomeOf, outcomeSentence, whyNothing, type StepOutcome } from './outcome.ts';

export interface Report {
  kind: 'ok' | 'info';
  text: string;
  outcome: StepOutcome;
}

/** The sentence for a step just added: "Added step 3: peer p closes … QEMU: NETDEV_STREAM_DISCONNECTED (netdev c0)." */
export function reportOf(ins: Inserted, lead = `Added step ${ins.step}: ${ins.result.trace.steps[ins.step - 1]?.text ?? ''}.`): Report {
  const { trace, scenario } = ins.result;
  const outcome = outcomeOf(trace, ins.step);
  const step = scenario.steps[ins.step - 1];
  const why = step ? whyNothing(trace, ins.step, step) : null;
  if (why !== null) return { kind: 'info', text: `${lead} It did nothing: ${why} Undo (Ctrl+Z) takes the step back.`, outcome };
  return { kind: outcome.notes.some((n) => n.kind === 'error') ? 'info' : 'ok', text: `${lead} ${outcomeSentence(outcome)}`.trim(), outcome };
}

export function sayReport(el: Element | null, r: Report): void {
  say(el, r.kind, r.text);
}
