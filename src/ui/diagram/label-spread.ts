/**
 * Transition labels in the stage's narrow diagram (arc-layout.ts) sit in
 * one column, each on the row of the state its transition leads to. The
 * labels shown at once (the ways on from a state, the way in, and
 * netdev.delete) rarely want the same row, but a step that goes the long
 * way round (connected > waiting > connecting) can bring two onto one; the
 * column holds no lines, so they are moved apart vertically, as little as
 * needed, within the column's room. Pure: the build, the browser and the
 * tests share it.
 */

/** The vertical extent of a label centred on y (two lines with a guard, one without), as the view draws it. */
export function labelSpan(ly: number, guarded: boolean): [number, number] {
  return guarded ? [ly - 12, ly + 14] : [ly - 6, ly + 7];
}

export interface SpreadItem {
  key: string;
  ly: number;
  guarded: boolean;
}

/**
 * Where each label goes (its new centre) so that none overlaps another
 * (a unit apart at least), each as near its own row as that allows, and
 * all between `floor` and `ceiling` when there is room.
 */
export function spreadLabels(items: readonly SpreadItem[], floor: number, ceiling: number): Map<string, number> {
  const up = (i: SpreadItem) => i.ly - labelSpan(i.ly, i.guarded)[0];
  const down = (i: SpreadItem) => labelSpan(i.ly, i.guarded)[1] - i.ly;
  const placed = [...items].sort((a, b) => a.ly - b.ly || a.key.localeCompare(b.key)).map((i) => ({ ...i }));
  for (let i = 0; i < placed.length; i++) {
    const cur = placed[i]!;
    const low = i === 0 ? floor + up(cur) : placed[i - 1]!.ly + down(placed[i - 1]!) + 1 + up(cur);
    cur.ly = Math.max(cur.ly, low);
  }
  for (let i = placed.length - 1; i >= 0; i--) {
    const cur = placed[i]!;
    const high = i === placed.length - 1 ? ceiling - down(cur) : placed[i + 1]!.ly - up(placed[i + 1]!) - 1 - down(cur);
    cur.ly = Math.min(cur.ly, high);
  }
  return new Map(placed.map((p) => [p.key, Math.round(p.ly * 10) / 10]));
}
