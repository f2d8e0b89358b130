/**
 * `netdev-sim qemu` on real sockets, in real time, driven by a real QMP
 * client and real socket peers through every recorded scenario: its
 * transcripts must match the real-QEMU recordings after normalisation,
 * like the simulated path's.
 */
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/core/scenario/schema.ts';
import { parseTranscript } from '../../src/core/transcript/format.ts';
import { canonicalLines, normaliseTranscript } from '../../src/core/transcript/normalise.ts';
import { conformanceCases } from '../support/conformance.ts';
import { runOnRealSockets } from '../support/real-harness.ts';

const cases = conformanceCases();

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
      expect(run.stuck ?? false, 'the stand-in did not exit on SIGTERM').toBe(false);
      expect(canonicalLines(ours.lines), run.stderr).toEqual(canonicalLines(theirs.lines));
    });
  }
});
