/**
 * One QMP monitor of the stand-in on a real listening socket, as QEMU's
 * socket chardev runs it: listen with backlog 1, serve one client at a
 * time and leave the others in the kernel's queue until it goes, then
 * accept the next (one that gave up while waiting is accepted, finds its
 * peer gone and is dropped, so the one after it is served). The monitor
 * (greeting, negotiation, commands) is the core's.
 *
 * Input is read through QEMU's JSON reader in slices of at most
 * READ_SLICE bytes per turn of the event loop, the socket paused while
 * more than PAUSE_ABOVE bytes wait: a huge request cannot hold up netdev
 * events for more than one slice's work.
 */
import { lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import type { Engine } from '../core/engine.ts';
import { errnoOf, unixBindErrno } from './errno.ts';
import { strerror } from '../core/net/strerror.ts';
import { Monitor } from '../core/qmp/monitor.ts';
import { inQemuOrder } from '../core/qmp/qdict.ts';
import { QmpJsonStream, qemuJson } from '../core/qmp/json-stream.ts';
import { listenWithBacklog, socketOf, type BacklogListener } from './backlog-listener.ts';
import type { MonitorSpec } from './qemu-options.ts';

/** chardev/char-socket.c listens with backlog 1 (qio_net_listener_open_sync(..., 1, ...)). */
export const CHARDEV_BACKLOG = 1;
const READ_SLICE = 64 * 1024;
const PAUSE_ABOVE = 1024 * 1024;

export interface QmpServerHooks {
  /** Runs `fn` with the engine's clock brought up to now, then lets due work run. */
  enter: <T>(fn: () => T) => T;
  /** A client's `quit` succeeded and its reply is written. */
  onQuit: () => void;
  /** Sees every message on this monitor (for --record): `->` in, `<-` out. */
  onMessage?: (dir: '->' | '<-', msg: unknown, client: number) => void;
}

export class QmpServer {
  readonly monitor: Monitor;
  private listener: BacklogListener | null = null;
  private client: net.Socket | null = null;
  private clients = 0;
  private closed = false;
  private readonly stream = new QmpJsonStream();
  private inbox: Buffer[] = [];
  private inboxBytes = 0;
  private draining = false;

  constructor(
    private readonly engine: Engine,
    readonly spec: MonitorSpec,
    private readonly hooks: QmpServerHooks,
  ) {
    this.monitor = new Monitor(engine);
  }

  /** Binds and listens; null, or QEMU's words for why it could not. */
  async listen(): Promise<string | null> {
    const s = this.spec.socket;
    if (s.kind === 'unix') {
      // Unlike QEMU, never take over a path another process still serves
      // (nobody serves a path that does not exist: no probe, a quicker start).
      if (lstatSync(s.path, { throwIfNoEntry: false }) && (await pathInUse(s.path))) return `socket path ${s.path} is in use by another process`;
      try {
        unlinkSync(s.path);
      } catch {
        // Nothing stale to remove.
      }
    }
    const r = await listenWithBacklog(
      s.kind === 'unix' ? { path: s.path, backlog: CHARDEV_BACKLOG } : { host: s.host, port: s.port, backlog: CHARDEV_BACKLOG, v6only: s.host.includes(':') },
    );
    if (!r.ok) {
      return s.kind === 'unix'
        ? `Failed to bind socket to ${s.path}: ${strerror(unixBindErrno(s.path, r.error))}`
        : `Failed to find an available port: ${strerror(errnoOf(r.error))}`;
    }
    this.listener = r.listener;
    this.acceptNext();
    return null;
  }

  get busy(): boolean {
    return this.client !== null;
  }

  /** An event QEMU emitted: to this monitor's client if it negotiated. */
  deliver(msg: Record<string, unknown>): void {
    if (this.client && this.monitor.receivesEvents()) this.send(msg);
  }

  private send(msg: unknown): void {
    const c = this.client;
    if (!c || c.destroyed) return;
    this.hooks.onMessage?.('<-', msg, this.clients);
    c.write(`${qemuJson(msg)}\r\n`);
  }

  private acceptNext(): void {
    const l = this.listener;
    if (!l || this.closed || this.client) return;
    l.whenPending(() => {
      if (this.closed || this.client) return;
      const got = l.accept();
      if (!got) {
        this.acceptNext();
        return;
      }
      this.serve(socketOf(got));
    });
  }

  private serve(socket: net.Socket): void {
    this.client = socket;
    this.clients++;
    this.stream.reset();
    this.inbox = [];
    this.inboxBytes = 0;
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      if (this.client !== socket) return;
      this.inbox.push(chunk);
      this.inboxBytes += chunk.length;
      if (this.inboxBytes > PAUSE_ABOVE) socket.pause();
      this.scheduleDrain();
    });
    socket.on('close', () => this.gone(socket));
    // A socket Node accepted paused (no native helper) starts reading now.
    socket.resume();
    this.hooks.enter(() => this.send(this.monitor.greeting()));
    // A client that left while it waited in the queue is already closed.
    if (socket.destroyed || socket.readableEnded) this.gone(socket);
  }

  private scheduleDrain(): void {
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => this.drain());
  }

  /** Reads at most one slice, then lets the event loop run. */
  private drain(): void {
    this.draining = false;
    const socket = this.client;
    if (!socket || this.closed) return;
    let budget = READ_SLICE;
    while (budget > 0 && this.inbox.length > 0 && this.client === socket && !this.closed) {
      const chunk = this.inbox[0]!;
      const n = Math.min(budget, chunk.length);
      const items = this.stream.feed(chunk, 0, n);
      if (n === chunk.length) this.inbox.shift();
      else this.inbox[0] = chunk.subarray(n);
      this.inboxBytes -= n;
      budget -= n;
      for (const item of items) {
        if (this.client !== socket || this.closed) return;
        this.handle(item);
      }
    }
    if (this.inbox.length > 0) this.scheduleDrain();
    else if (this.client === socket && socket.isPaused()) socket.resume();
  }

  private handle(item: { ok: true; value: unknown } | { ok: false; error: string }): void {
    if (item.ok) this.hooks.onMessage?.('->', item.value, this.clients);
    const reply = item.ok
      ? this.hooks.enter(() => this.monitor.handle(item.value))
      : inQemuOrder({ error: { class: 'GenericError', desc: item.error } });
    if (reply !== null) this.send(reply);
    // quit: the core sent SHUTDOWN before this reply; now QEMU exits.
    if (this.monitor.quitRequested) this.hooks.onQuit();
  }

  private gone(socket: net.Socket): void {
    if (this.client !== socket) return;
    this.client = null;
    this.inbox = [];
    this.inboxBytes = 0;
    socket.destroy();
    this.hooks.enter(() => this.monitor.disconnect());
    this.acceptNext();
  }

  /** QEMU exits: the client's socket is flushed and closed, the listener closed and its file removed. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.listener?.close();
    this.listener = null;
    if (this.spec.socket.kind === 'unix') {
      try {
        unlinkSync(this.spec.socket.path);
      } catch {
        // Already gone.
      }
    }
    const c = this.client;
    this.client = null;
    if (!c || c.destroyed) return Promise.resolve();
    // Everything written is in the kernel already (the usual case): close at
    // once, as QEMU's exit does, without waiting for the event loop.
    if (c.writableLength === 0) {
      c.destroy();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        c.destroy();
        resolve();
      };
      // What is still queued goes out if the client reads; one that does not is not waited for.
      const t = setTimeout(done, 20);
      c.end(() => {
        clearTimeout(t);
        done();
      });
    });
  }
}

/** A socket file another process is serving. */
function pathInUse(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
