/**
 * The stream netdevs of one QEMU process: a record per instance (plain
 * data, what a checkpoint keeps), its XState machine, and the glue QEMU's
 * main loop provides between the machine and the sockets. The machine
 * emits requests (`io.*`, `timer.arm`, `qmp.event`); this module carries
 * them out on the socket layer and the engine's queue, and feeds results
 * back to the machine as events.
 */
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import type { SocketAddress } from '../net/address.ts';
import { fillReadState, initialReadState, NET_BUFSIZE, type ReadState } from '../net/framing.ts';
import type { Release } from '../releases.ts';
import { listenAddress, socketFailureText } from './qemu-sockets.ts';
import type { ConnectResult, ConnRef, ListenResult, SocketFailure, SocketHost, SocketLayer } from './socket-layer.ts';
import { connectFailureAfterDeleteCrashes, streamOptionError, type StreamOptions } from './stream-logic.ts';
import { streamNetdevMachine, type NetdevContext, type NetdevEmitted, type NetdevEvent } from './stream-machine.ts';

/** Everything known about one netdev instance besides its machine. */
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
  /** Where a server listens (a unix server with no path gets a temporary one). */
  listenAddr: SocketAddress | null;
  /** QEMU's end of the current connection. */
  conn: ConnRef | null;
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

export interface FrameRecord {
  t: number;
  handle: number;
  length: number;
  /** The frame's first bytes (up to 64), when the engine keeps bytes. */
  head: Uint8Array | null;
}

/** Work QEMU's main loop and worker threads have queued for a netdev. */
export type NetdevTask =
  | { kind: 'netdev.listen'; handle: number }
  | { kind: 'netdev.connect'; handle: number }
  | { kind: 'netdev.connected'; handle: number; conn: ConnRef; remote: SocketAddress }
  | { kind: 'netdev.connect-failed'; handle: number; failure: SocketFailure }
  | { kind: 'netdev.accept'; handle: number }
  | { kind: 'netdev.read'; handle: number }
  | { kind: 'netdev.timer'; handle: number };

/**
 * GLib priority of a netdev task. QEMU's worker threads (the connect of a
 * client) hand their result to the main loop as an idle source
 * (io/task.c, qio_task_thread_worker()): it runs only once no
 * default-priority source is ready, i.e. after every accept, read and timer
 * due at that instant, whenever they were queued.
 */
export const GLIB_PRIORITY_DEFAULT = 0;
export const GLIB_PRIORITY_DEFAULT_IDLE = 200;

/** Any queued task's priority: only those two netdev tasks wait as idle sources. */
export function netdevTaskPriority(task: { kind: string }): number {
  return task.kind === 'netdev.connected' || task.kind === 'netdev.connect-failed' ? GLIB_PRIORITY_DEFAULT_IDLE : GLIB_PRIORITY_DEFAULT;
}

/** What the netdevs need from the process they live in. */
export interface NetdevHost {
  /** Simulated time in ms. */
  now(): number;
  schedule(task: NetdevTask, delay?: number): void;
  emitQmpEvent(event: string, data: Record<string, unknown>, handle: number): void;
  stderrLine(line: string): void;
  /** A frame QEMU reassembled; called only when frames are kept. */
  frame(record: FrameRecord): void;
  /** How many QMP events were emitted so far. */
  eventCount(): number;
  /** Six random characters for a temporary socket path. */
  tempName(): string;
  /**
   * QEMU dies of a signal (a use after free). Without it the netdevs abandon
   * a deleted client's connect instead of letting it complete (the stand-in).
   */
  crash?(signal: 'SIGSEGV'): void;
}

/** The records and machine snapshots a checkpoint keeps. */
export interface NetdevsState {
  records: NetdevRecord[];
  snapshots: Map<number, SnapshotFrom<typeof streamNetdevMachine>>;
}

type NetdevActor = Actor<typeof streamNetdevMachine>;

export class Netdevs implements SocketHost {
  /** By handle; a forgotten (deleted) netdev leaves a hole. */
  private records: NetdevRecord[] = [];
  /** Live (not deleted) netdevs by id. */
  private live = new Map<string, number>();
  private actors = new Map<number, NetdevActor>();
  /** QEMU is exiting: every socket goes, in-flight connects included. */
  private exiting = false;
  readonly sockets: SocketLayer;

  constructor(
    private readonly host: NetdevHost,
    private readonly release: Release,
    private readonly keepFrames: boolean,
    sockets: (host: SocketHost) => SocketLayer,
    /** Drop a deleted netdev's record (a long-running process keeps no history). */
    private readonly forgetDeleted = false,
  ) {
    this.sockets = sockets(this);
  }

  // -- what others may read -----------------------------------------------------

  /** Every netdev created so far, deleted ones included, by handle. */
  list(): readonly Readonly<NetdevRecord>[] {
    return this.records;
  }

  byHandle(handle: number): Readonly<NetdevRecord> | undefined {
    return this.records[handle];
  }

  liveNetdev(id: string): Readonly<NetdevRecord> | undefined {
    const h = this.live.get(id);
    return h === undefined ? undefined : this.records[h];
  }

  /** The machine's context and state value, while the netdev exists. */
  machine(handle: number): { context: NetdevContext; value: unknown } | undefined {
    const snap = this.actors.get(handle)?.getSnapshot();
    return snap && { context: snap.context, value: snap.value };
  }

  // -- what the monitor and the command line do ------------------------------

  /** Validated options have passed net_init_stream()'s checks? */
  optionError(options: StreamOptions): string | null {
    return streamOptionError(this.release, options);
  }

  /** Creates a stream netdev (net_stream_{server,client}_init). */
  create(id: string, options: StreamOptions, fromCommandLine: boolean): void {
    const rec: NetdevRecord = {
      handle: this.records.length,
      id,
      options,
      fromCommandLine,
      createdAt: this.host.now(),
      deleted: false,
      deletedAt: null,
      deletedAtEvent: null,
      listenerId: null,
      listenAddr: null,
      conn: null,
      connecting: null,
      rs: initialReadState(),
      readPending: false,
      acceptPending: false,
      timerAt: null,
      framesIn: 0,
      bytesIn: 0,
    };
    this.records.push(rec);
    this.live.set(id, rec.handle);
    const actor = createActor(streamNetdevMachine, { input: { id, release: this.release, options } });
    this.attach(rec.handle, actor);
    actor.start();
  }

  /** netdev_del: false when no live netdev has this id. */
  delete(id: string): boolean {
    const rec = this.liveRecord(id);
    if (!rec) return false;
    this.markDeleted(rec);
    const actor = this.actors.get(rec.handle);
    actor?.send({ type: 'netdev.delete' });
    actor?.stop();
    this.actors.delete(rec.handle);
    // eslint-disable-next-line @typescript-eslint/no-array-delete -- handles index the array: a hole keeps later handles where they are
    if (this.forgetDeleted) delete this.records[rec.handle];
    return true;
  }

  /** set_link: false when no live netdev has this id. */
  setLink(id: string, up: boolean): boolean {
    const rec = this.liveRecord(id);
    if (!rec) return false;
    this.actors.get(rec.handle)?.send({ type: 'link.set', up });
    return true;
  }

  /** QEMU exits: every socket closes, no stream event is sent. */
  exit(): void {
    this.exiting = true;
    for (const rec of this.records) {
      if (rec?.deleted && rec.connecting?.connId != null) {
        this.sockets.abandonConnect(rec.connecting.connId);
        rec.connecting = null;
      }
      if (!rec || rec.deleted) continue;
      this.markDeleted(rec);
      this.actors.get(rec.handle)?.stop();
      this.actors.delete(rec.handle);
      this.onMachineRequest(rec.handle, { type: 'io.release' });
    }
  }

  private liveRecord(id: string): NetdevRecord | undefined {
    const h = this.live.get(id);
    return h === undefined ? undefined : this.records[h];
  }

  private markDeleted(rec: NetdevRecord): void {
    this.live.delete(rec.id);
    rec.deleted = true;
    rec.deletedAt = this.host.now();
    rec.deletedAtEvent = this.host.eventCount();
  }

  private attach(handle: number, actor: NetdevActor): void {
    this.actors.set(handle, actor);
    actor.on('*', (e) => this.onMachineRequest(handle, e));
  }

  // -- the machine's requests -------------------------------------------------

  private onMachineRequest(handle: number, e: NetdevEmitted): void {
    const rec = this.records[handle];
    if (!rec) return;
    switch (e.type) {
      case 'qmp.event':
        this.host.emitQmpEvent(e.event, e.data, handle);
        return;
      case 'io.listen':
        this.host.schedule({ kind: 'netdev.listen', handle });
        return;
      case 'io.connect':
        this.host.schedule({ kind: 'netdev.connect', handle });
        return;
      case 'timer.arm':
        rec.timerAt = this.host.now() + e.ms;
        this.host.schedule({ kind: 'netdev.timer', handle }, e.ms);
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
        // net_stream_cleanup() leaves a connect in flight to its worker
        // thread, which holds the socket: it completes later (see runTask).
        if (!this.host.crash || this.exiting) {
          if (rec.connecting?.connId != null) this.sockets.abandonConnect(rec.connecting.connId);
          rec.connecting = null;
        }
        if (rec.listenerId !== null) this.sockets.closeListener(rec.listenerId);
        rec.listenerId = null;
        rec.timerAt = null;
        return;
    }
  }

  private send(handle: number, event: NetdevEvent): void {
    this.actors.get(handle)?.send(event);
    this.pump(handle);
  }

  /**
   * Whether the machine is in `mode`'s child state `state` (server
   * listening, client connected...). The machine's value is one level deep
   * ({server: 'listening'}), so this reads it directly: XState's general
   * matches() allocates, and this runs several times on every socket event.
   */
  private isIn(handle: number, mode: 'server' | 'client', state: string): boolean {
    const value = this.actors.get(handle)?.getSnapshot().value;
    return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[mode] === state;
  }

  /** After a machine moved, start whatever QEMU's main loop would now watch. */
  private pump(handle: number): void {
    const rec = this.records[handle];
    if (!rec || rec.deleted || !this.actors.has(handle)) return;
    const connected = this.isIn(handle, 'server', 'connected') || this.isIn(handle, 'client', 'connected');
    if (connected && rec.conn && !rec.readPending && this.sockets.readable(rec.conn)) {
      rec.readPending = true;
      this.host.schedule({ kind: 'netdev.read', handle });
    }
    const stalled = this.isIn(handle, 'server', 'stalled') || this.isIn(handle, 'client', 'stalled');
    if (stalled && rec.conn) this.sockets.stopReading(rec.conn);
    if (this.isIn(handle, 'server', 'listening') && rec.listenerId !== null && !rec.acceptPending) {
      if (this.sockets.queued(rec.listenerId) > 0) {
        rec.acceptPending = true;
        this.host.schedule({ kind: 'netdev.accept', handle });
      }
    }
  }

  // -- queued work --------------------------------------------------------------

  /** Carries out a task that came due at `at`. */
  runTask(task: NetdevTask, at: number): void {
    const rec = this.records[task.handle];
    if (rec?.deleted && (task.kind === 'netdev.connected' || task.kind === 'netdev.connect-failed')) {
      this.connectDoneAfterDelete(rec, task);
      return;
    }
    if (!rec || rec.deleted) return;
    const handle = rec.handle;
    switch (task.kind) {
      case 'netdev.listen':
        rec.listenAddr = listenAddress(rec.options.addr, () => this.host.tempName());
        this.sockets.listen(handle, rec.listenAddr);
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
        this.send(handle, { type: 'connect.failed', message: socketFailureText('connect', rec.options.addr, task.failure) });
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
        this.read(rec);
        return;
      case 'netdev.timer':
        if (rec.timerAt !== at) return;
        rec.timerAt = null;
        this.send(handle, { type: 'reconnect.due' });
        return;
    }
  }

  /**
   * The connect of a client deleted while it was in flight has finished:
   * QEMU's completion callback runs on the freed netdev. Seen on QEMU 7.2,
   * 10.0 and 11.1 (3 runs each): a connect that succeeded kills QEMU with
   * SIGSEGV; one that failed does so on 7.2 and passes unnoticed on 10.0
   * and 11.1 (connectFailureAfterDeleteCrashes).
   */
  private connectDoneAfterDelete(rec: NetdevRecord, task: NetdevTask & { kind: 'netdev.connected' | 'netdev.connect-failed' }): void {
    rec.connecting = null;
    if (task.kind === 'netdev.connected' || connectFailureAfterDeleteCrashes(this.release)) {
      this.host.crash?.('SIGSEGV');
      return;
    }
  }

  /** net_stream_send(): one read of at most NET_BUFSIZE bytes. */
  private read(rec: NetdevRecord): void {
    if (!rec.conn) return;
    if (!this.isIn(rec.handle, rec.options.server === true ? 'server' : 'client', 'connected')) return;
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
        this.host.frame({ t: this.host.now(), handle: rec.handle, length, head: b ? b.slice(0, 64) : null });
      });
    }
    if (fill.oversized) {
      this.host.stderrLine('serious error: oversized packet received,connection terminated.');
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

  // -- the socket layer's callbacks (SocketHost) ---------------------------------

  listenDone(handle: number, r: ListenResult): void {
    const rec = this.records[handle];
    if (!rec || rec.deleted) {
      if (r.ok) this.sockets.closeListener(r.listenerId);
      return;
    }
    if (r.ok) {
      rec.listenerId = r.listenerId;
      this.send(handle, { type: 'listen.succeeded' });
    } else {
      const addr = rec.listenAddr ?? rec.options.addr;
      this.send(handle, { type: 'listen.failed', message: socketFailureText('listen', addr, r.failure) });
    }
  }

  connectStarted(handle: number, connId: number): void {
    const rec = this.records[handle];
    if (rec) rec.connecting = { connId };
  }

  connectDone(handle: number, r: ConnectResult): void {
    const rec = this.records[handle];
    if (!rec || (rec.deleted && !this.host.crash)) {
      if (r.ok) this.sockets.close(r.conn);
      return;
    }
    if (r.ok) this.host.schedule({ kind: 'netdev.connected', handle, conn: r.conn, remote: r.remote });
    else this.host.schedule({ kind: 'netdev.connect-failed', handle, failure: r.failure });
  }

  acceptable(handle: number): void {
    const rec = this.records[handle];
    if (rec && !rec.deleted) this.pump(handle);
  }

  readable(handle: number, connId: number): void {
    const rec = this.records[handle];
    if (!rec || rec.deleted) return;
    if (!rec.readPending && rec.conn?.connId === connId) {
      rec.readPending = true;
      this.host.schedule({ kind: 'netdev.read', handle });
    }
  }

  // -- checkpoints --------------------------------------------------------------

  save(): NetdevsState {
    const snapshots = new Map<number, SnapshotFrom<typeof streamNetdevMachine>>();
    for (const [h, a] of this.actors) snapshots.set(h, a.getSnapshot());
    return { records: copyRecords(this.records), snapshots };
  }

  load(saved: NetdevsState): void {
    this.exiting = false;
    for (const a of this.actors.values()) a.stop();
    this.actors.clear();
    this.records = copyRecords(saved.records);
    this.live = new Map(this.records.filter((r) => !r.deleted).map((r) => [r.id, r.handle]));
    for (const [h, snapshot] of saved.snapshots) {
      const rec = this.records[h]!;
      const actor = createActor(streamNetdevMachine, { snapshot, input: { id: rec.id, release: this.release, options: rec.options } });
      this.attach(h, actor);
      actor.start();
    }
  }
}

function copyRecords(records: readonly NetdevRecord[]): NetdevRecord[] {
  return records.map((r) => ({
    ...r,
    conn: r.conn ? { ...r.conn } : null,
    connecting: r.connecting ? { ...r.connecting } : null,
    rs: { ...r.rs },
  }));
}
