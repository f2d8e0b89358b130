/**
 * The library's public types, written out so the package's declarations
 * stand alone (no valibot, no engine internals). test/lib/library.test.ts
 * checks at compile time that they and the core's types accept the same
 * values, so they cannot drift apart.
 */

/** A peer's address: the SocketAddress branches a stream socket uses. */
export type PeerAddress =
  | { type: 'unix'; path: string; abstract?: boolean; tight?: boolean }
  | { type: 'inet'; host: string; port: string; ipv4?: boolean; ipv6?: boolean }
  | { type: 'fd'; str: string };

/** One step of a scenario (scenario format v1). */
export type Step =
  | { qmp: unknown }
  | { peer: string; listen: PeerAddress }
  | { peer: string; connect: PeerAddress }
  | { peer: string; send: string }
  | { peer: string; 'send-raw': string }
  | { peer: string; close: true }
  | { wait: number };

/** A checked scenario (scenario format v1). */
export interface Scenario {
  scenario: 1;
  title?: string;
  description?: string;
  /** The QEMU release it models, "MAJOR.MINOR" (see releases()). */
  qemu: string;
  /** Each netdev's netdev_add arguments, created at start-up as -netdev options. */
  netdevs: Record<string, unknown>[];
  steps: Step[];
}

/** A problem in a scenario: the path of the bad value ("steps[3].connect.type"; "" for the whole) and what is wrong. */
export interface ScenarioIssue {
  path: string;
  message: string;
}

export type ScenarioCheck = { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] };

/** One line of a transcript in the JSON Lines format: a QMP message in either direction, or QEMU's exit. */
export interface TranscriptLine {
  dir?: '->' | '<-';
  msg?: unknown;
  exit?: number;
  stderr?: string;
}

export interface NormaliseResult {
  lines: TranscriptLine[];
  /** Problems found on the way, e.g. a timestamp that went backwards. */
  problems: string[];
}

export type LinkErrorCode =
  | 'empty'
  | 'not-a-link'
  | 'newer-version'
  | 'too-large'
  | 'bad-characters'
  | 'truncated'
  | 'corrupt'
  | 'bad-data'
  | 'too-deep'
  | 'invalid-scenario'
  | 'unknown-release'
  | 'bad-step';

/** A share link read back: the scenario, the release it is viewed with and the step. */
export type DecodedLink =
  | { ok: true; scenario: Scenario; release: string; step: number; version: number }
  | { ok: false; code: LinkErrorCode; error: string; issues?: ScenarioIssue[] };

/** A QMP event as QEMU sends it. */
export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  timestamp: { seconds: number; microseconds: number };
}
