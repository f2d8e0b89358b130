/**
 * Which lines of two texts differ: the lines outside a longest common
 * subsequence, found with jsdiff's Myers diff (O(ND) time, linear memory).
 * One module for the CLI's `compare` and the simulator's compare view.
 */
import { diffArrays } from 'diff';

/** The indices of the lines on each side that are not shared. */
export interface LineDiff {
  a: Set<number>;
  b: Set<number>;
}

/** One line of an edit script from `a` to `b`. */
export type DiffLine = { kind: 'same' | 'removed'; line: string; a: number } | { kind: 'added'; line: string; b: number };

/** Beyond this many changed lines the sides are compared line by line (Myers' work grows with the square of it). */
const MAX_EDIT_LENGTH = 2000;

/** The edit script from `a` to `b`, in order: removals of a changed run before its additions. */
export function diffScript(a: readonly string[], b: readonly string[]): DiffLine[] {
  const parts = diffArrays([...a], [...b], { maxEditLength: MAX_EDIT_LENGTH });
  if (!parts) return positionalScript(a, b);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  for (const part of parts) {
    for (const line of part.value) {
      if (part.added) out.push({ kind: 'added', line, b: j++ });
      else if (part.removed) out.push({ kind: 'removed', line, a: i++ });
      else {
        out.push({ kind: 'same', line, a: i++ });
        j++;
      }
    }
  }
  return out;
}

/** Line k against line k: for inputs too different for a minimal script. */
function positionalScript(a: readonly string[], b: readonly string[]): DiffLine[] {
  const out: DiffLine[] = [];
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    if (k < a.length && k < b.length && a[k] === b[k]) out.push({ kind: 'same', line: a[k]!, a: k });
    else {
      if (k < a.length) out.push({ kind: 'removed', line: a[k]!, a: k });
      if (k < b.length) out.push({ kind: 'added', line: b[k]!, b: k });
    }
  }
  return out;
}

export function diffLines(a: readonly string[], b: readonly string[]): LineDiff {
  const out: LineDiff = { a: new Set(), b: new Set() };
  for (const d of diffScript(a, b)) {
    if (d.kind === 'removed') out.a.add(d.a);
    else if (d.kind === 'added') out.b.add(d.b);
  }
  return out;
}

/** `- line` and `+ line` for every line that differs, as `compare` prints them. */
export function changedLinesText(a: readonly string[], b: readonly string[]): string[] {
  return diffScript(a, b)
    .filter((d) => d.kind !== 'same')
    .map((d) => `${d.kind === 'added' ? '+' : '-'} ${d.line}`);
}
