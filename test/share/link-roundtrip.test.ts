/**
 * Property: a valid scenario, a release and a step survive the trip through
 * a link exactly, key order included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RELEASE_NAMES } from '../../src/core/releases.ts';
import { checkScenario, MAX_WAIT_MS, type Scenario } from '../../src/core/scenario/schema.ts';
import { decodeLink, encodeLink } from '../../src/share/link.ts';
import { scenarioArb, stepArb } from '../support/arbitraries.ts';

/** Text of every kind, lone surrogates included (JSON escapes them, so they must survive). */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string().map((s) => `${s}\uD800${s}`),
  fc.constantFrom('', '<b>bold</b> & "quotes"', 'line\nbreak', 'null', '0'),
);

const address = fc.oneof(
  fc.record({ type: fc.constant('unix'), path: text }),
  fc.record({ type: fc.constant('unix'), path: text, abstract: fc.boolean() }),
  fc.record({ type: fc.constant('unix'), path: text, tight: fc.boolean() }),
  fc.record({ type: fc.constant('inet'), host: text, port: text }),
  fc.record({ type: fc.constant('inet'), host: text, port: text, ipv4: fc.boolean(), ipv6: fc.boolean() }, { requiredKeys: ['type', 'host', 'port'] }),
  fc.record({ type: fc.constant('fd'), str: text }),
  // The same members in another order must come back in that order.
  fc.record({ path: text, type: fc.constant('unix') }),
  fc.record({ port: text, host: text, type: fc.constant('inet') }),
);

const peer = fc.string({ minLength: 1, maxLength: 64 });
const hex = fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('hex'));

/** Steps the shared generator does not make: every form and every fallback of the v1 record. */
const unusualStep = fc.oneof(
  fc.record({ peer, connect: address }),
  fc.record({ peer, listen: address }),
  fc.record({ connect: address, peer }),
  fc.record({ peer, send: hex }),
  fc.record({ 'send-raw': hex, peer }),
  fc.record({ close: fc.constant(true as const), peer }),
  fc.record({ wait: fc.oneof(fc.constantFrom(0, MAX_WAIT_MS), fc.integer({ min: 0, max: MAX_WAIT_MS })) }),
  fc.record({ qmp: fc.record({ execute: fc.string({ maxLength: 1 }) }) }),
  fc.record({ qmp: fc.record({ execute: text, arguments: fc.jsonValue({ maxDepth: 3 }) }) }),
  fc.record({ qmp: fc.record({ arguments: fc.jsonValue({ maxDepth: 2 }), execute: text }) }),
  fc.record({ qmp: fc.record({ execute: text, arguments: fc.jsonValue({ maxDepth: 1 }), id: fc.jsonValue({ maxDepth: 1 }) }) }),
  fc.record({ qmp: fc.jsonValue({ maxDepth: 3 }) }),
);

const scenarioForLinks = fc
  .record({
    base: scenarioArb,
    title: fc.option(text, { nil: undefined }),
    description: fc.option(text, { nil: undefined }),
    extra: fc.array(fc.oneof(unusualStep, stepArb), { maxLength: 12 }),
    at: fc.nat(),
  })
  .map(({ base, title, description, extra, at }) => {
    const steps: unknown[] = [...base.steps];
    steps.splice(at % (steps.length + 1), 0, ...extra);
    return {
      scenario: 1,
      ...(title !== undefined ? { title } : {}),
      ...(description !== undefined ? { description } : {}),
      qemu: base.qemu,
      netdevs: base.netdevs,
      steps,
    };
  });

const checked = (value: unknown): Scenario => {
  const c = checkScenario(value);
  if (!c.ok) throw new Error(`the generator made an invalid scenario: ${JSON.stringify(c.issues)}`);
  return c.scenario;
};

const linkCase = fc.record({
  scenario: scenarioForLinks,
  release: fc.option(fc.constantFrom(...RELEASE_NAMES), { nil: undefined }),
  stepSeed: fc.nat(),
  base: fc.constantFrom(undefined, '/simulator/', 'https://netdev-stream-lab.example/simulator/'),
});

describe('a link reproduces what it was made from', () => {
  it('gives back the same scenario (as checkScenario returns it, key order included), release and step', async () => {
    await fc.assert(
      fc.asyncProperty(linkCase, async ({ scenario, release, stepSeed, base }) => {
        const s = checked(scenario);
        const step = stepSeed % (s.steps.length + 1);
        const link = await encodeLink(s, { step, ...(release !== undefined ? { release } : {}), ...(base !== undefined ? { base } : {}) });
        const opened = await decodeLink(link);
        // A link carries JSON text, where -0 is written as 0.
        const expected = JSON.parse(JSON.stringify(s)) as typeof s;
        expect(opened).toEqual({ ok: true, scenario: expected, release: release ?? s.qemu, step, version: 1 });
        if (opened.ok) expect(JSON.stringify(opened.scenario)).toBe(JSON.stringify(s));
      }),
      { numRuns: 600 },
    );
  });

  it('reads the scenario the way a file is read: whatever checkScenario makes of the input comes back', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.nat(), async (raw, seed) => {
        const fromFile = checked(JSON.parse(JSON.stringify(raw)));
        const step = seed % (fromFile.steps.length + 1);
        const opened = await decodeLink(await encodeLink(raw, { step }));
        expect(opened.ok && opened.scenario).toEqual(fromFile);
      }),
      { numRuns: 300 },
    );
  });

  it('writes only characters that travel unchanged in a URL fragment', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioForLinks, async (scenario) => {
        const link = await encodeLink(checked(scenario), { step: 0 });
        expect(link).toMatch(/^s=v1\.[A-Za-z0-9_-]+$/);
        expect(encodeURIComponent(link.slice(2))).toBe(link.slice(2));
      }),
      { numRuns: 200 },
    );
  });

  it('says a link cut at any point after "v1." is cut short', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioForLinks, fc.nat(), async (scenario, cutSeed) => {
        const link = await encodeLink(checked(scenario), { step: 0 });
        const start = 's=v1.'.length;
        const cut = start + (cutSeed % (link.length - start));
        expect(await decodeLink(link.slice(0, cut))).toMatchObject({ ok: false, code: 'truncated' });
      }),
      { numRuns: 400 },
    );
  });
});
