import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, fillReadState, initialReadState, NET_BUFSIZE, type ReadState } from '../../src/core/net/framing.ts';

/** Feeds `stream` in pieces cut at `cuts` and collects what the reassembler delivers. */
function reassemble(stream: Uint8Array, cuts: number[]) {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  let rs: ReadState = initialReadState();
  const frames: Uint8Array[] = [];
  let oversized = false;
  let last = 0;
  for (const p of [...points, stream.length]) {
    if (p === last) continue;
    const r = fillReadState(rs, stream.subarray(last, p), true);
    frames.push(...r.frameBytes);
    rs = r.rs;
    last = p;
    if (r.oversized) {
      oversized = true;
      break;
    }
  }
  return { frames, oversized, rs };
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

describe('stream framing', () => {
  it('writes a 4-byte big-endian length before the frame', () => {
    expect([...encodeFrame(new Uint8Array([1, 2, 3]))]).toEqual([0, 0, 0, 3, 1, 2, 3]);
    expect([...encodeFrame(new Uint8Array(0x10203).fill(7)).subarray(0, 4)]).toEqual([0, 1, 2, 3]);
  });

  it('reassembles any segmentation of any frames into the same frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (payloads, cuts) => {
          const stream = concat(payloads.map(encodeFrame));
          const r = reassemble(stream, cuts);
          expect(r.oversized).toBe(false);
          expect(r.frames.map((f) => [...f])).toEqual(payloads.map((p) => [...p]));
          expect([r.rs.state, r.rs.index]).toEqual([0, 0]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('delivers a zero-length frame only once the byte after its header arrives, however the bytes are cut', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 50 }), fc.array(fc.nat(), { maxLength: 10 }), (after, cuts) => {
        const alone = reassemble(encodeFrame(new Uint8Array(0)), cuts);
        expect(alone.frames).toEqual([]);
        const followed = reassemble(concat([encodeFrame(new Uint8Array(0)), encodeFrame(after)]), cuts);
        expect(followed.frames.map((f) => f.length)).toEqual([0, after.length]);
      }),
    );
  });

  it('accepts a 69632-byte frame and tears down on 69633 bytes, whatever the segmentation', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), (cuts) => {
        const fits = reassemble(encodeFrame(new Uint8Array(NET_BUFSIZE)), cuts);
        expect(fits.oversized).toBe(false);
        expect(fits.frames.map((f) => f.length)).toEqual([NET_BUFSIZE]);
        const big = reassemble(encodeFrame(new Uint8Array(NET_BUFSIZE + 1)), cuts);
        expect(big.oversized).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('does not reject a large length until the payload bytes overflow', () => {
    const header = new Uint8Array([0, 1, 0x10, 0x01]); // 69633
    const r = fillReadState(initialReadState(), concat([header, new Uint8Array(16)]));
    expect(r.oversized).toBe(false);
    expect(r.frames).toEqual([]);
  });
});
