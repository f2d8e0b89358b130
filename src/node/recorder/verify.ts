/**
 * Checks the engine against a QEMU: records a scenario a few times, calls
 * it unstable when the runs disagree, runs the engine for the release the
 * QEMU reported, and compares after the spec's normalisation (transcript
 * and stderr).
 */
import { createTwoFilesPatch } from 'diff';
import { schemaChecker } from '../../core/qmp/schema-checker.ts';
import { findRelease } from '../../core/releases.ts';
import type { Scenario } from '../../core/scenario/schema.ts';
import { runScenario } from '../../core/scenario/session.ts';
import { toLine, type TranscriptLine } from '../../core/transcript/format.ts';
import { canonicalLines, normaliseTranscript } from '../../core/transcript/normalise.ts';
import { record, type QemuBuild, type Recorded, type RecordOptions } from './record.ts';

export type VerifyStatus = 'same' | 'differs' | 'unstable' | 'refused' | 'unmodelled';

export interface VerifyResult {
  status: VerifyStatus;
  /** QEMU refused to start (the recording is the one exit line). */
  refused: boolean;
  build: QemuBuild | null;
  /** Every run, in order. */
  runs: Recorded[];
  /** A unified diff (engine first, QEMU second) when they differ, or between runs when unstable. */
  diff: string;
  /** One line for humans about anything not "same". */
  message: string;
}

/** The comparable text of a run: normalised transcript lines, then stderr lines. */
export function comparable(lines: readonly TranscriptLine[], stderr: string, scenario: unknown): { text: string[]; problems: string[] } {
  const n = normaliseTranscript(lines, scenario);
  const err = stderr
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => `stderr: ${l}`);
  return { text: [...canonicalLines(n.lines), ...err], problems: n.problems };
}

export function unifiedDiff(aName: string, a: readonly string[], bName: string, b: readonly string[]): string {
  const patch = createTwoFilesPatch(aName, bName, `${a.join('\n')}\n`, `${b.join('\n')}\n`, '', '', { context: 3 });
  // Drop the "Index"/"====" header lines jsdiff writes first.
  return patch
    .split('\n')
    .filter((l) => !l.startsWith('====') && !l.startsWith('Index: '))
    .join('\n')
    .trimEnd();
}

/** The engine's comparable text for a release, or why it cannot run the scenario. */
export function engineComparable(scenario: Scenario, release: string): { text: string[]; problems: string[] } | { unmodelled: string } {
  if (!findRelease(release)) return { unmodelled: `QEMU ${release} is not a release the simulator models` };
  const session = runScenario(scenario, { checker: schemaChecker, release });
  if (session.limitation) return { unmodelled: `${session.limitation.path}: ${session.limitation.message}` };
  return comparable(session.engine.transcript.map(toLine), session.engine.stderr.map((l) => `${l}\n`).join(''), scenario);
}

export function describeBuild(b: QemuBuild | null): string {
  if (!b) return 'QEMU (version unknown)';
  return `QEMU ${b.version}${b.package ? ` (${b.package})` : ''}`;
}

export async function verifyScenario(scenario: Scenario, options: RecordOptions & { runs: number }): Promise<VerifyResult> {
  const runs: Recorded[] = [];
  for (let i = 0; i < Math.max(1, options.runs); i++) runs.push(await record(scenario, options));
  const first = runs[0]!;
  const build = first.build;
  const texts = runs.map((r) => comparable(r.lines, r.stderr, scenario));
  const base: Omit<VerifyResult, 'status' | 'diff' | 'message'> = { refused: first.refused, build, runs };
  const other = texts.findIndex((t) => t.text.join('\n') !== texts[0]!.text.join('\n'));
  if (other > 0) {
    return {
      ...base,
      status: 'unstable',
      diff: unifiedDiff('run 1', texts[0]!.text, `run ${other + 1}`, texts[other]!.text),
      message: `run ${other + 1} of ${runs.length} differs from run 1`,
    };
  }
  const release = build?.release ?? scenario.qemu;
  const engine = engineComparable(scenario, release);
  if ('unmodelled' in engine) return { ...base, status: 'unmodelled', diff: '', message: engine.unmodelled };
  const problems = [...texts[0]!.problems.map((p) => `recording: ${p}`), ...engine.problems.map((p) => `engine: ${p}`)];
  const same = engine.text.join('\n') === texts[0]!.text.join('\n') && problems.length === 0;
  if (same) {
    return {
      ...base,
      status: first.refused ? 'refused' : 'same',
      diff: '',
      message: first.refused ? `QEMU refused to start (exit ${first.lines[0]?.exit}), as the engine says` : '',
    };
  }
  return {
    ...base,
    status: 'differs',
    diff: unifiedDiff(`engine (QEMU ${release} model)`, engine.text, describeBuild(build), texts[0]!.text),
    message: problems.join('; '),
  };
}
