/**
 * Runs a scenario on the engine, step by step, on the recordings' timeline.
 *
 * Position k is the state after step k and the time that follows it (up to
 * the next step); position 0 is QEMU just started, negotiated, before the
 * first step. `seek` rebuilds any position from the nearest checkpoint, so
 * stepping back costs a restore and a few replayed steps, not a full rerun.
 */
import { bootNetdevs } from '../boot.ts';
import type { PeerAction } from '../peers/peers.ts';
import { Engine, type EngineCheckpoint, type EngineOutputs } from '../engine.ts';
import type { ArgumentChecker } from '../qmp/arguments.ts';
import { SHUTDOWN_EXIT_STATUS } from '../qmp/shutdown.ts';
import { findRelease, type Release } from '../releases.ts';
import { hexToBytes } from '../util/hex.ts';
import { portsWritten, type Scenario, type Step } from './schema.ts';
import { firstStepAt, timeline, type Timeline } from './timeline.ts';

/** Seconds since 1970 that simulated time 0 maps to, unless told otherwise. */
export const DEFAULT_EPOCH_SECONDS = 1_700_000_000;

export interface SessionOptions {
  checker: ArgumentChecker;
  /** Overrides the scenario's `qemu`. */
  release?: string;
  epochSeconds?: number;
  keepFrames?: boolean;
  /** Take a checkpoint every this many steps (0: none). */
  checkpointEvery?: number;
}

/** A reason the simulator cannot run a scenario (not something QEMU says). */
export interface SimulatorLimitation {
  path: string;
  message: string;
}

export class Session {
  readonly scenario: Scenario;
  readonly release: Release;
  readonly engine: Engine;
  readonly timeline: Timeline;
  readonly limitation: SimulatorLimitation | null = null;
  /** Steps done; `position` = k means steps 1..k ran with their windows. */
  position = -1;
  /** QEMU refused to start: the transcript is the exit line. */
  startupFailed = false;
  private readonly checkpointEvery: number;
  private readonly checkpoints = new Map<number, EngineCheckpoint>();
  private farthest = -1;
  /** Outputs of the run that went farthest; restores take prefixes from it. */
  private history: Readonly<EngineOutputs> | null = null;

  constructor(scenario: Scenario, options: SessionOptions) {
    this.scenario = scenario;
    const name = options.release ?? scenario.qemu;
    const release = findRelease(name);
    if (!release) throw new RangeError(`unknown QEMU release ${JSON.stringify(name)}`);
    this.release = release;
    this.timeline = timeline(scenario.steps);
    this.checkpointEvery = options.checkpointEvery ?? 0;
    this.engine = new Engine({
      release,
      checker: options.checker,
      epochSeconds: options.epochSeconds ?? DEFAULT_EPOCH_SECONDS,
      reservedPorts: portsWritten(scenario),
      keepFrames: options.keepFrames ?? false,
    });
    this.limitation = this.boot();
    this.engine.runUntil(firstStepAt(scenario.steps));
    this.position = 0;
    this.noteProgress();
  }

  get stepCount(): number {
    return this.scenario.steps.length;
  }

  get done(): boolean {
    return this.position >= this.stepCount || this.startupFailed;
  }

  /** QEMU's start-up: command-line netdevs, then the QMP client negotiates. */
  private boot(): SimulatorLimitation | null {
    const e = this.engine;
    const optargs = this.scenario.netdevs.map((nd) => e.checker.dottedOptions(nd));
    const r = bootNetdevs(e, optargs);
    if (r.ok === 'declined') return { path: `netdevs[${r.index}].type`, message: r.message };
    if (r.ok === false) {
      e.stderrLine(r.line);
      e.stderrLine(`[recorder] qemu exit status 1 (${r.beforeQmpSocket ? 'QMP socket never accepted' : 'no QMP greeting'})`);
      e.record({ exit: 1, stderr: r.line, t: 0, step: 0 });
      this.startupFailed = true;
      return null;
    }
    // Start-up work happens before the QMP client is there.
    e.runThrough(0);
    e.record({ dir: '<-', msg: e.monitor.greeting(), t: 0, step: 0 });
    this.qmp({ execute: 'qmp_capabilities' }, 0);
    return null;
  }

  private qmp(request: unknown, step: number): void {
    const e = this.engine;
    if (e.exited) {
      e.stderrLine('[recorder] QMP connection closed; command not sent');
      return;
    }
    e.record({ dir: '->', msg: request, t: e.now, step });
    const reply = e.monitor.handle(request);
    e.record({ dir: '<-', msg: reply, t: e.now, step });
    // quit: SHUTDOWN went out before the reply; QEMU now exits with status 0.
    if (e.monitor.quitRequested) {
      e.exit();
      e.record({ exit: SHUTDOWN_EXIT_STATUS, t: e.now, step });
    }
  }

  /** Runs the next step and the time after it. Returns false at the end. */
  step(): boolean {
    if (this.done) return false;
    const i = this.position;
    const step = this.scenario.steps[i]!;
    this.engine.runUntil(this.timeline.starts[i]!);
    this.engine.currentStep = i + 1;
    this.perform(step, i + 1);
    this.engine.runUntil(this.timeline.ends[i]!);
    this.position = i + 1;
    // The recorder notes a QEMU that died on its own once the scenario is over.
    const died = this.engine.crashedWith;
    if (this.position === this.stepCount && died !== null) this.engine.stderrLine(`[recorder] qemu exit status ${died}`);
    this.noteProgress();
    return true;
  }

  /** Runs to the end of the scenario. */
  runToEnd(): void {
    while (this.step());
  }

  private perform(step: Step, index: number): void {
    if ('qmp' in step) this.qmp(step.qmp, index);
    else if ('wait' in step) return;
    else this.engine.peerAct(step.peer, peerAction(step));
  }

  private noteProgress(): void {
    const every = this.checkpointEvery;
    const due = this.position === 0 || (every > 0 && this.position % every === 0);
    if (due && !this.checkpoints.has(this.position)) this.checkpoints.set(this.position, this.engine.checkpoint());
    if (this.position > this.farthest || this.history === null) {
      this.farthest = Math.max(this.farthest, this.position);
      // Outputs only grow while stepping forward, so these arrays keep
      // holding the farthest run's history after a later restore.
      this.history = this.engine.outputs();
    }
  }

  /**
   * Rebuilds position `k` (clamped to 0..stepCount): steps forward when
   * that is shorter, otherwise restores the nearest checkpoint at or
   * before `k` and replays the steps after it.
   */
  seek(k: number): void {
    const target = Math.max(0, Math.min(Math.trunc(k), this.startupFailed ? 0 : this.stepCount));
    if (target === this.position) return;
    let base = 0;
    for (const p of this.checkpoints.keys()) if (p <= target && p > base) base = p;
    if (!(target > this.position && this.position >= base)) {
      this.engine.restore(this.checkpoints.get(base)!, this.history!);
      this.position = base;
    }
    while (this.position < target) this.step();
  }

  /** The positions that have a checkpoint (for tests and benchmarks). */
  checkpointPositions(): number[] {
    return [...this.checkpoints.keys()].sort((a, b) => a - b);
  }
}

/** Runs a whole scenario and returns its session at the end. */
export function runScenario(scenario: Scenario, options: SessionOptions): Session {
  const s = new Session(scenario, options);
  s.runToEnd();
  return s;
}

/** What a peer step tells the peer to do. */
function peerAction(step: Exclude<Step, { qmp: unknown } | { wait: number }>): PeerAction {
  if ('listen' in step) return { listen: step.listen };
  if ('connect' in step) return { connect: step.connect };
  if ('send' in step) return { write: hexToBytes(step.send), framed: true };
  if ('send-raw' in step) return { write: hexToBytes(step['send-raw']), framed: false };
  return { close: true };
}
