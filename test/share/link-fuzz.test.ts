/**
 * Fuzz: 100,000 random and damaged links. Decoding never throws, never
 * leaves a promise rejected, and every rejection carries a known code and a
 * readable sentence; whatever it accepts is a valid scenario at a real step.
 */
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findRelease } from '../../src/core/releases.ts';
import { checkScenario } from '../../src/core/scenario/schema.ts';
import { decodeLink, encodeLink, LINK_ERROR_CODES, MAX_PAYLOAD_CHARS, MAX_RECORD_BYTES, type DecodedLink } from '../../src/share/link.ts';
import { scenarioArb } from '../support/arbitraries.ts';
import { realisticScenario } from './realistic-scenario.ts';

const CASES = 100_000;
const SEED = 0x5eed_0005;
/** Decodes in flight at once: enough to keep zlib's thread pool busy. */
const PARALLEL = 64;

/** A small seeded generator (mulberry32), so a failing case can be replayed by its index. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ODD = ['%', '=', '+', '/', ' ', '\n', '#', '&', '.', '\u0000', 'é', '😀', '\uD800', '<', '"'];
const PREFIXES = ['', 'v1.', '#s=v1.', 's=v1.', '/simulator/#s=v1.', 'https://h.example/simulator/#s=v1.', 'v2.', 'v0.', '#s=', 's=', 'v1', 'V1.', 'v01.', 'v99999999999999999999.', '#a=1&s=v1.'];
const WRONG_PREFIXES = ['v2.', 'v10.', 'V1.', 'v1', 'v1..', 'x1.', ' v1.', 'v-1.', 'v1.v1.', 's=s=v1.', '#s=v1.#s=v1.', '1.', 'v.'];

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const packed = (text: string) => `v1.${b64(deflateRawSync(Buffer.from(text, 'utf8')))}`;

function randomString(r: Rng, maxLength: number): string {
  const n = r.int(maxLength + 1);
  const kind = r.int(3);
  let s = '';
  for (let i = 0; i < n; i++) {
    if (kind === 0) s += B64[r.int(64)];
    else if (kind === 1) s += String.fromCharCode(32 + r.int(95));
    else s += r.next() < 0.8 ? B64[r.int(64)] : r.pick(ODD);
  }
  return s;
}

/** One to three edits to the payload of a valid link, at the text or the byte level. */
function mutate(r: Rng, link: string): string {
  const at = link.indexOf('v1.') + 3;
  const head = link.slice(0, at);
  let payload = link.slice(at);
  for (let k = 1 + r.int(3); k > 0; k--) {
    const i = r.int(Math.max(payload.length, 1));
    switch (r.int(8)) {
      case 0: {
        // Flip bits in the compressed bytes themselves.
        const bytes = Buffer.from(payload, 'base64url');
        if (bytes.length === 0) break;
        for (let f = 1 + r.int(4); f > 0; f--) {
          const j = r.int(bytes.length);
          bytes[j] = bytes[j]! ^ (1 << r.int(8));
        }
        payload = bytes.toString('base64url');
        break;
      }
      case 1:
        payload = payload.slice(0, i) + B64[r.int(64)] + payload.slice(i + 1);
        break;
      case 2:
        payload = payload.slice(0, i) + payload.slice(i + 1);
        break;
      case 3:
        payload = payload.slice(0, i) + (r.next() < 0.5 ? B64[r.int(64)] : r.pick(ODD)) + payload.slice(i);
        break;
      case 4:
        payload = payload.slice(0, i);
        break;
      case 5: {
        const j = r.int(payload.length + 1);
        payload = payload.slice(0, j) + payload.slice(Math.min(i, j), Math.max(i, j)) + payload.slice(j);
        break;
      }
      case 6:
        payload += randomString(r, 12);
        break;
      default: {
        // Bytes appended after the end of the deflate stream.
        const bytes = Buffer.from(payload, 'base64url');
        payload = Buffer.concat([bytes, Buffer.from([r.int(256), r.int(256)])]).toString('base64url');
      }
    }
  }
  return head + payload;
}

/** Deflated records that are well-formed deflate but wrong JSON or wrong records. */
function structuralCase(r: Rng, records: readonly unknown[][]): string {
  const base = [...r.pick(records)];
  switch (r.int(6)) {
    case 0:
      base[r.int(7)] = r.pick([null, 0, -1, 1.5, 'x', [], {}, true, '10.0', [[]], [['c']], [['q', 1, 2]]]);
      return packed(JSON.stringify(base));
    case 1:
      return packed(JSON.stringify(base).slice(0, r.int(200)));
    case 2:
      return packed(JSON.stringify(base.slice(0, r.int(8))));
    case 3: {
      const steps = (base[6] as unknown[]).slice();
      steps.splice(r.int(steps.length + 1), 0, r.pick([['z'], ['x'], ['s', 'a'], ['c', 'a', 'u'], ['c', 'a', 'i', 'h'], [7], { peer: 'a' }, 'wait', null, -5]));
      base[6] = steps;
      return packed(JSON.stringify(base));
    }
    case 4: {
      const depth = r.int(5000);
      return packed(`${'['.repeat(depth)}0${']'.repeat(r.next() < 0.5 ? depth : r.int(5000))}`);
    }
    default:
      return packed(randomString(r, 100));
  }
}

function check(input: string, result: DecodedLink): void {
  if (result.ok) {
    const again = checkScenario(result.scenario);
    expect(again.ok, `accepted an invalid scenario from ${input.slice(0, 120)}`).toBe(true);
    expect(findRelease(result.release), input.slice(0, 120)).toBeDefined();
    expect(Number.isInteger(result.step) && result.step >= 0 && result.step <= result.scenario.steps.length).toBe(true);
    return;
  }
  expect(LINK_ERROR_CODES, input.slice(0, 120)).toContain(result.code);
  expect(typeof result.error).toBe('string');
  expect(result.error.length, input.slice(0, 120)).toBeGreaterThan(20);
  expect(result.error.length, result.error.slice(0, 200)).toBeLessThan(600);
  expect(result.error).not.toMatch(/undefined|\[object |\n/);
}

describe('decoding 100,000 random and damaged links', () => {
  it('never throws, and rejects each bad link with a known code and a sentence', async () => {
    const valid: string[] = [];
    const records: unknown[][] = [];
    const scenarios = fc.sample(scenarioArb, { numRuns: 150, seed: SEED }).map((s) => checkScenario(s)).filter((c) => c.ok).map((c) => c.scenario);
    scenarios.push(realisticScenario(40));
    for (const [i, s] of scenarios.entries()) {
      const link = await encodeLink(s, { step: i % (s.steps.length + 1), base: '/simulator/' });
      valid.push(link);
      const bytes = Buffer.from(link.slice(link.indexOf('v1.') + 3), 'base64url');
      records.push(JSON.parse((await import('node:zlib')).inflateRawSync(bytes).toString('utf8')) as unknown[]);
    }
    const bombs = [
      `v1.${b64(deflateRawSync(Buffer.alloc(8 * MAX_RECORD_BYTES)))}`,
      packed(`[0,"7.2",null,"${'a'.repeat(2 * MAX_RECORD_BYTES)}",null,[],[]]`),
      packed(`[0,"7.2",null,null,null,[],[${'200,'.repeat(MAX_RECORD_BYTES / 4)}0]]`),
    ];
    // Netdevs nested around the 2048 limit, on both sides of it.
    const deepLinks = [1000, 2040, 2049, 3000].map((depth) =>
      packed(`[0,"7.2",null,null,null,[{"id":"n0","deep":${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}}],[]]`),
    );
    const huge = [`v1.${'A'.repeat(MAX_PAYLOAD_CHARS + 1)}`, `v1.${'A'.repeat(MAX_PAYLOAD_CHARS)}`, '#'.repeat(1_000_000), `#s=v1.${'-_'.repeat(200_000)}`, 'v1.'.repeat(300_000)];

    const r = prng(SEED);
    const counts = new Map<string, number>();
    const started = performance.now();
    for (let done = 0; done < CASES; ) {
      const batch: string[] = [];
      for (; batch.length < PARALLEL && done + batch.length < CASES; ) {
        const n = done + batch.length;
        const roll = r.next();
        let input: string;
        if (n < huge.length) input = huge[n]!;
        else if (n % 500 === 0) input = r.next() < 0.7 ? r.pick(bombs) : mutate(r, r.pick(bombs));
        else if (n % 500 === 1) input = r.pick(deepLinks);
        else if (roll < 0.2) input = r.pick(PREFIXES) + randomString(r, 300);
        else if (roll < 0.7) input = mutate(r, r.pick(valid));
        else if (roll < 0.8) {
          const link = r.pick(valid);
          input = r.pick(WRONG_PREFIXES) + link.slice(link.indexOf('v1.') + 3);
        } else if (roll < 0.95) input = structuralCase(r, records);
        else input = r.pick(valid);
        batch.push(input);
      }
      const results = await Promise.all(batch.map((input) => decodeLink(input)));
      results.forEach((result, i) => {
        check(batch[i]!, result);
        const key = result.ok ? 'ok' : result.code;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      });
      done += batch.length;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`fuzz: ${CASES} links in ${seconds.toFixed(1)} s;`, Object.fromEntries([...counts].sort()));
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(CASES);
    // Every kind of rejection the generator aims at was reached.
    for (const code of ['empty', 'not-a-link', 'newer-version', 'too-large', 'bad-characters', 'truncated', 'corrupt', 'bad-data', 'too-deep', 'invalid-scenario', 'unknown-release', 'bad-step', 'ok']) {
      expect(counts.get(code) ?? 0, code).toBeGreaterThan(0);
    }
  });
});
