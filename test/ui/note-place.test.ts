/**
 * Where a result note goes in the network picture (src/ui/simulator/note-place.ts):
 * beside the thing it concerns, on a spot that covers nothing, or least.
 */
import { describe, expect, it } from 'vitest';
import { gap, NOTE_GAP, placeNote, type Obstacle, type Rect } from '../../src/ui/simulator/note-place.ts';

const meets = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const bounds = { x: 0, y: 0, w: 360, h: 230 };
const card = { x: 80, y: 35, w: 200, h: 52 };
const size = { w: 150, h: 20 };

describe('a result note', () => {
  it('sits right beside the thing when nothing is there', () => {
    const at = placeNote(size, card, [], bounds);
    const r = { ...at, ...size };
    expect(meets(r, card)).toBe(false);
    expect(gap(r, card)).toBeLessThanOrEqual(NOTE_GAP + 0.5);
  });

  it("keeps off a label under the card (the listening socket's) and every other word, moving a little further if it must", () => {
    // Words all around the card but for one free spot below them.
    const words: Obstacle[] = [
      { kind: 'word', x: 40, y: 95, w: 60, h: 14 }, // "listening"
      { kind: 'word', x: 40, y: 112, w: 60, h: 14 }, // "backlog"
      { kind: 'shape', x: 100, y: 87, w: 14, h: 30 }, // the socket and its slot
      { kind: 'word', x: 8, y: 6, w: 80, h: 16 }, // "QEMU 11.1"
      { kind: 'shape', x: 0, y: 170, w: 360, h: 60 }, // the peers' cards
      { kind: 'line', x: 0, y: 0, w: 360, h: 30 }, // something along the top
      { kind: 'shape', x: 0, y: 30, w: 78, h: 60 }, // left of the card
      { kind: 'shape', x: 282, y: 30, w: 78, h: 60 }, // right of the card
    ];
    const at = placeNote(size, card, words, bounds);
    const r = { ...at, ...size };
    for (const o of words) expect(meets(r, o), `covers ${JSON.stringify(o)}`).toBe(false);
    expect(r.x >= 0 && r.x + r.w <= 360 && r.y >= 0 && r.y + r.h <= 230).toBe(true);
    expect(gap(r, card)).toBeLessThan(50);
  });

  it('covers a line rather than a word, and a shape rather than a word, when the picture is full', () => {
    const full: Obstacle[] = [
      { kind: 'word', x: 0, y: 0, w: 360, h: 100 },
      { kind: 'line', x: 0, y: 100, w: 360, h: 30 },
      { kind: 'word', x: 0, y: 130, w: 360, h: 100 },
    ];
    const r = { ...placeNote(size, { x: 150, y: 0, w: 20, h: 10 }, full, bounds), ...size };
    expect(meets(r, full[0]!)).toBe(false);
    expect(meets(r, full[2]!)).toBe(false);
  });
});
