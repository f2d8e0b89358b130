/**
 * Where a result note goes in the network picture: beside the thing it
 * concerns, on a spot where it covers nothing drawn — no label, card,
 * socket or line — or, in a crowded picture, where it covers least (words
 * count most, then shapes, then lines), nearest the thing. Pure geometry
 * in the picture's pixels; picture-actions.ts measures the picture.
 */

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** How much covering a kind of thing costs, per square pixel. */
export const WEIGHT = { word: 12, shape: 4, line: 2 } as const;

export interface Obstacle extends Rect {
  kind: keyof typeof WEIGHT;
}

/** Room kept between the note and what it sits beside. */
export const NOTE_GAP = 5;
const STEP = 4;

const overlap = (a: Rect, b: Rect) => Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

/** The gap between two rectangles (0 when they touch or overlap). */
export function gap(a: Rect, b: Rect): number {
  const dx = Math.max(0, b.x - (a.x + a.w), a.x - (b.x + b.w));
  const dy = Math.max(0, b.y - (a.y + a.h), a.y - (b.y + b.h));
  return Math.hypot(dx, dy);
}

/**
 * The note's top left: inside `bounds`, clear of `anchor` by NOTE_GAP, on
 * the spot that covers the least (weighted) and, among equals, sits
 * nearest the anchor.
 */
export function placeNote(size: { w: number; h: number }, anchor: Rect, obstacles: readonly Obstacle[], bounds: Rect): { x: number; y: number } {
  const keepOut: Obstacle = { kind: 'word', x: anchor.x - NOTE_GAP + 0.5, y: anchor.y - NOTE_GAP + 0.5, w: anchor.w + 2 * NOTE_GAP - 1, h: anchor.h + 2 * NOTE_GAP - 1 };
  const all = [...obstacles, keepOut];
  const xs = new Set<number>();
  const ys = new Set<number>();
  for (let x = bounds.x; x <= bounds.x + bounds.w - size.w; x += STEP) xs.add(x);
  for (let y = bounds.y; y <= bounds.y + bounds.h - size.h; y += STEP) ys.add(y);
  // Flush against the anchor's sides too, where the grid may not land.
  for (const x of [anchor.x + anchor.w + NOTE_GAP, anchor.x - NOTE_GAP - size.w, anchor.x]) if (x >= bounds.x && x + size.w <= bounds.x + bounds.w) xs.add(x);
  for (const y of [anchor.y + anchor.h + NOTE_GAP, anchor.y - NOTE_GAP - size.h, anchor.y]) if (y >= bounds.y && y + size.h <= bounds.y + bounds.h) ys.add(y);
  if (xs.size === 0) xs.add(bounds.x);
  if (ys.size === 0) ys.add(bounds.y);
  let best = { x: bounds.x, y: bounds.y, cost: Infinity };
  for (const x of xs) {
    for (const y of ys) {
      const r = { x, y, w: size.w, h: size.h };
      let covered = 0;
      for (const o of all) covered += overlap(r, o) * WEIGHT[o.kind];
      const cost = covered * 1000 + gap(r, anchor);
      if (cost < best.cost) best = { x, y, cost };
    }
  }
  return { x: best.x, y: best.y };
}
