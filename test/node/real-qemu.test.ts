/**
 * `netdev-sim qemu` on real sockets, in real time, driven by a real QMP
 * client and real socket peers through every recorded scenario: its
 * transcripts must match the real-QEMU recordings after normalisation,
 * like the simulated path's.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/core/scenario/schema.ts';
import { parseTranscript } from '../../src/core/transcript/format.ts';
import { canonicalLines, normaliseTranscript } from '../../src/core/transcript/normalise.ts';
import { conformanceCases } from '../support/conformance.ts';
import { runOnRealSockets } from '../support/real-harness.ts';

const cases = conformanceCases();

// Start the stand-in once first so its TypeScript is compiled and cached
// before many start at the same time: a cold compile in eight processes at
// once can starve the CPU long enough to shift real-time replies.
beforeAll(() => {
  const bin = new URL('../../bin/netdev-sim.mjs', import.meta.url).pathname;
  const r = spawnSync(process.execPath, [bin, 'qemu', '-warm-up'], { encoding: 'utf8' });
  expect(r.stderr).toBe('qemu-system-x86_64: -warm-up: invalid option\n');
});

describe('netdev-sim qemu reproduces the recordings on real sockets', { concurrent: true, timeout: 60_000 }, () => {
  for (const c of cases) {
    it(`${c.name} on QEMU ${c.release}`, async () => {
      const checked = checkScenario(c.scenario);
      if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
      const run = await runOnRealSockets(checked.scenario, c.release);
      const recorded = parseTranscript(c.transcript);
      if (!recorded.ok) throw new Error(recorded.error);
      const ours = normaliseTranscript(run.lines, c.scenario);
      const theirs = normaliseTranscript(recorded.lines, c.scenario);
      expect(ours.problems).toEqual([]);
      expect(run.stuck ?? false, 'the stand-in did not exit on quit').toBe(false);
      expect(canonicalLines(ours.lines), run.stderr).toEqual(canonicalLines(theirs.lines));
    });
  }
});
