/**
 * Edits of a scenario's steps as pure functions: a new scenario value out,
 * the old one untouched, and where the player should stand afterwards.
 * The simulator runs the result through the engine (which checks it);
 * nothing here touches the DOM, so it is tested in Node.
 */
import type { Scenario, Step } from '../../core/scenario/schema.ts';

export interface Edited {
  scenario: Scenario;
  /** The player's position after the edit. */
  position: number;
}

/**
 * Inserts `step` right after position `at` (0 = before the first step), so
 * it becomes step `at + 1`; the player moves onto it.
 */
export function insertStep(s: Scenario, at: number, step: Step): Edited {
  if (!Number.isInteger(at) || at < 0 || at > s.steps.length) {
    throw new RangeError(`cannot insert a step after position ${at}: the scenario has ${s.steps.length} steps`);
  }
  return { scenario: { ...s, steps: [...s.steps.slice(0, at), step, ...s.steps.slice(at)] }, position: at + 1 };
}

/**
 * Removes step `n` (1-based). A player past it moves back by one, so it
 * keeps showing the same later step; a player before it stays.
 */
export function removeStep(s: Scenario, n: number, position: number): Edited {
  if (!Number.isInteger(n) || n < 1 || n > s.steps.length) {
    throw new RangeError(`there is no step ${n}: the scenario has ${s.steps.length} steps`);
  }
  return { scenario: { ...s, steps: s.steps.filter((_, i) => i !== n - 1) }, position: position >= n ? position - 1 : position };
}

/** Whether two scenarios are the same value (key order included, as the JSON shows it). */
export function sameScenario(a: Scenario, b: Scenario): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
