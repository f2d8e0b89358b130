/**
 * A run's transcript as rows for a page: the QMP lines in QMP's own
 * notation (`-> {...}` sent by the client, `<- {...}` sent by QEMU), with
 * comment rows saying what each scenario step did and when, and rows for
 * events QEMU emitted while no negotiated client was there to get them.
 */
import { timeline } from '../../core/scenario/timeline.ts';
import type { TranscriptEntry } from '../../core/qmp/types.ts';
import { toLine } from '../../core/transcript/format.ts';
import { describeStep, type Run } from './runs.ts';

export type Row =
  | { kind: 'line'; index: number; dir: '->' | '<-' | 'exit'; text: string; highlight: boolean }
  | { kind: 'comment'; text: string };

/** The text a transcript entry is shown as: `-> JSON`, `<- JSON`, or the exit object as JSON. */
export function lineText(e: TranscriptEntry): string {
  if ('exit' in e) return JSON.stringify(toLine(e));
  return `${e.dir} ${JSON.stringify(e.msg)}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

export interface RowOptions {
  highlight?: readonly number[];
  /** Add a comment for each event that was emitted but not delivered. */
  showLost?: boolean;
}

export function transcriptRows(run: Run, opts: RowOptions = {}): Row[] {
  const rows: Row[] = [];
  const hl = new Set(opts.highlight ?? []);
  const steps = run.scenario.steps;
  const starts = timeline(steps).starts;
  const lost = opts.showLost ? run.events.filter((e) => !e.delivered) : [];
  const lostRow = (e: (typeof lost)[number]): Row => ({
    kind: 'comment',
    text: `# ${seconds(e.t)}: ${e.event} for ${String(e.data['netdev-id'] ?? '?')} was emitted but not delivered: no client had negotiated`,
  });
  const emitLostBefore = (t: number) => {
    while (lost.length > 0 && lost[0]!.t < t) rows.push(lostRow(lost.shift()!));
  };

  if (run.commandLine.length > 0) {
    for (const opt of run.commandLine) rows.push({ kind: 'comment', text: `# QEMU ${run.release} starts with -netdev ${opt}` });
  } else {
    rows.push({ kind: 'comment', text: `# QEMU ${run.release} starts with no netdev` });
  }
  const byStep = new Map<number, number[]>();
  run.transcript.forEach((e, i) => byStep.set(e.step, [...(byStep.get(e.step) ?? []), i]));
  const push = (i: number) => {
    const e = run.transcript[i]!;
    emitLostBefore(e.t);
    rows.push({ kind: 'line', index: i, dir: 'exit' in e ? 'exit' : e.dir, text: lineText(e), highlight: hl.has(i) });
  };
  for (const i of byStep.get(0) ?? []) push(i);
  // An exit line in the start-up window means QEMU never got to the steps (quit's exit comes in its step).
  if (run.transcript.some((e) => 'exit' in e && e.step === 0)) {
    rows.push({ kind: 'comment', text: '# QEMU exited during start-up: no QMP greeting, the steps never run' });
    return rows;
  }
  steps.forEach((step, k) => {
    emitLostBefore(starts[k]!);
    rows.push({ kind: 'comment', text: `# ${seconds(starts[k]!)}: step ${k + 1}, ${describeStep(step)}` });
    for (const i of byStep.get(k + 1) ?? []) push(i);
  });
  emitLostBefore(Infinity);
  return rows;
}
