/**
 * Real-QEMU recordings (content/conformance) against the engine. The test
 * reads the folder, so a recording added later is tested with no code
 * change.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
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
        const ours = normaliseTranscript(session.engine.transcript.map(toLine), c.scenario);
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
        const ours = session.engine.transcript.map((e) => keysOf(toLine(e)));
        expect(ours).toEqual(recorded.lines.map(keysOf));
      });

      it("prints QEMU's stderr as recorded", () => {
        const session = simulate(c);
        const expected = (c.stderr ?? '').split('\n').filter((l) => l !== '');
        expect(session.engine.stderr).toEqual(expected);
      });
    });
  }
});

describe('the repository keeps an exact copy of the shared recordings', () => {
  // The shared folder sits beside the repository; NSL_SHARED_CONFORMANCE names it elsewhere (a git worktree).
  const shared = process.env.NSL_SHARED_CONFORMANCE ?? new URL('../../../shared/conformance/', import.meta.url).pathname;
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p).map((x) => join(f, x)) : [f];
    });
  const manifest = readFileSync(join(CONFORMANCE_DIR, 'MANIFEST.sha256'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const [hash, file] = l.split(/\s+\*?/) as [string, string];
      return { hash, file: file.replace(/^\.\//, '') };
    });

  it('still holds every file of its manifest unchanged (sha256); new recordings may be added beside them', () => {
    expect(manifest.length).toBeGreaterThan(100);
    for (const m of manifest) {
      expect(existsSync(join(CONFORMANCE_DIR, m.file)), `content/conformance/${m.file} is missing`).toBe(true);
      const digest = createHash('sha256').update(readFileSync(join(CONFORMANCE_DIR, m.file))).digest('hex');
      expect(digest, `content/conformance/${m.file} changed; recordings are data: copy them, never edit them`).toBe(m.hash);
    }
  });

  it('lists every recording file in the manifest, and names every recorded scenario in README.md or RECORDED-HERE.md', () => {
    const listed = new Set(manifest.map((m) => m.file));
    const data = files(CONFORMANCE_DIR).filter((f) => !f.endsWith('.md') && f !== 'MANIFEST.sha256');
    expect(data.filter((f) => !listed.has(f))).toEqual([]);
    const docs = ['README.md', 'RECORDED-HERE.md'].map((f) => readFileSync(join(CONFORMANCE_DIR, f), 'utf8')).join('\n');
    const unnamed = [...new Set(cases.map((c) => c.name))].filter((name) => {
      // README.md lists "NN name" lines, and e1 as `e1-…`.
      const num = name.split('-')[0]!;
      return !new RegExp(`(^|[\\s\`])${num}[ -]`, 'm').test(docs);
    });
    expect(unnamed).toEqual([]);
  });

  it('equals ../shared/conformance byte for byte; on CI (the CI variable set) the folder must be there', () => {
    if (!existsSync(shared)) {
      const ci = process.env.CI ?? '';
      if (ci !== '' && ci !== 'false' && ci !== '0') {
        throw new Error(`CI is set but ${shared} is missing: the recordings cannot be compared with the shared ones`);
      }
      // A developer's machine without the shared folder: the manifest test above still guards the copy.
      return;
    }
    expect(files(shared).length).toBeGreaterThan(100);
    for (const f of files(shared)) {
      const ours = join(CONFORMANCE_DIR, f);
      expect(existsSync(ours), `content/conformance/${f} is missing`).toBe(true);
      expect(readFileSync(ours, 'utf8'), `content/conformance/${f} differs from shared/conformance/${f}`).toBe(
        readFileSync(join(shared, f), 'utf8'),
      );
    }
  });
});
