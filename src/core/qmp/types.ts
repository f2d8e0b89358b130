/** Shapes shared by the monitor, the engine and the transcript writer. */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type QmpErrorClass = 'GenericError' | 'CommandNotFound' | 'DeviceNotActive' | 'DeviceNotFound' | 'KVMMissingCap';

export interface QmpError {
  class: QmpErrorClass;
  desc: string;
}

/** One line of a transcript (scenario format v1), plus the simulated time. */
export type TranscriptEntry =
  | { dir: '->' | '<-'; msg: unknown; t: number; step: number }
  /** QEMU exited: at start-up with its error line, or after quit (no stderr member). */
  | { exit: number; stderr?: string; t: number; step: number };

/** A QMP event as the backend emitted it, delivered or not. */
export interface EmittedEvent {
  t: number;
  event: string;
  data: Record<string, unknown>;
  /** False when no negotiated monitor was there to receive it. */
  delivered: boolean;
  /** The netdev instance that emitted it, when it came from one. */
  handle?: number;
}

/** Outcome of validating arguments against the QAPI schema. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };
