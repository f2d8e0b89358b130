/**
 * netdev-stream-lab as a library: the engine that simulates QEMU's
 * `-netdev stream` backend and its QMP monitor, the transcript
 * normalisation of the scenario format, share links, and the stand-in
 * QEMU on real sockets (startStandIn, ./stand-in.ts). The package's
 * `netdev-sim` command is a thin shell over the same functions.
 *
 * Everything here is plain data in, plain data out: a scenario is the
 * parsed JSON of a scenario file, a transcript is an array of JSON Lines
 * objects. Nothing prints, exits the process or installs handlers.
 */
import { schemaChecker } from '../core/qmp/schema-checker.ts';
import { findRelease, RELEASE_NAMES } from '../core/releases.ts';
import { checkScenario as checkCore, formatIssue as formatCoreIssue, type Scenario as CoreScenario } from '../core/scenario/schema.ts';
import { DEFAULT_EPOCH_SECONDS, runScenario as runCore } from '../core/scenario/session.ts';
import { parseTranscript, toLine } from '../core/transcript/format.ts';
import { canonicalLines, normaliseTranscript as normaliseCore } from '../core/transcript/normalise.ts';
import { decodeLink as decodeCore, encodeLink as encodeCore } from '../share/link.ts';
import type { DecodedLink, NormaliseResult, QmpEvent, Scenario, ScenarioCheck, ScenarioIssue, TranscriptLine } from './types.ts';

export type * from './types.ts';
export { startStandIn, type StandIn, type StandInOptions } from './stand-in.ts';

/** The QEMU releases the engine models, oldest first ("7.2" … "11.1"). */
export function releases(): string[] {
  return [...RELEASE_NAMES];
}

/** Checks a parsed JSON value against scenario format v1; every problem comes with the path of the bad value. */
export function checkScenario(value: unknown): ScenarioCheck {
  return checkCore(value);
}

/** An issue as one line: `steps[3].connect.type: expected one of "unix", "inet", "fd", got "tcp"`. */
export function formatIssue(issue: ScenarioIssue): string {
  return formatCoreIssue(issue);
}

/** Thrown by runScenario for a scenario it cannot run; `issues` says why, each with its path. */
export class ScenarioError extends Error {
  readonly issues: ScenarioIssue[];
  constructor(issues: ScenarioIssue[]) {
    super(issues.map(formatCoreIssue).join('\n'));
    this.name = 'ScenarioError';
    this.issues = issues;
  }
}

export interface RunOptions {
  /** The QEMU release to simulate; default: the scenario's `qemu`. */
  release?: string;
  /** Seconds since 1970 that simulated time 0 maps to (QMP timestamps); default 1700000000. */
  epochSeconds?: number;
}

export interface RunResult {
  release: string;
  /** The QMP transcript, as the format's JSON Lines objects. */
  transcript: TranscriptLine[];
  /** The same as JSON Lines text, one object per line (what `netdev-sim run` prints). */
  jsonl: string;
  /** The events QEMU sent, in order. */
  events: QmpEvent[];
  /** What QEMU wrote on stderr, line by line. */
  stderr: string[];
}

function checked(value: unknown): CoreScenario {
  const c = checkCore(value);
  if (!c.ok) throw new ScenarioError(c.issues);
  return c.scenario;
}

/**
 * Runs a scenario (a parsed scenario file, or a Scenario) on the simulated
 * QEMU and returns its transcript. Throws ScenarioError for an invalid
 * scenario, an unknown release or one the simulator cannot run.
 */
export function runScenario(scenario: unknown, options: RunOptions = {}): RunResult {
  const s = checked(scenario);
  const release = options.release ?? s.qemu;
  if (!findRelease(release)) {
    throw new ScenarioError([{ path: '', message: `unknown QEMU release ${JSON.stringify(release)}: expected one of ${RELEASE_NAMES.join(', ')}` }]);
  }
  const epochSeconds = options.epochSeconds ?? DEFAULT_EPOCH_SECONDS;
  if (!Number.isInteger(epochSeconds) || epochSeconds < 0) {
    throw new ScenarioError([{ path: '', message: `epochSeconds: expected whole seconds since 1970, got ${String(epochSeconds)}` }]);
  }
  const session = runCore(s, { checker: schemaChecker, release, epochSeconds });
  if (session.limitation) throw new ScenarioError([session.limitation]);
  const transcript = session.engine.transcript.map(toLine);
  const events = transcript.flatMap((l) => (l.dir === '<-' && isEvent(l.msg) ? [l.msg] : []));
  return { release, transcript, jsonl: transcript.map((l) => `${JSON.stringify(l)}\n`).join(''), events, stderr: [...session.engine.stderr] };
}

function isEvent(msg: unknown): msg is QmpEvent {
  return typeof msg === 'object' && msg !== null && typeof (msg as { event?: unknown }).event === 'string';
}

function linesOf(transcript: readonly TranscriptLine[] | string): readonly TranscriptLine[] {
  if (typeof transcript !== 'string') return transcript;
  const parsed = parseTranscript(transcript);
  if (!parsed.ok) throw new SyntaxError(`not a JSON Lines transcript: ${parsed.error}`);
  return parsed.lines;
}

/**
 * The format's normalisation: what a real recording and the simulator
 * legitimately differ in (timestamps, ports the kernel picked, …) is
 * replaced. `transcript` is an array of lines or JSON Lines text.
 */
export function normaliseTranscript(transcript: readonly TranscriptLine[] | string, scenario: unknown): NormaliseResult {
  return normaliseCore(linesOf(transcript), scenario);
}

/** Whether two transcripts of a scenario are the same after normalisation. */
export function sameTranscript(a: readonly TranscriptLine[] | string, b: readonly TranscriptLine[] | string, scenario: unknown): boolean {
  const x = canonicalLines(normaliseTranscript(a, scenario).lines);
  const y = canonicalLines(normaliseTranscript(b, scenario).lines);
  return x.length === y.length && x.every((line, i) => line === y[i]);
}

export interface LinkOptions {
  /** The release the simulator shows; default: the scenario's `qemu`. */
  release?: string;
  /** Steps done, 0 (before the first step, the default) to the number of steps. */
  step?: number;
  /** The simulator page's address, e.g. "https://example.org/simulator/"; without it only the fragment ("s=v1.…") is returned. */
  base?: string;
}

/**
 * A share link that opens the scenario in the simulator at a step. Rejects
 * with an Error named "LinkEncodeError", whose `code` says why (e.g.
 * "invalid-scenario", "bad-step", "too-large"), for one no link can hold.
 */
export function encodeLink(scenario: Scenario | unknown, options: LinkOptions = {}): Promise<string> {
  const { step = 0, ...rest } = options;
  return encodeCore(scenario as CoreScenario, { step, ...rest });
}

/** Reads a share link, a page address with one, or its fragment; never throws: a bad link gives `{ok: false, error}`. */
export function decodeLink(link: string): Promise<DecodedLink> {
  return decodeCore(link);
}
