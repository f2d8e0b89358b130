/**
 * Real-QEMU recordings (content/conformance) against the engine. The test
 * reads the folder, so a recording added later is tested with no code
 * change.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaChecker } from '../../src/core/qmp/schema-checker.ts';
import { checkScenario } from '../../src/core/scenario/schema.ts';
import { runScenario } from '../../src/core/scenario/session.ts';
import { parseTranscript, toLine } from '../../src/core/transcript/format.ts';
import { canonicalLines, normaliseTranscript } from '../../src/core/transcript/normalise.ts';
import { CONFORMANCE_DIR, conformanceCases } from '../support/conformance.ts';

const cases = conformanceCases();

function simulate(c: (typeof cases)[number]) {
  const checked = checkScenario(c.scenario);
  if (!checked.ok) throw new Error(`${c.scenarioFile}: ${JSON.stringify(checked.issues)}`);
  return runScenario(checked.scenario, { checker: schemaChecker });
}

describe('the engine reproduces every recording from real QEMU', () => {
  it('finds recordings to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(70);
  });

  for (const c of cases) {
    describe(`${c.name} on QEMU ${c.release}`, () => {
      it('gives the recorded transcript after normalisation', () => {
        const session = simulate(c);
        const recorded = parseTranscript(c.transcript);
        if (!recorded.ok) throw new Error(recorded.error);
        const theirs = normaliseTranscript(recorded.lines, c.scenario);
        const ours = normaliseTranscript(session.engine.d.transcript.map(toLine), c.scenario);
        expect(theirs.problems).toEqual([]);
        expect(ours.problems).toEqual([]);
        expect(canonicalLines(ours.lines)).toEqual(canonicalLines(theirs.lines));
      });

      it("writes every message's members in QEMU's order", () => {
        const session = simulate(c);
        const recorded = parseTranscript(c.transcript);
        if (!recorded.ok) throw new Error(recorded.error);
        const keysOf = (x: unknown): unknown =>
          Array.isArray(x)
            ? x.map(keysOf)
            : x !== null && typeof x === 'object'
              ? Object.entries(x).map(([k, v]) => [k, keysOf(v)])
              : null;
        const ours = session.engine.d.transcript.map((e) => keysOf(toLine(e)));
        expect(ours).toEqual(recorded.lines.map(keysOf));
      });

      it("prints QEMU's stderr as recorded", () => {
        const session = simulate(c);
        const expected = (c.stderr ?? '').split('\n').filter((l) => l !== '');
        expect(session.engine.d.stderr).toEqual(expected);
      });
    });
  }
});

describe('the repository keeps an exact copy of the shared recordings', () => {
  const shared = new URL('../../../shared/conformance/', import.meta.url).pathname;
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : [relative(CONFORMANCE_DIR, p)];
    });

  it.runIf(existsSync(shared))('has every shared file, byte for byte', () => {
    for (const f of files(shared).map((p) => relative(shared, join(CONFORMANCE_DIR, p)))) {
      const ours = join(CONFORMANCE_DIR, f);
      expect(existsSync(ours), `content/conformance/${f} is missing`).toBe(true);
      expect(readFileSync(ours, 'utf8'), `content/conformance/${f} differs from shared/conformance/${f}`).toBe(
        readFileSync(join(shared, f), 'utf8'),
      );
    }
  });
});
