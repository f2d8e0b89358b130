/**
 * One simulated QEMU process with its QMP monitor, the simulated kernel and
 * the outside programs (peers), on a simulated clock.
 *
 * Work is a queue of plain-data tasks ordered by (time, sequence): what
 * QEMU's main loop, its worker threads and the peers would do next. A
 * scenario step runs before any task due at the same instant, then those
 * tasks run in the order they were queued.
 */
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import { reportAddress, type KernelAddress, type SocketAddress } from './net/address.ts';
import { encodeFrame, fillReadState, initialReadState, NET_BUFSIZE, type ReadState } from './net/framing.ts';
import {
  cloneNetwork,
  emptyNetwork,
  Network,
  STRERROR,
  type NetworkState,
  type Notice,
  type Owner,
} from './net/network.ts';
import { connectFailureText } from './netdev/qemu-sockets.ts';
import { SimulatedSockets } from './netdev/simulated-sockets.ts';
import type { ConnectResult, ListenResult, SocketHost, SocketLayer } from './netdev/socket-layer.ts';
import { streamOptionError, type StreamOptions } from './netdev/stream-logic.ts';
import { streamNetdevMachine, type NetdevContext, type NetdevEmitted } from './netdev/stream-machine.ts';
import type { ArgumentChecker } from './qmp/arguments.ts';
import { Monitor, type MonitorState } from './qmp/monitor.ts';
import { inQemuOrder } from './qmp/qdict.ts';
import type { EmittedEvent, TranscriptEntry } from './qmp/types.ts';
import type { Release } from './releases.ts';
import { peerAddressTarget } from './peers/peer.ts';
import { TaskHeap } from './util/heap.ts';
import { SeededRandom } from './util/random.ts';

export const QEMU_BINARY = 'qemu-system-x86_64';

export type Task = { at: number; seq: number } & (
  | { kind: 'netdev.listen'; handle: number }
  | { kind: 'netdev.connect'; handle: number }
  | { kind: 'netdev.connected'; handle: number; conn: { connId: number; side: 0 | 1 }; remote: SocketAddress }
  | { kind: 'netdev.connect-failed'; handle: number; message: string }
  | { kind: 'netdev.accept'; handle: number }
  | { kind: 'netdev.read'; handle: number }
  | { kind: 'netdev.timer'; handle: number }
  | { kind: 'peer.accept'; name: string }
  | { kind: 'peer.read'; name: string }
);

type TaskBody = Task extends infer T ? (T extends Task ? Omit<T, 'at' | 'seq'> : never) : never;

/** Everything the engine knows about one netdev instance besides its machine. */
export interface NetdevRecord {
  handle: number;
  id: string;
  options: StreamOptions;
  fromCommandLine: boolean;
  createdAt: number;
  deleted: boolean;
  deletedAt: number | null;
  /** How many events had been emitted when the netdev was deleted. */
  deletedAtEvent: number | null;
  listenerId: number | null;
  /** QEMU's end of the current connection. */
  conn: { connId: number; side: 0 | 1 } | null;
  /** A connect attempt in flight (QEMU's worker thread). */
  connecting: { connId: number | null } | null;
  rs: ReadState;
  readPending: boolean;
  acceptPending: boolean;
  /** When the armed reconnect timer fires, if one is armed. */
  timerAt: number | null;
  framesIn: number;
  bytesIn: number;
}

export interface PeerRecord {
  name: string;
  listenerId: number | null;
  listenAddr: SocketAddress | null;
  conn: { connId: number; side: 0 | 1 } | null;
  /** The connect waits for room in a full backlog. */
  blocked: boolean;
  readPending: boolean;
  acceptPending: boolean;
}

export interface FrameRecord {
  t: number;
  handle: number;
  length: number;
  /** The frame's first bytes (up to 64), when the engine keeps bytes. */
  head: Uint8Array | null;
}

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
}

/** The engine's state as plain data (machines aside): what a checkpoint keeps. */
export interface EngineData {
  now: number;
  seq: number;
  tasks: TaskHeap<Task>;
  network: NetworkState;
  netdevs: NetdevRecord[];
  live: Map<string, number>;
  peers: Map<string, PeerRecord>;
  monitor: MonitorState;
  transcript: TranscriptEntry[];
  stderr: string[];
  events: EmittedEvent[];
  frames: FrameRecord[];
  exited: boolean;
  rngSeed: number;
}

export interface EngineCheckpoint {
  data: EngineData;
  transcriptLength: number;
  stderrLength: number;
  eventsLength: number;
  framesLength: number;
  snapshots: Map<number, SnapshotFrom<typeof streamNetdevMachine>>;
}

type NetdevActor = Actor<typeof streamNetdevMachine>;

export class Engine implements SocketHost {
  readonly release: Release;
  readonly checker: ArgumentChecker;
  readonly epochSeconds: number;
  readonly epochMicros: number;
  readonly keepFrames: boolean;
  readonly sockets: SocketLayer;
  d: EngineData;
  net: Network;
  readonly monitor: Monitor;
  private actors = new Map<number, NetdevActor>();
  private rng: SeededRandom;

  constructor(config: EngineConfig) {
    this.release = config.release;
    this.checker = config.checker;
    this.epochSeconds = config.epochSeconds;
    this.epochMicros = config.epochMicros ?? config.epochSeconds * 1e6;
    this.keepFrames = config.keepFrames ?? false;
    this.rng = new SeededRandom(config.seed ?? 0x5eed);
    this.d = {
      now: 0,
      seq: 0,
      tasks: new TaskHeap<Task>(),
      network: emptyNetwork(config.reservedPorts ?? []),
      netdevs: [],
      live: new Map(),
      peers: new Map(),
      monitor: { negotiated: false, oob: false, connected: false },
      transcript: [],
      stderr: [],
      events: [],
      frames: [],
      exited: false,
      rngSeed: this.rng.seed,
    };
    this.net = new Network(this.d.network, (n) => this.onNotice(n));
    this.sockets = config.sockets
      ? config.sockets(this)
      : new SimulatedSockets(() => this.net, this, () => this.tempName());
    this.monitor = new Monitor(this);
  }

  get now(): number {
    return this.d.now;
  }

  // -- time -----------------------------------------------------------------

  schedule(body: TaskBody, delay = 0): void {
    this.d.tasks.push({ ...body, at: this.d.now + delay, seq: this.d.seq++ } as Task);
  }

  /** Runs every task due before `t`, then sets the clock to `t`. */
  runUntil(t: number): void {
    for (;;) {
      const next = this.d.tasks.peek();
      if (!next || next.at >= t) break;
      this.d.tasks.pop();
      if (next.at > this.d.now) this.d.now = next.at;
      this.runTask(next);
    }
    if (t > this.d.now) this.d.now = t;
  }

  /** Runs tasks due at or before `t` (start-up work at t = 0). */
  runThrough(t: number): void {
    this.runUntil(t + 1e-9);
    this.d.now = t;
  }

  /** When the next queued task is due, if any. */
  nextTaskAt(): number | null {
    return this.d.tasks.peek()?.at ?? null;
  }

  timestamp(t = this.d.now): { seconds: number; microseconds: number } {
    const micros = Math.round(this.epochMicros + t * 1000);
    return { seconds: Math.floor(micros / 1e6), microseconds: micros % 1e6 };
  }

  // -- output ---------------------------------------------------------------

  record(entry: TranscriptEntry): void {
    this.d.transcript.push(entry);
  }

  /** The step whose window is running (0 before the first step). */
  currentStep = 0;

  /** QEMU exits (quit): its sockets close, no stream event is sent. */
  exit(): void {
    if (this.d.exited) return;
    this.d.exited = true;
    // The process is gone: nothing it had queued will run.
    this.d.tasks = new TaskHeap<Task>();
    for (const rec of this.d.netdevs) {
      if (rec.deleted) continue;
      this.d.live.delete(rec.id);
      rec.deleted = true;
      rec.deletedAt = this.d.now;
      rec.deletedAtEvent = this.d.events.length;
      const actor = this.actors.get(rec.handle);
      actor?.stop();
      this.actors.delete(rec.handle);
      this.onMachineRequest(rec.handle, { type: 'io.release' });
    }
  }

  /** Where QEMU's stderr lines go besides the record (a real process's stderr). */
  stderrSink: ((line: string) => void) | null = null;

  stderrLine(line: string): void {
    this.d.stderr.push(line);
    this.stderrSink?.(line);
  }

  /** Where delivered events go besides the transcript (a real QMP socket). */
  eventSink: ((msg: unknown) => void) | null = null;

  /** A QMP event leaves QEMU: delivered only to a negotiated monitor. */
  emitQmpEvent(event: string, data: Record<string, unknown>, handle?: number): void {
    const delivered = this.monitor.receivesEvents();
    this.d.events.push({ t: this.d.now, event, data, delivered, ...(handle !== undefined ? { handle } : {}) });
    if (delivered) {
      const msg = inQemuOrder({ event, timestamp: this.timestamp(), data });
      this.record({ dir: '<-', msg, t: this.d.now, step: this.currentStep });
      this.eventSink?.(msg);
    }
  }

  // -- netdevs --------------------------------------------------------------

  liveNetdev(id: string): NetdevRecord | undefined {
    const h = this.d.live.get(id);
    return h === undefined ? undefined : this.d.netdevs[h];
  }

  netdevContext(handle: number): NetdevContext | undefined {
    return this.actors.get(handle)?.getSnapshot().context;
  }

  netdevStateValue(handle: number): unknown {
    return this.actors.get(handle)?.getSnapshot().value;
  }

  netdevActor(handle: number): NetdevActor | undefined {
    return this.actors.get(handle);
  }

  /** Validated options have passed net_init_stream()'s checks? */
  optionError(options: StreamOptions): string | null {
    return streamOptionError(this.release, options);
  }

  /** Creates a stream netdev (net_stream_{server,client}_init). */
  createNetdev(id: string, options: StreamOptions, fromCommandLine: boolean): NetdevRecord {
    const rec: NetdevRecord = {
      handle: this.d.netdevs.length,
      id,
      options,
      fromCommandLine,
      createdAt: this.d.now,
      deleted: false,
      deletedAt: null,
      deletedAtEvent: null,
      listenerId: null,
      conn: null,
      connecting: null,
      rs: initialReadState(),
      readPending: false,
      acceptPending: false,
      timerAt: null,
      framesIn: 0,
      bytesIn: 0,
    };
    this.d.netdevs.push(rec);
    this.d.live.set(id, rec.handle);
    const actor = createActor(streamNetdevMachine, { input: { id, release: this.release, options } });
    this.attach(rec.handle, actor);
    actor.start();
    return rec;
  }

  private attach(handle: number, actor: NetdevActor): void {
    this.actors.set(handle, actor);
    actor.on('*', (e) => this.onMachineRequest(handle, e as NetdevEmitted));
  }

  deleteNetdev(rec: NetdevRecord): void {
    this.d.live.delete(rec.id);
    rec.deleted = true;
    rec.deletedAt = this.d.now;
    rec.deletedAtEvent = this.d.events.length;
    const actor = this.actors.get(rec.handle);
    actor?.send({ type: 'netdev.delete' });
    actor?.stop();
    this.actors.delete(rec.handle);
  }

  setLink(rec: NetdevRecord, up: boolean): void {
    this.actors.get(rec.handle)?.send({ type: 'link.set', up });
  }

  private onMachineRequest(handle: number, e: NetdevEmitted): void {
    const rec = this.d.netdevs[handle]!;
    switch (e.type) {
      case 'qmp.event':
        this.emitQmpEvent(e.event, e.data as Record<string, unknown>, handle);
        return;
      case 'io.listen':
        this.schedule({ kind: 'netdev.listen', handle });
        return;
      case 'io.connect':
        this.schedule({ kind: 'netdev.connect', handle });
        return;
      case 'timer.arm':
        rec.timerAt = this.d.now + e.ms;
        this.schedule({ kind: 'netdev.timer', handle }, e.ms);
        return;
      case 'io.drop':
        if (rec.conn) this.sockets.close(rec.conn);
        rec.conn = null;
        rec.rs = initialReadState();
        rec.readPending = false;
        return;
      case 'io.release':
        if (rec.conn) this.sockets.close(rec.conn);
        rec.conn = null;
        if (rec.connecting?.connId != null) this.sockets.abandonConnect(rec.connecting.connId);
        rec.connecting = null;
        if (rec.listenerId !== null) this.sockets.closeListener(rec.listenerId);
        rec.listenerId = null;
        rec.timerAt = null;
        return;
    }
  }

  private send(handle: number, event: Parameters<NetdevActor['send']>[0]): void {
    this.actors.get(handle)?.send(event);
    this.pump(handle);
  }

  /** After a machine moved, start whatever QEMU's main loop would now watch. */
  private pump(handle: number): void {
    const rec = this.d.netdevs[handle]!;
    if (rec.deleted) return;
    const value = this.actors.get(handle)?.getSnapshot().value as Record<string, string> | undefined;
    if (!value) return;
    const sub = value.server ?? value.client;
    if (sub === 'connected' && rec.conn && !rec.readPending && this.sockets.readable(rec.conn)) {
      rec.readPending = true;
      this.schedule({ kind: 'netdev.read', handle });
    }
    if (sub === 'stalled' && rec.conn) this.sockets.stopReading(rec.conn);
    if (value.server === 'listening' && rec.listenerId !== null && !rec.acceptPending) {
      if (this.sockets.queued(rec.listenerId) > 0) {
        rec.acceptPending = true;
        this.schedule({ kind: 'netdev.accept', handle });
      }
    }
  }

  // -- tasks ----------------------------------------------------------------

  private runTask(task: Task): void {
    switch (task.kind) {
      case 'netdev.listen':
      case 'netdev.connect':
      case 'netdev.connected':
      case 'netdev.connect-failed':
      case 'netdev.accept':
      case 'netdev.read':
      case 'netdev.timer': {
        const rec = this.d.netdevs[task.handle];
        if (!rec || rec.deleted) return;
        this.runNetdevTask(rec, task);
        return;
      }
      case 'peer.accept':
        this.peerAccept(task.name);
        return;
      case 'peer.read':
        this.peerRead(task.name);
        return;
    }
  }

  private runNetdevTask(rec: NetdevRecord, task: Task): void {
    const handle = rec.handle;
    switch (task.kind) {
      case 'netdev.listen':
        this.sockets.listen(handle, rec.options.addr);
        return;
      case 'netdev.connect':
        // QEMU's worker thread connects; the main loop learns the result later.
        this.sockets.connect(handle, rec.options.addr);
        return;
      case 'netdev.connected':
        rec.connecting = null;
        rec.conn = task.conn;
        rec.rs = initialReadState();
        this.send(handle, { type: 'connect.succeeded', connId: task.conn.connId, remote: task.remote });
        return;
      case 'netdev.connect-failed':
        rec.connecting = null;
        this.send(handle, { type: 'connect.failed', message: task.message });
        return;
      case 'netdev.accept': {
        rec.acceptPending = false;
        if (rec.listenerId === null || !this.isIn(handle, 'server', 'listening')) return;
        const a = this.sockets.accept(rec.listenerId, handle);
        if (!a) return;
        rec.conn = a.conn;
        rec.rs = initialReadState();
        this.send(handle, { type: 'client.accepted', connId: a.conn.connId, local: a.local, remote: a.remote });
        return;
      }
      case 'netdev.read':
        rec.readPending = false;
        this.netdevRead(rec);
        return;
      case 'netdev.timer':
        if (rec.timerAt !== task.at) return;
        rec.timerAt = null;
        this.send(handle, { type: 'reconnect.due' });
        return;
    }
  }

  private isIn(handle: number, mode: 'server' | 'client', state: string): boolean {
    const v = this.actors.get(handle)?.getSnapshot().value as Record<string, string> | string | undefined;
    return typeof v === 'object' && v[mode] === state;
  }

  /** net_stream_send(): one read of at most NET_BUFSIZE bytes. */
  private netdevRead(rec: NetdevRecord): void {
    if (!rec.conn) return;
    const mode = rec.options.server === true ? 'server' : 'client';
    if (!this.isIn(rec.handle, mode, 'connected')) return;
    const bytes = this.sockets.read(rec.conn, NET_BUFSIZE);
    if (bytes === null) return;
    if (bytes.length === 0) {
      this.send(rec.handle, { type: 'connection.ended', reason: 'end-of-file' });
      return;
    }
    rec.bytesIn += bytes.length;
    const fill = fillReadState(rec.rs, bytes, this.keepFrames);
    rec.rs = fill.rs;
    rec.framesIn += fill.frames.length;
    if (this.keepFrames) {
      fill.frames.forEach((length, i) => {
        const b = fill.frameBytes[i];
        this.d.frames.push({ t: this.d.now, handle: rec.handle, length, head: b ? b.slice(0, 64) : null });
      });
    }
    if (fill.oversized) {
      this.stderrLine('serious error: oversized packet received,connection terminated.');
      this.send(rec.handle, { type: 'connection.ended', reason: 'oversized-frame' });
      return;
    }
    // With no NIC behind the backend a zero-length frame counts as queued,
    // and QEMU stops watching the socket until the queue drains: never.
    if (fill.frames.includes(0)) {
      this.send(rec.handle, { type: 'read.stalled' });
      return;
    }
    this.pump(rec.handle);
  }

  // -- socket layer callbacks (SocketHost) ---------------------------------------

  listenDone(handle: number, r: ListenResult): void {
    const rec = this.d.netdevs[handle];
    if (!rec || rec.deleted) {
      if (r.ok) this.sockets.closeListener(r.listenerId);
      return;
    }
    if (r.ok) {
      rec.listenerId = r.listenerId;
      this.send(handle, { type: 'listen.succeeded' });
    } else {
      this.send(handle, { type: 'listen.failed', message: r.message });
    }
  }

  connectStarted(handle: number, connId: number): void {
    const rec = this.d.netdevs[handle];
    if (rec) rec.connecting = { connId };
  }

  connectDone(handle: number, r: ConnectResult): void {
    const rec = this.d.netdevs[handle];
    if (!rec || rec.deleted) {
      if (r.ok) this.sockets.close(r.conn);
      return;
    }
    if (r.ok) this.schedule({ kind: 'netdev.connected', handle, conn: r.conn, remote: r.remote });
    else this.schedule({ kind: 'netdev.connect-failed', handle, message: r.message });
  }

  acceptable(handle: number): void {
    const rec = this.d.netdevs[handle];
    if (rec && !rec.deleted) this.pump(handle);
  }

  readable(handle: number, connId: number): void {
    const rec = this.d.netdevs[handle];
    if (!rec || rec.deleted) return;
    if (!rec.readPending && rec.conn?.connId === connId) {
      rec.readPending = true;
      this.schedule({ kind: 'netdev.read', handle });
    }
  }

  private tempName(): string {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < 6; i++) s += chars[this.rng.int(chars.length)];
    this.d.rngSeed = this.rng.seed;
    return s;
  }

  private onNotice(n: Notice): void {
    if (n.owner.kind === 'peer') {
      const p = this.d.peers.get(n.owner.name);
      if (!p) return;
      if (n.kind === 'acceptable' && !p.acceptPending && !p.conn) {
        p.acceptPending = true;
        this.schedule({ kind: 'peer.accept', name: p.name });
      } else if (n.kind === 'readable' && !p.readPending) {
        p.readPending = true;
        this.schedule({ kind: 'peer.read', name: p.name });
      } else if (n.kind === 'connect-completed') {
        p.blocked = false;
      } else if (n.kind === 'connect-failed') {
        p.blocked = false;
        p.conn = null;
        this.stderrLine(`[peer] ${p.name}: connect failed: ${STRERROR[n.errno]}`);
      }
      return;
    }
    const handle = n.owner.handle;
    switch (n.kind) {
      case 'acceptable':
        this.acceptable(handle);
        return;
      case 'readable':
        this.readable(handle, n.connId);
        return;
      case 'connect-completed': {
        const c = this.net.connection(n.connId);
        if (!c) return;
        this.connectDone(handle, { ok: true, conn: { connId: n.connId, side: 0 }, remote: reportAddress(c.ends[0].remote) });
        return;
      }
      case 'connect-failed': {
        const rec = this.d.netdevs[handle];
        if (!rec) return;
        this.connectDone(handle, { ok: false, message: connectFailureText(rec.options.addr, n.errno) });
        return;
      }
    }
  }

  // -- peers ----------------------------------------------------------------

  peer(name: string): PeerRecord {
    let p = this.d.peers.get(name);
    if (!p) {
      p = { name, listenerId: null, listenAddr: null, conn: null, blocked: false, readPending: false, acceptPending: false };
      this.d.peers.set(name, p);
    }
    return p;
  }

  private peerNote(name: string, text: string): void {
    this.stderrLine(`[peer] ${name}: ${text}`);
  }

  peerListen(name: string, addr: SocketAddress): void {
    const p = this.peer(name);
    if (p.listenerId !== null) {
      this.peerNote(name, 'already listens; listen ignored');
      return;
    }
    const owner: Owner = { kind: 'peer', name };
    const target = peerAddressTarget(addr);
    if (!target.ok) {
      this.peerNote(name, `listen failed: ${target.error}`);
      return;
    }
    const k = target.value;
    let r;
    if (k.family === 'unix') {
      if (!k.abstract) this.net.unlink(k.path);
      r = this.net.listenUnix(owner, k.path, k.abstract, k.tight, PEER_BACKLOG);
    } else {
      r = this.net.listenInet(owner, k.family, k.ip, k.port, k.family === 'inet6', PEER_BACKLOG);
    }
    if (!r.ok) {
      this.peerNote(name, `listen failed: ${STRERROR[r.errno]}`);
      return;
    }
    p.listenerId = r.value.id;
    p.listenAddr = addr;
  }

  peerConnect(name: string, addr: SocketAddress): void {
    const p = this.peer(name);
    if (p.conn) {
      this.peerNote(name, 'already has a connection; connect ignored');
      return;
    }
    const target = peerAddressTarget(addr);
    if (!target.ok) {
      this.stderrLine(`[recorder] peer ${name} connect failed: ${target.error}`);
      return;
    }
    const r = this.net.connect({ kind: 'peer', name }, target.value);
    if (!r.ok) {
      this.stderrLine(`[recorder] peer ${name} connect failed: ${STRERROR[r.errno]}`);
      return;
    }
    p.conn = { connId: r.value.connId, side: 0 };
    p.blocked = r.value.blocked;
  }

  peerWrite(name: string, bytes: Uint8Array, framed: boolean): void {
    const p = this.peer(name);
    if (!p.conn) {
      this.peerNote(name, 'has no connection; nothing sent');
      return;
    }
    const data = framed ? encodeFrame(bytes) : bytes;
    const r = this.net.write(p.conn.connId, p.conn.side, data);
    if (!r.ok) this.peerNote(name, `send failed: ${STRERROR[r.errno]}`);
  }

  peerClose(name: string): void {
    const p = this.peer(name);
    if (p.conn) this.net.close(p.conn.connId, p.conn.side);
    p.conn = null;
    p.blocked = false;
    if (p.listenerId !== null) this.net.closeListener(p.listenerId, true);
    p.listenerId = null;
    p.listenAddr = null;
  }

  private peerAccept(name: string): void {
    const p = this.d.peers.get(name);
    if (!p) return;
    p.acceptPending = false;
    if (p.conn || p.listenerId === null) return;
    const c = this.net.accept(p.listenerId, { kind: 'peer', name });
    if (c) p.conn = { connId: c.id, side: 1 };
  }

  /** Peers read and discard; at end-of-file they close and accept the next client. */
  private peerRead(name: string): void {
    const p = this.d.peers.get(name);
    if (!p) return;
    p.readPending = false;
    if (!p.conn) return;
    for (;;) {
      const b = this.net.read(p.conn.connId, p.conn.side, 1 << 20);
      if (b === null) return;
      if (b.length === 0) break;
    }
    this.net.close(p.conn.connId, p.conn.side);
    p.conn = null;
    if (p.listenerId !== null) {
      const l = this.net.listener(p.listenerId);
      if (l && l.queue.length > 0 && !p.acceptPending) {
        p.acceptPending = true;
        this.schedule({ kind: 'peer.accept', name });
      }
    }
  }

  // -- checkpoints ------------------------------------------------------------

  checkpoint(): EngineCheckpoint {
    const snapshots = new Map<number, SnapshotFrom<typeof streamNetdevMachine>>();
    for (const [h, a] of this.actors) snapshots.set(h, a.getSnapshot());
    const d = this.d;
    return {
      data: cloneData(d, false),
      transcriptLength: d.transcript.length,
      stderrLength: d.stderr.length,
      eventsLength: d.events.length,
      framesLength: d.frames.length,
      snapshots,
    };
  }

  /**
   * Puts the engine back to `cp`. Outputs up to the checkpoint are taken
   * from `history`, the outputs of a run that went through it.
   */
  restore(cp: EngineCheckpoint, history: EngineOutputs): void {
    const data = cloneData(cp.data, true);
    data.transcript = history.transcript.slice(0, cp.transcriptLength);
    data.stderr = history.stderr.slice(0, cp.stderrLength);
    data.events = history.events.slice(0, cp.eventsLength);
    data.frames = history.frames.slice(0, cp.framesLength);
    for (const a of this.actors.values()) a.stop();
    this.actors.clear();
    this.d = data;
    this.net = new Network(this.d.network, (n) => this.onNotice(n));
    this.rng = new SeededRandom(data.rngSeed);
    for (const [h, snap] of cp.snapshots) {
      const rec = this.d.netdevs[h]!;
      const actor = createActor(streamNetdevMachine, {
        snapshot: snap,
        input: { id: rec.id, release: this.release, options: rec.options },
      });
      this.attach(h, actor);
      actor.start();
    }
  }
}

export interface EngineOutputs {
  transcript: TranscriptEntry[];
  stderr: string[];
  events: EmittedEvent[];
  frames: FrameRecord[];
}

/** Peers listen with the recorder's backlog. */
export const PEER_BACKLOG = 16;

function cloneData(d: EngineData, deepOutputs: boolean): EngineData {
  return {
    now: d.now,
    seq: d.seq,
    tasks: d.tasks.clone(),
    network: cloneNetwork(d.network),
    netdevs: d.netdevs.map((r) => ({
      ...r,
      conn: r.conn ? { ...r.conn } : null,
      connecting: r.connecting ? { ...r.connecting } : null,
      rs: { ...r.rs },
    })),
    live: new Map(d.live),
    peers: new Map([...d.peers].map(([k, p]) => [k, { ...p, conn: p.conn ? { ...p.conn } : null }])),
    monitor: { ...d.monitor },
    transcript: deepOutputs ? d.transcript : [],
    stderr: deepOutputs ? d.stderr : [],
    events: deepOutputs ? d.events : [],
    frames: deepOutputs ? d.frames : [],
    exited: d.exited,
    rngSeed: d.rngSeed,
  };
}

export type { KernelAddress };
