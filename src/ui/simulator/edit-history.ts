/**
 * Undo and redo of scenario edits, as immutable stacks. Each entry keeps the
 * whole scenario before and after (scenarios are small), with the player's
 * position at both ends, so undoing is "show `before` again" and redoing is
 * "show `after` again". A new edit clears what could be redone.
 */

export interface Snapshot<T> {
  value: T;
  position: number;
}

export interface HistoryEntry<T> {
  /** What the edit did, in words: "Added step 3", "Removed step 2", "Edited the JSON". */
  label: string;
  before: Snapshot<T>;
  after: Snapshot<T>;
}

export interface History<T> {
  /** Oldest first; the last one is undone next. */
  readonly past: readonly HistoryEntry<T>[];
  /** The last one is redone next. */
  readonly future: readonly HistoryEntry<T>[];
}

/** How many edits are kept; the oldest are dropped beyond it. */
export const HISTORY_LIMIT = 100;

export function emptyHistory<T>(): History<T> {
  return { past: [], future: [] };
}

export function record<T>(h: History<T>, entry: HistoryEntry<T>, limit = HISTORY_LIMIT): History<T> {
  const past = [...h.past, entry];
  return { past: past.slice(Math.max(0, past.length - limit)), future: [] };
}

/** The entry to undo (show its `before`) and the history after undoing it, or null when there is none. */
export function undo<T>(h: History<T>): { entry: HistoryEntry<T>; history: History<T> } | null {
  const entry = h.past[h.past.length - 1];
  if (!entry) return null;
  return { entry, history: { past: h.past.slice(0, -1), future: [...h.future, entry] } };
}

/** The entry to redo (show its `after`) and the history after redoing it, or null when there is none. */
export function redo<T>(h: History<T>): { entry: HistoryEntry<T>; history: History<T> } | null {
  const entry = h.future[h.future.length - 1];
  if (!entry) return null;
  return { entry, history: { past: [...h.past, entry], future: h.future.slice(0, -1) } };
}

export const canUndo = <T>(h: History<T>) => h.past.length > 0;
export const canRedo = <T>(h: History<T>) => h.future.length > 0;
