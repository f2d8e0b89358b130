/**
 * One simulated QEMU process with its QMP monitor, the simulated kernel and
 * the outside programs (peers), on a simulated clock. A small coordinator:
 * each part owns its state (netdevs/netdevs.ts, peers/peers.ts,
 * net/network.ts, qmp/monitor.ts, scheduler.ts); the engine wires them
 * together, keeps the outputs and shows them to others read-only.
 *
 * Work is a queue of plain-data tasks ordered by (time, priority,
 * sequence). A scenario step runs before any task due at the same instant,
 * then those tasks run by GLib priority (netdevTaskPriority), then in the
 * order they were queued.
 */
import {
  emptyOutputs,
  outputsAt,
  restoreParts,
  takeCheckpoint,
  type EngineCheckpoint,
  type EngineOutputs,
  type EngineParts,
  type Task,
} from './checkpoint.ts';
import { emptyNetwork, Network, type Connection, type Listener } from './net/network.ts';
import {
  Netdevs,
  netdevTaskPriority,
  type FrameRecord,
  type NetdevHost,
  type NetdevRecord,
} from './netdev/netdevs.ts';
import { SimulatedSockets } from './netdev/simulated-sockets.ts';
import type { SocketHost, SocketLayer } from './netdev/socket-layer.ts';
import type { StreamOptions } from './netdev/stream-logic.ts';
import type { NetdevContext } from './netdev/stream-machine.ts';
import { Peers, type PeerAction, type PeerHost, type PeerRecord } from './peers/peers.ts';
import type { ArgumentChecker } from './qmp/arguments.ts';
import { Monitor, type MonitorHost } from './qmp/monitor.ts';
import { inQemuOrder } from './qmp/qdict.ts';
import type { EmittedEvent, TranscriptEntry } from './qmp/types.ts';
import type { Release } from './releases.ts';
import { Scheduler } from './scheduler.ts';
import { SeededRandom } from './util/random.ts';

export const QEMU_BINARY = 'qemu-system-x86_64';

export type { EngineCheckpoint, EngineOutputs, FrameRecord, NetdevRecord, PeerRecord };

export interface EngineConfig {
  release: Release;
  checker: ArgumentChecker;
  /** Event timestamps count from here (seconds since 1970). */
  epochSeconds: number;
  /** Ports the scenario writes down; ephemeral ports avoid them. */
  reservedPorts?: Iterable<number>;
  /** Keep the first bytes of every frame QEMU reassembles (for views). */
  keepFrames?: boolean;
  seed?: number;
  /**
   * Microseconds since 1970 at simulated time 0, for sub-second start times
   * (the real-socket adapter); overrides epochSeconds.
   */
  epochMicros?: number;
  /**
   * The sockets QEMU's netdevs use. Default: the simulated kernel, where
   * peers live too. An adapter may pass real sockets (no peers then).
   */
  sockets?: (host: SocketHost) => SocketLayer;
  /**
   * Keep the transcript, stderr and event history (default true). A
   * long-running adapter turns it off and reads `eventTap` and
   * `stderrSink` instead, so memory stays flat; deleted netdevs are then
   * forgotten too.
   */
  keepOutputs?: boolean;
}

/** The simulated kernel's sockets, for views: read them, do not change them. */
export interface KernelView {
  listeners: ReadonlyMap<number, Readonly<Listener>>;
  connections: ReadonlyMap<number, Readonly<Connection>>;
}

/** Linux signal numbers of the signals the simulated QEMU can die of. */
const SIGNAL_NUMBERS = { SIGSEGV: 11 } as const;

export class Engine implements MonitorHost {
  readonly release: Release;
  readonly checker: ArgumentChecker;
  readonly epochMicros: number;
  readonly monitor: Monitor;
  /** The step whose window is running (0 before the first step). */
  currentStep = 0;
  /** Where QEMU's stderr lines go besides the record (a real process's stderr). */
  stderrSink: ((line: string) => void) | null = null;
  /** Where delivered events go besides the transcript (a real QMP socket). */
  eventSink: ((msg: unknown) => void) | null = null;
  /** Sees every event QEMU emits, delivered to the engine's monitor or not (the stand-in's own monitors). */
  eventTap: ((msg: Record<string, unknown>) => void) | null = null;

  private readonly clock: Scheduler<Task>;
  private readonly net: Network;
  private readonly netdevs: Netdevs;
  private readonly peers: Peers;
  private out: EngineOutputs = emptyOutputs();
  private hasExited = false;
  private crashStatus: number | null = null;
  private readonly keep: boolean;
  private eventTotal = 0;
  private rng: SeededRandom;

  constructor(config: EngineConfig) {
    this.release = config.release;
    this.checker = config.checker;
    this.epochMicros = config.epochMicros ?? config.epochSeconds * 1e6;
    this.rng = new SeededRandom(config.seed ?? 0x5eed);
    this.keep = config.keepOutputs ?? true;
    this.clock = new Scheduler<Task>(
      (task, at) => this.runTask(task, at),
      (task) => netdevTaskPriority(task),
    );
    const host: NetdevHost & PeerHost = {
      now: () => this.clock.now,
      eventCount: () => (this.keep ? this.out.events.length : this.eventTotal),
      schedule: (task: Task, delay?: number) => this.clock.schedule(task, delay),
      stderrLine: (line) => this.stderrLine(line),
      emitQmpEvent: (event, data, handle) => this.emitQmpEvent(event, data, handle),
      frame: (f) => this.out.frames.push(f),
      tempName: () => this.tempName(),
      crash: (signal) => this.crash(signal),
    };
    let simulated: SimulatedSockets | null = null;
    // The kernel tells peers about their sockets, and the simulated socket layer about QEMU's.
    this.net = new Network(
      emptyNetwork(config.reservedPorts ?? []),
      (n) => (n.owner.kind === 'peer' ? this.peers.notice(n) : simulated?.notice(n)),
      (connId, ms) => this.clock.schedule({ kind: 'kernel.timer', connId }, ms),
    );
    this.peers = new Peers(this.net, host);
    const sockets = config.sockets ?? ((h: SocketHost) => (simulated = new SimulatedSockets(this.net, h)));
    this.netdevs = new Netdevs(host, this.release, config.keepFrames ?? false, sockets, !this.keep);
    this.monitor = new Monitor(this);
  }

  // -- time -----------------------------------------------------------------

  /** Simulated time in ms. */
  get now(): number {
    return this.clock.now;
  }

  /** Runs every task due before `t`, then sets the clock to `t`. */
  runUntil(t: number): void {
    this.clock.runUntil(t);
  }

  /** Runs tasks due at or before `t` (start-up work at t = 0). */
  runThrough(t: number): void {
    this.clock.runThrough(t);
  }

  /** When the next queued task is due, if any. */
  nextTaskAt(): number | null {
    return this.clock.nextTaskAt();
  }

  timestamp(t = this.clock.now): { seconds: number; microseconds: number } {
    const micros = Math.round(this.epochMicros + t * 1000);
    return { seconds: Math.floor(micros / 1e6), microseconds: micros % 1e6 };
  }

  private runTask(task: Task, at: number): void {
    if (task.kind === 'peer.accept' || task.kind === 'peer.read') this.peers.runTask(task);
    else if (task.kind === 'kernel.timer') this.net.kernelTimer(task.connId);
    else this.netdevs.runTask(task, at);
  }

  private tempName(): string {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < 6; i++) s += chars[this.rng.int(chars.length)];
    return s;
  }

  // -- outputs (read-only to everyone else) ---------------------------------

  get transcript(): readonly TranscriptEntry[] {
    return this.out.transcript;
  }

  get stderr(): readonly string[] {
    return this.out.stderr;
  }

  /** Every QMP event QEMU emitted, delivered to a client or not. */
  get events(): readonly EmittedEvent[] {
    return this.out.events;
  }

  /** Frames QEMU reassembled (kept only with `keepFrames`). */
  get frames(): readonly FrameRecord[] {
    return this.out.frames;
  }

  /**
   * The output arrays themselves. They only grow while the engine runs
   * forward, so a session keeps them as the history restores take
   * prefixes from.
   */
  outputs(): Readonly<EngineOutputs> {
    return this.out;
  }

  get exited(): boolean {
    return this.hasExited;
  }

  record(entry: TranscriptEntry): void {
    if (this.keep) this.out.transcript.push(entry);
  }

  stderrLine(line: string): void {
    if (this.keep) this.out.stderr.push(line);
    this.stderrSink?.(line);
  }

  /** A QMP event leaves QEMU: delivered only to a negotiated monitor. */
  emitQmpEvent(event: string, data: Record<string, unknown>, handle?: number): void {
    const delivered = this.monitor.receivesEvents();
    const now = this.clock.now;
    this.eventTotal++;
    if (this.keep) this.out.events.push({ t: now, event, data, delivered, ...(handle !== undefined ? { handle } : {}) });
    this.eventTap?.(inQemuOrder({ event, timestamp: this.timestamp(), data }));
    if (delivered) {
      const msg = inQemuOrder({ event, timestamp: this.timestamp(), data });
      this.record({ dir: '<-', msg, t: now, step: this.currentStep });
      this.eventSink?.(msg);
    }
  }

  /**
   * QEMU dies of `signal`: it exits at once with status 128 + the signal's
   * number (as the recorder reports it), the exit line ends the transcript
   * and the recorder's note on the status comes when the scenario ends
   * (Session).
   */
  crash(signal: 'SIGSEGV'): void {
    if (this.hasExited) return;
    const status = 128 + SIGNAL_NUMBERS[signal];
    this.exit();
    this.crashStatus = status;
    this.record({ exit: status, t: this.clock.now, step: this.currentStep });
  }

  /** The exit status when QEMU died of a signal, else null. */
  get crashedWith(): number | null {
    return this.crashStatus;
  }

  /** QEMU exits (quit): its sockets close, no stream event is sent. */
  exit(): void {
    if (this.hasExited) return;
    this.hasExited = true;
    // The process is gone: nothing it had queued will run.
    this.clock.clear();
    this.netdevs.exit();
  }

  // -- netdevs --------------------------------------------------------------

  /** Every netdev created so far (deleted ones too), by handle. */
  netdevList(): readonly Readonly<NetdevRecord>[] {
    return this.netdevs.list();
  }

  /** A netdev's machine: its context and state value, until it is deleted. */
  netdevMachine(handle: number): { context: NetdevContext; value: unknown } | undefined {
    return this.netdevs.machine(handle);
  }

  hasNetdev(id: string): boolean {
    return this.netdevs.liveNetdev(id) !== undefined;
  }

  optionError(options: StreamOptions): string | null {
    return this.netdevs.optionError(options);
  }

  createNetdev(id: string, options: StreamOptions, fromCommandLine: boolean): void {
    this.netdevs.create(id, options, fromCommandLine);
  }

  deleteNetdev(id: string): boolean {
    return this.netdevs.delete(id);
  }

  setLink(id: string, up: boolean): boolean {
    return this.netdevs.setLink(id, up);
  }

  netdevInfo(): { id: string; info: string }[] {
    return this.netdevs
      .list()
      .filter((r) => !r.deleted)
      .map((r) => ({ id: r.id, info: this.netdevs.machine(r.handle)?.context.info ?? '' }));
  }

  // -- peers and the simulated kernel -------------------------------------------

  /** A scenario step for an outside program. */
  peerAct(name: string, action: PeerAction): void {
    this.peers.act(name, action);
  }

  peerList(): readonly Readonly<PeerRecord>[] {
    return this.peers.list();
  }

  kernel(): KernelView {
    return { listeners: this.net.listeners, connections: this.net.connections };
  }

  // -- checkpoints ------------------------------------------------------------

  private get parts(): EngineParts {
    return { clock: this.clock, network: this.net, netdevs: this.netdevs, peers: this.peers, monitor: this.monitor };
  }

  checkpoint(): EngineCheckpoint {
    return takeCheckpoint(this.parts, { exited: this.hasExited, crashStatus: this.crashStatus, rngSeed: this.rng.seed }, this.out);
  }

  /**
   * Puts the engine back to `cp`. Outputs up to the checkpoint are taken
   * from `history`, the outputs of a run that went through it.
   */
  restore(cp: EngineCheckpoint, history: Readonly<EngineOutputs>): void {
    restoreParts(this.parts, cp);
    this.out = outputsAt(cp, history);
    this.hasExited = cp.exited;
    this.crashStatus = cp.crashStatus;
    this.rng = new SeededRandom(cp.rngSeed);
  }
}
