/**
 * A trace: one scenario run on one release, kept as plain data for every
 * position 0..last. The player renders traces and nothing else, so a page
 * can show a run the build computed without shipping the engine, and the
 * engine (in a worker) only ever answers with a new trace.
 *
 * Only types here: importing this module costs the browser nothing.
 */
import type { ConnectionView, ListenerView, NetdevView, PeerView } from '../../core/scenario/view.ts';

export const TRACE_FORMAT = 2;

export type EntryKind = 'greeting' | 'command' | 'return' | 'error' | 'event' | 'exit';

export interface TraceEntry {
  /** The line exactly as the transcript format (JSON Lines, v1) writes it. */
  line: string;
  kind: EntryKind;
  /** A short name: the command, the event, the error class. */
  label: string;
  /** Simulated time in ms. */
  t: number;
  /** The position at which the entry first appears. */
  step: number;
}

export interface TraceEvent {
  t: number;
  event: string;
  netdev: string | null;
  /** False when no negotiated QMP client was there to receive it. */
  delivered: boolean;
}

export interface TraceFrame {
  t: number;
  netdev: string;
  length: number;
  /** The frame's first bytes as hex (up to 64 bytes), or null when not kept. */
  head: string | null;
}

export interface TraceStep {
  /** The step's action: qmp, listen, connect, send, send-raw, close, wait. */
  kind: string;
  peer: string | null;
  /** The address a listen or connect step names, as addressText writes it. */
  address: string | null;
  /** One sentence saying what the step does. */
  text: string;
  /** When it runs, in simulated ms. */
  start: number;
}

export interface TracePosition {
  /** Simulated time at the end of this position's window. */
  now: number;
  /** How many transcript entries, stderr lines, events and frames exist by now. */
  transcript: number;
  stderr: number;
  events: number;
  frames: number;
  netdevs: NetdevView[];
  listeners: ListenerView[];
  connections: ConnectionView[];
  peers: PeerView[];
  infoNetwork: string;
  /** What the stage draws and says for the step that led here. */
  stage: StagePosition;
}

/** Something QEMU said during a step: a QMP event, a command's answer, a line on stderr. */
export interface StageSaid {
  kind: 'event' | 'return' | 'error' | 'stderr';
  /** The event's name, "return", the error class, or "stderr". */
  name: string;
  /** The netdev an event concerns. */
  netdev: string | null;
  /** The data in short, e.g. `netdev-id: n0, addr: unix:/tmp/sim/n0.sock`; the answer; the stderr line. */
  text: string;
  /** False for an event no negotiated QMP client received. */
  delivered: boolean;
}

/** Bytes a peer wrote during a step, and the connection they travel on. */
export interface StageTravel {
  conn: number;
  /** The peer that wrote them. */
  peer: string;
  kind: 'frame' | 'raw';
  /** Payload bytes (a frame's length prefix not counted). */
  bytes: number;
  /** The netdev that read them during the step, or null when they wait unread. */
  readBy: string | null;
}

export interface StagePosition {
  /** What the step did, in a sentence; at position 0, what happened at start. */
  did: string;
  said: StageSaid[];
  /** Netdevs whose machine state changed during the step (state ids; "" for a netdev that did not exist). */
  changes: { netdev: string; from: string; to: string }[];
  travel: StageTravel | null;
  /** Connections whose QEMU end QEMU no longer reads (a zero-length frame stalled it). */
  wedged: number[];
  /** Connections one side has closed or seen end-of-file on while the other still holds it. */
  broken: number[];
}

/** What the picture keeps in place over the whole run, so nothing moves between steps. */
export interface StageCast {
  /** Every netdev of the run, in order of creation (handle, id, mode). */
  netdevs: { handle: number; id: string; mode: 'server' | 'client' }[];
  /** Every peer of the run, in order of first appearance. */
  peers: string[];
  /** The most call-outs one netdev gets in a single step. */
  calloutLines: number;
}

export interface Trace {
  format: typeof TRACE_FORMAT;
  /** The release simulated, and the one the scenario names. */
  release: string;
  scenarioRelease: string;
  title: string;
  stepCount: number;
  /** The last position that can be reached (0 when QEMU refused to start). */
  last: number;
  startupFailed: boolean;
  /** When the simulator declines the scenario, why (not something QEMU says). */
  limitation: { path: string; message: string } | null;
  /** When the transcript ends, in simulated ms. */
  end: number;
  steps: TraceStep[];
  transcript: TraceEntry[];
  stderr: string[];
  events: TraceEvent[];
  frames: TraceFrame[];
  /** One entry per position 0..last. */
  positions: TracePosition[];
  cast: StageCast;
}

/** A release as the pickers show it. */
export interface ReleaseInfo {
  name: string;
  recorded: boolean;
  change: string;
}
