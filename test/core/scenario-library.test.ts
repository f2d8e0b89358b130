/** The guided scenarios in content/scenarios: valid, documented, and they run. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, nodeIo, type Io } from '../../src/cli/main.ts';
import { schemaChecker } from '../../src/core/qmp/schema-checker.ts';
import { checkScenario } from '../../src/core/scenario/schema.ts';
import { Session } from '../../src/core/scenario/session.ts';
import { invariantViolations } from '../support/invariants.ts';

const dir = new URL('../../content/scenarios/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('the guided scenario library', () => {
  it('has at least 12 scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  for (const f of files) {
    describe(f, () => {
      const raw = JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown;
      it('is a valid v1 scenario with a title and prose', () => {
        const c = checkScenario(raw);
        expect(c.ok ? [] : c.issues).toEqual([]);
        if (!c.ok) return;
        expect(c.scenario.title?.length ?? 0).toBeGreaterThan(10);
        expect(c.scenario.description?.length ?? 0).toBeGreaterThan(200);
      });
      it('runs on the engine and keeps the run invariants', () => {
        const c = checkScenario(raw);
        if (!c.ok) throw new Error('invalid');
        const s = new Session(c.scenario, { checker: schemaChecker });
        expect(s.limitation).toBeNull();
        s.runToEnd();
        expect(invariantViolations(s)).toEqual([]);
      });
      it('runs with netdev-sim run', async () => {
        let out = '';
        const io: Io = { ...nodeIo, out: (t) => (out += t), err: () => {} };
        expect(await main(['run', join(dir, f)], io)).toBe(0);
        expect(out.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(3);
      });
    });
  }
});
