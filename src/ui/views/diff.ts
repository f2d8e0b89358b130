/**
 * Which transcript lines differ between two runs: the lines outside a
 * longest common subsequence, on each side. Timestamps are left out of the
 * comparison, as the transcript normalisation does.
 */
import type { TraceEntry } from '../trace/types.ts';

/** An entry's line without its timestamp object. */
export function comparable(e: TraceEntry): string {
  if (e.kind !== 'event') return e.line;
  try {
    const line = JSON.parse(e.line) as { msg?: Record<string, unknown> };
    if (line.msg) delete line.msg.timestamp;
    return JSON.stringify(line);
  } catch {
    return e.line;
  }
}

export interface LineDiff {
  a: Set<number>;
  b: Set<number>;
}

const MAX_CELLS = 4_000_000;

export function diffLines(a: readonly string[], b: readonly string[]): LineDiff {
  const n = a.length;
  const m = b.length;
  const outA = new Set<number>();
  const outB = new Set<number>();
  if (n * m > MAX_CELLS) {
    // Too long for a table: compare line by line.
    for (let i = 0; i < Math.max(n, m); i++) {
      if (a[i] !== b[i]) {
        if (i < n) outA.add(i);
        if (i < m) outB.add(i);
      }
    }
    return { a: outA, b: outB };
  }
  const w = m + 1;
  const len = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i * w + j] = a[i] === b[j] ? len[(i + 1) * w + j + 1]! + 1 : Math.max(len[(i + 1) * w + j]!, len[i * w + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      i++;
      j++;
    } else if (len[(i + 1) * w + j]! >= len[i * w + j + 1]!) outA.add(i++);
    else outB.add(j++);
  }
  while (i < n) outA.add(i++);
  while (j < m) outB.add(j++);
  return { a: outA, b: outB };
}
