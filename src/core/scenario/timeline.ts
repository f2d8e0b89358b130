/**
 * The timeline the recordings were made on (scenario-format.md, "Time"):
 * QEMU starts at t = 0 and the QMP client negotiates at once; 150 ms pass
 * after the negotiation and after every step (a wait step first lets its
 * own time pass); after the last step's 150 ms, 300 ms more, then the
 * recording stops.
 */
import type { Step } from './schema.ts';

export const STEP_GAP_MS = 150;
export const TAIL_MS = 300;

export interface Timeline {
  /** When each step starts. */
  starts: number[];
  /** When the window after step i ends (the next step's start, or the end). */
  ends: number[];
  /** When the transcript ends. */
  end: number;
}

export function waitOf(step: Step): number {
  return 'wait' in step ? step.wait : 0;
}

export function timeline(steps: readonly Step[]): Timeline {
  const starts: number[] = [];
  const ends: number[] = [];
  let t = STEP_GAP_MS;
  for (const s of steps) {
    starts.push(t);
    t += waitOf(s) + STEP_GAP_MS;
    ends.push(t);
  }
  const end = t + TAIL_MS;
  if (ends.length > 0) ends[ends.length - 1] = end;
  return { starts, ends, end };
}

/** When the window before the first step ends. */
export function firstStepAt(steps: readonly Step[]): number {
  return steps.length > 0 ? STEP_GAP_MS : STEP_GAP_MS + TAIL_MS;
}
