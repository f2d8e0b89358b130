/** The line diff behind `netdev-sim compare` and the simulator's compare view. */
import { describe, expect, it } from 'vitest';
import { changedLinesText, diffLines, diffScript } from '../../src/core/transcript/line-diff.ts';

describe('the line diff', () => {
  it('marks nothing when both sides are the same', () => {
    const d = diffLines(['a', 'b', 'c'], ['a', 'b', 'c']);
    expect([...d.a]).toEqual([]);
    expect([...d.b]).toEqual([]);
  });

  it('marks a line only one side has, on that side alone', () => {
    const d = diffLines(['greeting', 'return', 'event'], ['greeting', 'event']);
    expect([...d.a]).toEqual([1]);
    expect([...d.b]).toEqual([]);
  });

  it('marks a changed line on both sides and keeps the shared lines around it unmarked', () => {
    const d = diffLines(['x', 'old', 'y', 'z'], ['x', 'new', 'y', 'z', 'extra']);
    expect([...d.a]).toEqual([1]);
    expect([...d.b].sort()).toEqual([1, 4]);
  });

  it('keeps as many lines shared as any alignment can (a longest common subsequence)', () => {
    const a = ['1', '2', '3', '4', '5', '6'];
    const b = ['0', '2', '3', '9', '5', '6', '7'];
    const d = diffLines(a, b);
    expect(a.length - d.a.size).toBe(4);
    expect(b.length - d.b.size).toBe(4);
  });

  it('writes an edit script in order that turns one side into the other', () => {
    const a = ['a', 'b', 'c', 'd'];
    const b = ['a', 'c', 'x', 'd', 'e'];
    const rebuilt: string[] = [];
    for (const step of diffScript(a, b)) if (step.kind !== 'removed') rebuilt.push(step.line);
    expect(rebuilt).toEqual(b);
    const kept = diffScript(a, b).filter((s) => s.kind !== 'added').map((s) => s.line);
    expect(kept).toEqual(a);
  });

  it("prints compare's - and + lines, a run's removals before its additions", () => {
    expect(changedLinesText(['s', 'old', 'e'], ['s', 'new', 'e'])).toEqual(['- old', '+ new']);
  });

  it('still answers, line by line, for inputs with thousands of changes', () => {
    const a = Array.from({ length: 5000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 5000 }, (_, i) => (i % 2 ? `a${i}` : `b${i}`));
    const d = diffLines(a, b);
    expect(d.a.size).toBe(2500);
    expect(d.b.size).toBe(2500);
  });
});
