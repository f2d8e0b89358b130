/**
 * Random scenarios, sensible and hostile: the runner never throws, and the
 * invariants of every run hold.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemaChecker } from '../../src/core/qmp/schema-checker.ts';
import { checkScenario } from '../../src/core/scenario/schema.ts';
import { Session } from '../../src/core/scenario/session.ts';
import { formatTranscript } from '../../src/core/transcript/format.ts';
import { scenarioArb } from '../support/arbitraries.ts';
import { invariantViolations } from '../support/invariants.ts';

describe('random scenarios', () => {
  it('run without throwing and keep the invariants', () => {
    fc.assert(
      fc.property(scenarioArb, (raw) => {
        const checked = checkScenario(raw);
        expect(checked.ok).toBe(true);
        if (!checked.ok) return;
        const session = new Session(checked.scenario, { checker: schemaChecker });
        session.runToEnd();
        expect(invariantViolations(session)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('rebuild any position by seeking, equal to a run that stopped there', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), (raw, seeks) => {
        const checked = checkScenario(raw);
        if (!checked.ok) return;
        const s = checked.scenario;
        const session = new Session(s, { checker: schemaChecker, checkpointEvery: 4 });
        session.runToEnd();
        for (const k0 of seeks) {
          const k = k0 % (s.steps.length + 1);
          session.seek(k);
          const fresh = new Session(s, { checker: schemaChecker });
          while (fresh.position < k && fresh.step());
          expect(formatTranscript(session.engine.transcript)).toBe(formatTranscript(fresh.engine.transcript));
          expect(session.engine.stderr).toEqual(fresh.engine.stderr);
          expect(session.engine.now).toBe(fresh.engine.now);
          const states = (x: Session) =>
            x.engine.netdevList().map((r) => [r.id, r.deleted, JSON.stringify(x.engine.netdevMachine(r.handle)?.value ?? null), x.engine.netdevMachine(r.handle)?.context?.info]);
          expect(states(session)).toEqual(states(fresh));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('give byte-identical transcripts when run twice', () => {
    fc.assert(
      fc.property(scenarioArb, (raw) => {
        const checked = checkScenario(raw);
        if (!checked.ok) return;
        const run = () => {
          const s = new Session(checked.scenario, { checker: schemaChecker });
          s.runToEnd();
          return formatTranscript(s.engine.transcript) + s.engine.stderr.join('\n');
        };
        expect(run()).toBe(run());
      }),
      { numRuns: 100 },
    );
  });
});

describe('any input at all', () => {
  it('gives checkScenario an answer, never an exception', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
        const r = checkScenario(v);
        if (!r.ok) for (const i of r.issues) expect(i.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a clear issue for steps that are almost right', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), fc.constantFrom(null, 5, 'x', [], { peer: 'a' }, { wait: 'soon' }), (raw, i, bad) => {
        if (raw.steps.length === 0) return;
        const k = i % raw.steps.length;
        const broken = { ...raw, steps: raw.steps.map((s, j) => (j === k ? bad : s)) };
        const r = checkScenario(broken);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.issues.some((x) => x.path.startsWith(`steps[${k}]`))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
