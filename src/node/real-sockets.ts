/**
 * The engine's SocketLayer on the host's real sockets (node:net), with
 * QEMU's socket semantics: a server's socket is opened as QEMU opens it
 * (real-listen.ts) and its unix file goes when it closes; a server accepts
 * one connection at a time (later ones wait in the kernel's backlog);
 * connects try every resolved address in turn. Failures are reported as
 * the stage and errno QEMU would have met; the core words them.
 */
import { unlinkSync } from 'node:fs';
import net from 'node:net';
import { parsePort, type SocketAddress } from '../core/net/address.ts';
import { vsockConnectOutcome } from '../core/net/vsock.ts';
import { NET_BUFSIZE } from '../core/net/framing.ts';
import { addressFailure } from '../core/netdev/qemu-sockets.ts';
import { socketFailed as failure, type Accepted, type ConnRef, type SocketHost, type SocketLayer } from '../core/netdev/socket-layer.ts';
import type { BacklogListener } from './backlog-listener.ts';
import { errnoOf, gaiErrno } from './errno.ts';
import { nativeHelper } from './native.ts';
import { readFd } from './native-loop.ts';
import { familyOf, lookupAll, nodePath } from './node-address.ts';
import { openListener } from './real-listen.ts';

interface Listener {
  listener: BacklogListener;
  handle: number;
  /** The kernel has a connection waiting (reported, not yet accepted). */
  pending: boolean;
  /** The unix path QEMU bound (unlinked when it closes). */
  path: string | null;
  local: SocketAddress;
}

/** How a connection is read: a net.Socket, or the native helper's reader (native-loop.ts). */
interface ConnStream {
  /** QEMU removed its read watch: nothing more is read. */
  pause(): void;
  close(): void;
}

const NO_STREAM: ConnStream = { pause: () => {}, close: () => {} };
/** How often a unix connect into a full backlog tries again (a blocking connect waits for room). */
const BLOCKED_CONNECT_RETRY_MS = 5;

interface Conn {
  stream: ConnStream;
  handle: number;
  inbox: Buffer[];
  inboxBytes: number;
  eof: boolean;
  reading: boolean;
}

/** What a connection's stream calls: bytes (`borrowed` when they view a shared buffer), then its end. */
interface ConnSink {
  data: (chunk: Buffer, borrowed: boolean) => void;
  ended: () => void;
}

/** What the stand-in saw of the outside world, for --record (session-record.ts). */
export interface SocketObserver {
  /** A server netdev accepted a connection. */
  accepted(handle: number, connId: number): void;
  /** A client netdev's connect finished (connId null when it failed). */
  connected(handle: number, connId: number | null): void;
  /** Bytes arrived from the peer. */
  data(connId: number, bytes: Uint8Array): void;
  /** The peer closed its end. */
  ended(connId: number): void;
}

export interface RealSocketsOptions {
  /** Called before and after every callback from the host's sockets, to keep the engine's clock in step. */
  enter: <T>(fn: () => T) => T;
}

export class RealSockets implements SocketLayer {
  private nextId = 1;
  private listeners = new Map<number, Listener>();
  private conns = new Map<number, Conn>();
  private connecting = new Map<number, net.Socket>();
  /** vsock connects under way: they can only fail, when this machine would say so. */
  private vsockPending = new Map<number, NodeJS.Timeout>();
  /** Unix connects waiting for room in a full backlog, between two tries. */
  private blockedPending = new Map<number, NodeJS.Timeout>();
  observer: SocketObserver | null = null;
  /**
   * One buffer every client netdev's net.Socket reads into (Node's
   * `onread`), as large as QEMU's largest read: no buffer allocated per
   * read, no stream events per chunk. A read is handed to the engine, which
   * consumes it in the same turn; what it leaves is copied before the next
   * read. (Accepted connections read into the native helper's buffer.)
   */
  private readBuffer: Buffer | null = null;

  constructor(
    private readonly host: SocketHost,
    private readonly opts: RealSocketsOptions,
  ) {}

  private id(): number {
    return this.nextId++;
  }

  listen(handle: number, addr: SocketAddress): void {
    void openListener(addr).then((r) => {
      if (r.ok) this.adopt(handle, r.listener, r.path, r.local);
      else this.opts.enter(() => this.host.listenDone(handle, r));
    });
  }

  private later(fn: () => void): void {
    queueMicrotask(() => this.opts.enter(fn));
  }

  /**
   * The kernel keeps QEMU's accept queue (backlog + 1 on Linux) and turns
   * away what does not fit; the native helper lets it (backlog-listener.ts).
   */
  private adopt(handle: number, listener: BacklogListener, path: string | null, local: SocketAddress): void {
    const id = this.id();
    const l: Listener = { listener, handle, pending: false, path, local };
    this.listeners.set(id, l);
    this.watchPending(id, l);
    this.opts.enter(() => this.host.listenDone(handle, { ok: true, listenerId: id }));
  }

  /** The kernel reports a waiting connection once; the next report is asked for after an accept. */
  private watchPending(id: number, l: Listener): void {
    l.listener.whenPending(() => {
      if (this.listeners.get(id) !== l) return;
      this.opts.enter(() => {
        l.pending = true;
        this.host.acceptable(l.handle);
      });
    });
  }

  connect(handle: number, addr: SocketAddress): void {
    const bad = addressFailure(addr);
    if (bad) {
      this.later(() => this.host.connectDone(handle, { ok: false, failure: bad }));
      return;
    }
    switch (addr.type) {
      case 'unix': {
        const remote: SocketAddress =
          addr.abstract === true
            ? { type: 'unix', path: addr.path, abstract: true, tight: addr.tight !== false }
            : { type: 'unix', path: addr.path };
        // QEMU's worker thread connects a blocking socket: a full backlog makes
        // it wait for room. Node's connect does not block (EAGAIN): try again.
        const attempt = (): void =>
          this.dial(handle, { path: nodePath(addr) }, () => remote, (e) => {
            if (errnoOf(e) !== 'EAGAIN') return this.opts.enter(() => this.host.connectDone(handle, failure('connect', errnoOf(e))));
            const id = this.id();
            this.blockedPending.set(id, setTimeout(() => this.blockedPending.delete(id) && attempt(), BLOCKED_CONNECT_RETRY_MS));
            this.host.connectStarted(handle, id);
          });
        attempt();
        return;
      }
      case 'inet':
        void this.connectInet(handle, addr);
        return;
      case 'vsock': {
        // As for listen: the outcome this machine's kernel would give, on the wall clock.
        const outcome = vsockConnectOutcome(Number(addr.cid));
        const id = this.id();
        const timer = setTimeout(() => {
          if (this.vsockPending.delete(id)) this.opts.enter(() => this.host.connectDone(handle, failure('connect', outcome.fails)));
        }, outcome.afterMs);
        this.vsockPending.set(id, timer);
        this.host.connectStarted(handle, id);
        return;
      }
      case 'fd':
        this.later(() => this.host.connectDone(handle, failure('fd-not-socket')));
        return;
    }
  }

  private async connectInet(handle: number, addr: Extract<SocketAddress, { type: 'inet' }>): Promise<void> {
    const port = parsePort(addr.port);
    if (port === null) {
      this.opts.enter(() => this.host.connectDone(handle, failure('resolve', 'EAI_SERVICE')));
      return;
    }
    let hosts: { address: string; family: number }[];
    try {
      hosts = await lookupAll(addr.host, familyOf(addr));
    } catch (e) {
      this.opts.enter(() => this.host.connectDone(handle, failure('resolve', gaiErrno(e))));
      return;
    }
    const tryNext = (i: number, lastErr: unknown) => {
      const h = hosts[i];
      if (!h) {
        this.opts.enter(() => this.host.connectDone(handle, failure('connect', errnoOf(lastErr))));
        return;
      }
      this.dial(
        handle,
        { host: h.address, port },
        (s) => ({
          type: 'inet',
          host: s.remoteAddress ?? h.address,
          port: String(s.remotePort ?? port),
          ...(s.remoteFamily === 'IPv6' ? { ipv6: true } : { ipv4: true }),
        }),
        (e) => tryNext(i + 1, e),
      );
    };
    tryNext(0, new Error('no address'));
  }

  /** A net.Socket's reads, through Node's `onread` when the socket is made here. */
  private onread(sink: { to: ConnSink | null }): net.OnReadOpts {
    this.readBuffer ??= Buffer.allocUnsafe(NET_BUFSIZE);
    return {
      buffer: this.readBuffer,
      callback: (n, buf) => {
        sink.to?.data((buf as Buffer).subarray(0, n), true);
        return true;
      },
    };
  }

  /** A net.Socket as a connection's stream; one Node's server made (no native helper) emits data events. */
  private socketStream(socket: net.Socket, sink: { to: ConnSink | null }, to: ConnSink): ConnStream {
    sink.to = to;
    socket.on('data', (chunk: Buffer) => to.data(chunk, false));
    socket.on('end', to.ended);
    socket.on('error', to.ended);
    socket.on('close', to.ended);
    socket.resume();
    return { pause: () => socket.pause(), close: () => socket.destroy() };
  }

  /** Connects; `onFail` hears the error of a connect that did not complete. */
  private dial(handle: number, options: net.NetConnectOpts, remoteOf: (s: net.Socket) => SocketAddress, onFail: (e: unknown) => void): void {
    const sink: { to: ConnSink | null } = { to: null };
    const socket = net.connect({ ...options, onread: this.onread(sink) });
    const id = this.id();
    this.connecting.set(id, socket);
    this.host.connectStarted(handle, id);
    socket.once('error', (e) => {
      if (!this.connecting.delete(id)) return;
      socket.destroy();
      this.observer?.connected(handle, null);
      onFail(e);
    });
    socket.once('connect', () => {
      if (!this.connecting.delete(id)) {
        socket.destroy();
        return;
      }
      socket.setNoDelay(true);
      socket.removeAllListeners('error');
      this.opts.enter(() => {
        this.track(id, handle, (to) => this.socketStream(socket, sink, to));
        this.observer?.connected(handle, id);
        this.host.connectDone(handle, { ok: true, conn: { connId: id, side: 0 }, remote: remoteOf(socket) });
      });
    });
  }

  /** Reads a connection into its inbox, as the engine asks; `open` makes its stream. */
  private track(id: number, handle: number, open: (to: ConnSink) => ConnStream): void {
    const c: Conn = { stream: NO_STREAM, handle, inbox: [], inboxBytes: 0, eof: false, reading: true };
    const to: ConnSink = {
      data: (chunk, borrowed) => {
        if (!c.reading) return;
        this.observer?.data(id, chunk);
        this.opts.enter(() => {
          c.inbox.push(chunk);
          c.inboxBytes += chunk.length;
          this.host.readable(handle, id);
        });
        // What the engine left of a read into a shared buffer is kept as a copy.
        if (borrowed) for (let i = 0; i < c.inbox.length; i++) if (c.inbox[i]!.buffer === chunk.buffer) c.inbox[i] = Buffer.from(c.inbox[i]!);
      },
      ended: () => {
        if (c.eof) return;
        if (this.conns.has(id)) this.observer?.ended(id);
        this.opts.enter(() => {
          c.eof = true;
          if (c.reading) this.host.readable(handle, id);
        });
      },
    };
    c.stream = open(to);
    this.conns.set(id, c);
  }

  queued(listenerId: number): number {
    return this.listeners.get(listenerId)?.pending ? 1 : 0;
  }

  accept(listenerId: number, handle: number): Accepted | null {
    const l = this.listeners.get(listenerId);
    if (!l || !l.pending) return null;
    const got = l.listener.accept();
    l.pending = false;
    this.watchPending(listenerId, l);
    if (!got) return null;
    let remote: SocketAddress = { type: 'unix', path: '' };
    let open: (to: ConnSink) => ConnStream;
    if ('fd' in got) {
      // The native helper reads it (no net.Socket: six system calls fewer before the event).
      const native = nativeHelper()!;
      if (l.local.type !== 'unix') {
        const peer = native.peerName(got.fd);
        if (typeof peer !== 'number') remote = { type: 'inet', host: peer.address, port: String(peer.port), ...(peer.family === 6 ? { ipv6: true } : { ipv4: true }) };
      }
      const sink: { to: ConnSink | null } = { to: null };
      const reader = readFd(native, got.fd, { data: (chunk) => sink.to?.data(chunk, true), end: () => sink.to?.ended() });
      if (typeof reader === 'number') {
        native.close(got.fd);
        return null;
      }
      open = (to) => {
        sink.to = to;
        return reader;
      };
    } else {
      const socket = got.socket;
      socket.on('error', () => {});
      if (l.local.type !== 'unix') {
        remote = {
          type: 'inet',
          host: socket.remoteAddress ?? '',
          port: String(socket.remotePort ?? 0),
          ...(socket.remoteFamily === 'IPv6' ? { ipv6: true } : { ipv4: true }),
        };
      }
      open = (to) => this.socketStream(socket, { to: null }, to);
    }
    const id = this.id();
    this.observer?.accepted(handle, id);
    this.track(id, handle, open);
    return { conn: { connId: id, side: 1 }, local: l.local, remote };
  }

  read(conn: ConnRef, max: number): Uint8Array | null {
    const c = this.conns.get(conn.connId);
    if (!c) return new Uint8Array(0);
    if (c.inboxBytes === 0) return c.eof ? new Uint8Array(0) : null;
    // Usually one chunk, no larger than max: handed over as it is, no copy.
    const all = c.inbox.length === 1 ? c.inbox[0]! : Buffer.concat(c.inbox, c.inboxBytes);
    if (all.length <= max) {
      c.inbox = [];
      c.inboxBytes = 0;
      return all;
    }
    const rest = all.subarray(max);
    c.inbox = [rest];
    c.inboxBytes = rest.length;
    return all.subarray(0, max);
  }

  readable(conn: ConnRef): boolean {
    const c = this.conns.get(conn.connId);
    return !c || c.inboxBytes > 0 || c.eof;
  }

  stopReading(conn: ConnRef): void {
    const c = this.conns.get(conn.connId);
    if (!c || !c.reading) return;
    c.reading = false;
    c.stream.pause();
  }

  close(conn: ConnRef): void {
    const c = this.conns.get(conn.connId);
    if (!c) return;
    this.conns.delete(conn.connId);
    c.reading = false;
    // Closed once the engine's step is over: the event that goes with the
    // close (DISCONNECTED) is written first, not after close(2) and its
    // wake-up of the peer. Nothing is read from the socket meanwhile.
    queueMicrotask(() => c.stream.close());
  }

  abandonConnect(connId: number): void {
    const t = this.vsockPending.get(connId) ?? this.blockedPending.get(connId);
    if (t) clearTimeout(t);
    this.vsockPending.delete(connId);
    this.blockedPending.delete(connId);
    const s = this.connecting.get(connId);
    this.connecting.delete(connId);
    s?.destroy();
  }

  closeListener(listenerId: number): void {
    const l = this.listeners.get(listenerId);
    if (!l) return;
    this.listeners.delete(listenerId);
    l.listener.close();
    if (l.path !== null) {
      try {
        unlinkSync(l.path);
      } catch {
        // Already gone (libuv removes it when the server closes).
      }
    }
  }

  /** Closes everything (QEMU exiting). */
  closeAll(): void {
    for (const id of [...this.conns.keys()]) this.close({ connId: id, side: 0 });
    for (const id of [...this.connecting.keys(), ...this.vsockPending.keys(), ...this.blockedPending.keys()]) this.abandonConnect(id);
    for (const id of [...this.listeners.keys()]) this.closeListener(id);
  }
}
