/**
 * What the simulator's tools (peer form, console, editor, links, compare,
 * predict, acting on the picture) may ask of <nsl-simulator>. Each tool is
 * its own module and gets this handle; none reaches into another. Tools
 * learn about changes from two bubbling events: `nsl-shown` after a new
 * trace is shown (a run, an edit, undo), and the player's `nsl-position`.
 *
 * Types only: importing this costs the page nothing.
 */
import type { Scenario, Step } from '../../core/scenario/schema.ts';
import type { EngineClient } from '../engine/client.ts';
import type { RunResult } from '../engine/protocol.ts';
import type { PlayerApi } from '../player/player.ts';
import type { ReleaseInfo } from '../trace/types.ts';

export interface RunOptions {
  /** The change came from the JSON editor: do not write the text back into it. */
  fromEditor?: boolean;
  /** Simulate this release from now on (null: the scenario's own); kept only when the run succeeds. */
  release?: string | null;
}

/** A step added where the player stood, and what running it gave. */
export interface Inserted {
  /** The new step's number (1-based). */
  step: number;
  result: RunResult & { kind: 'ok' };
}

export interface SimHost extends HTMLElement {
  readonly scenario: Scenario;
  /** The release being simulated (the scenario's own unless another was chosen). */
  readonly release: string;
  readonly releaseOverride: string | null;
  readonly releases: readonly ReleaseInfo[];
  readonly player: PlayerApi;
  engine(): Promise<EngineClient>;
  /** Runs a scenario (any JSON value) on the current release and shows it at `position`; problems go to `messageEl`. Not recorded for undo. */
  run(value: unknown, position: number, messageEl: Element | null, opts?: RunOptions): Promise<RunResult | null>;
  /** Runs and shows an edited scenario (any JSON value; the engine checks it), and records the edit for undo and redo. */
  edit(label: string, next: { scenario: unknown; position: number }, messageEl: Element | null, opts?: RunOptions): Promise<RunResult | null>;
  /** Adds a step right after the current position (an edit). */
  insertStep(step: Step, messageEl: Element | null): Promise<Inserted | null>;
  /** Refuses a change from outside the JSON editor while it holds unapplied text; true when refused. */
  editorBlocks(messageEl: Element | null): boolean;
  /** The reader starts a new action: the last action's messages go. */
  newAction(): void;
}
