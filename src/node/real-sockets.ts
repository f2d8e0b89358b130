/**
 * The engine's SocketLayer on the host's real sockets (node:net), with
 * QEMU's socket semantics: a unix server unlinks a stale path before
 * binding and its file goes when it closes; a server accepts one
 * connection at a time (later ones wait, paused, as in a backlog);
 * connects try every resolved address in turn. Failures are reported as
 * the stage and errno QEMU would have met; the core words them.
 */
import { lookup } from 'node:dns/promises';
import { accessSync, constants, existsSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import net from 'node:net';
import type { SocketAddress } from '../core/net/address.ts';
import { SUN_PATH_MAX } from '../core/net/address.ts';
import { STRERROR_TEXT } from '../core/net/strerror.ts';
import { SYN_GIVE_UP_MS, SYN_RETRY_MS } from '../core/net/network.ts';
import { vsockBindError, vsockConnectOutcome } from '../core/net/vsock.ts';
import { addressFailure, QEMU_LISTEN_BACKLOG } from '../core/netdev/qemu-sockets.ts';
import type { Accepted, ConnRef, SocketFailure, SocketHost, SocketLayer, SocketStage } from '../core/netdev/socket-layer.ts';

/**
 * The errno name of a Node error, as the core knows it; an error whose
 * code the core has no text for is named by Node's message.
 */
export function errnoOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code !== undefined && code in STRERROR_TEXT) return code;
  return (e as Error)?.message ?? String(e);
}

/**
 * Node reports every failed bind of a unix socket as EACCES; find the errno
 * bind(2) gave, the way QEMU would print it.
 */
export function unixBindErrno(path: string, e: unknown): string {
  if ((e as NodeJS.ErrnoException)?.code === 'EACCES') {
    const dir = dirname(path);
    try {
      if (!statSync(dir).isDirectory()) return 'ENOTDIR';
    } catch (inner) {
      return (inner as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'ENOTDIR' : 'ENOENT';
    }
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      return 'EACCES';
    }
    if (existsSync(path)) return 'EADDRINUSE';
  }
  return errnoOf(e);
}

/** getaddrinfo()'s EAI_ name for Node's resolver failures. */
function gaiErrno(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code ?? '';
  return code === 'EAI_AGAIN' || code === 'EAI_FAIL' ? code : 'EAI_NONAME';
}

const failure = (stage: SocketStage, errno: string | null = null): { ok: false; failure: SocketFailure } => ({
  ok: false,
  failure: { stage, errno },
});

interface Listener {
  server: net.Server;
  handle: number;
  /** Accepted by the kernel, not yet by QEMU. */
  queue: net.Socket[];
  /** TCP clients whose SYN a full queue would have dropped, with their retry timers. */
  dropped: Set<NodeJS.Timeout>;
  /** The unix path QEMU bound (unlinked when it closes). */
  path: string | null;
  local: SocketAddress;
}

interface Conn {
  socket: net.Socket;
  handle: number;
  inbox: Buffer[];
  inboxBytes: number;
  eof: boolean;
  reading: boolean;
}

/** Node's way of naming a Linux abstract socket: a leading NUL, padded when not tight. */
function nodePath(a: { path: string; abstract?: boolean; tight?: boolean }): string {
  if (!a.abstract) return a.path;
  const name = `\0${a.path}`;
  return a.tight === false ? name.padEnd(SUN_PATH_MAX, '\0') : name;
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

  constructor(
    private readonly host: SocketHost,
    private readonly opts: RealSocketsOptions,
  ) {}

  private id(): number {
    return this.nextId++;
  }

  listen(handle: number, addr: SocketAddress): void {
    const bad = addressFailure(addr);
    if (bad) {
      this.later(() => this.host.listenDone(handle, { ok: false, failure: bad }));
      return;
    }
    switch (addr.type) {
      case 'unix':
        this.listenUnix(handle, addr);
        return;
      case 'inet':
        void this.listenInet(handle, addr);
        return;
      case 'vsock': {
        // Node cannot open AF_VSOCK sockets: answer what this machine's
        // kernel would (core/net/vsock.ts), with a listener nothing reaches.
        const bindErr = vsockBindError(Number(addr.cid));
        if (bindErr) this.later(() => this.host.listenDone(handle, failure('bind', bindErr)));
        else this.later(() => this.adopt(handle, net.createServer(), null, { type: 'vsock', cid: addr.cid, port: addr.port }));
        return;
      }
      case 'fd':
        this.later(() => this.host.listenDone(handle, failure('fd-not-socket')));
        return;
    }
  }

  private later(fn: () => void): void {
    queueMicrotask(() => this.opts.enter(fn));
  }

  private listenUnix(handle: number, addr: { path: string; abstract?: boolean; tight?: boolean }): void {
    const abstract = addr.abstract === true;
    if (!abstract) {
      try {
        unlinkSync(addr.path);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') {
          this.later(() => this.host.listenDone(handle, failure('unlink', errnoOf(e))));
          return;
        }
      }
    }
    const local: SocketAddress = abstract
      ? { type: 'unix', path: addr.path, abstract: true, tight: addr.tight !== false }
      : { type: 'unix', path: addr.path };
    const bindErrno = (e: unknown) => (abstract ? errnoOf(e) : unixBindErrno(addr.path, e));
    this.serve(handle, { path: nodePath(addr) }, abstract ? null : addr.path, local, bindErrno);
  }

  private async listenInet(handle: number, addr: Extract<SocketAddress, { type: 'inet' }>): Promise<void> {
    const port = Number(addr.port);
    if (!/^\d+$/.test(addr.port) || port > 65535) {
      this.opts.enter(() => this.host.listenDone(handle, failure('resolve', 'EAI_SERVICE')));
      return;
    }
    let hosts: { address: string; family: number }[];
    try {
      hosts = addr.host === '' ? [{ address: '0.0.0.0', family: 4 }] : await lookup(addr.host, { all: true, family: familyOf(addr) });
    } catch (e) {
      this.opts.enter(() => this.host.listenDone(handle, failure('resolve', gaiErrno(e))));
      return;
    }
    const dualStack = (addr.ipv4 === undefined && addr.ipv6 === undefined) || (addr.ipv4 === true && addr.ipv6 === true);
    const last = addr.to ?? port;
    const attempts: { host: string; port: number }[] = [];
    for (const h of hosts) for (let p = port; p <= last; p++) attempts.push({ host: h.address, port: p });
    const tryNext = (i: number, lastErr: unknown) => {
      const a = attempts[i];
      if (!a) {
        const stage = attempts.length > 0 ? 'no-port' : 'no-socket';
        this.opts.enter(() => this.host.listenDone(handle, failure(stage, lastErr ? errnoOf(lastErr) : null)));
        return;
      }
      const server = net.createServer({ pauseOnConnect: true });
      server.once('error', (e) => {
        server.close();
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') tryNext(i + 1, e);
        else this.opts.enter(() => this.host.listenDone(handle, failure('bind', errnoOf(e))));
      });
      server.listen({ host: a.host, port: a.port, backlog: 1, ipv6Only: !dualStack }, () => {
        server.removeAllListeners('error');
        this.adopt(handle, server, null, { type: 'inet', host: a.host, port: String(a.port) });
      });
    };
    tryNext(0, null);
  }

  private serve(
    handle: number,
    options: net.ListenOptions,
    path: string | null,
    local: SocketAddress,
    bindErrno: (e: unknown) => string,
  ): void {
    const server = net.createServer({ pauseOnConnect: true });
    server.once('error', (e) => {
      server.close();
      this.opts.enter(() => this.host.listenDone(handle, failure('bind', bindErrno(e))));
    });
    server.listen({ ...options, backlog: 1 }, () => {
      server.removeAllListeners('error');
      this.adopt(handle, server, path, local);
    });
  }

  private adopt(handle: number, server: net.Server, path: string | null, local: SocketAddress): void {
    const id = this.id();
    const l: Listener = { server, handle, queue: [], dropped: new Set(), path, local };
    this.listeners.set(id, l);
    // Node accepts every connection at once, so the kernel's queue never
    // fills; the queue is kept here instead, as long as QEMU's listen
    // backlog makes Linux's (backlog + 1). A unix client beyond it is turned
    // away (the kernel would say EAGAIN; here its connect succeeded and it
    // sees end-of-file); a TCP client is let in at the time its SYN would
    // be sent again and find room (network.ts's SYN_RETRY_MS), or dropped
    // when a real one would have timed out.
    const room = () => l.queue.length <= QEMU_LISTEN_BACKLOG;
    const enqueue = (socket: net.Socket) => {
      l.queue.push(socket);
      this.host.acceptable(handle);
    };
    server.on('connection', (socket) => {
      // A waiting client that hangs up still waits to be accepted, as in the kernel's queue.
      socket.on('error', () => {});
      this.opts.enter(() => {
        if (room()) enqueue(socket);
        else if (local.type === 'unix') socket.destroy();
        else this.retrySyn(l, socket, enqueue, room, 0);
      });
    });
    server.on('error', () => {});
    this.opts.enter(() => this.host.listenDone(handle, { ok: true, listenerId: id }));
  }

  private retrySyn(l: Listener, socket: net.Socket, enqueue: (s: net.Socket) => void, room: () => boolean, tries: number): void {
    const since = tries === 0 ? 0 : SYN_RETRY_MS[tries - 1]!;
    const next = tries < SYN_RETRY_MS.length ? SYN_RETRY_MS[tries]! : SYN_GIVE_UP_MS;
    const timer = setTimeout(() => {
      l.dropped.delete(timer);
      this.opts.enter(() => {
        if (tries >= SYN_RETRY_MS.length || socket.destroyed) socket.destroy();
        else if (room()) enqueue(socket);
        else this.retrySyn(l, socket, enqueue, room, tries + 1);
      });
    }, next - since);
    l.dropped.add(timer);
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
        this.dial(handle, { path: nodePath(addr) }, () => remote, (e) => this.opts.enter(() => this.host.connectDone(handle, failure('connect', errnoOf(e)))));
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
    let hosts: { address: string; family: number }[];
    try {
      hosts = await lookup(addr.host, { all: true, family: familyOf(addr) });
    } catch (e) {
      this.opts.enter(() => this.host.connectDone(handle, failure('resolve', gaiErrno(e))));
      return;
    }
    const port = Number(addr.port) % 65536;
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

  /** Connects; `onFail` hears the error of a connect that did not complete. */
  private dial(handle: number, options: net.NetConnectOpts, remoteOf: (s: net.Socket) => SocketAddress, onFail: (e: unknown) => void): void {
    const socket = net.connect(options);
    const id = this.id();
    this.connecting.set(id, socket);
    this.host.connectStarted(handle, id);
    socket.once('error', (e) => {
      if (!this.connecting.delete(id)) return;
      socket.destroy();
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
        this.track(id, socket, handle);
        this.host.connectDone(handle, { ok: true, conn: { connId: id, side: 0 }, remote: remoteOf(socket) });
      });
    });
  }

  private track(id: number, socket: net.Socket, handle: number): Conn {
    const c: Conn = { socket, handle, inbox: [], inboxBytes: 0, eof: false, reading: true };
    this.conns.set(id, c);
    socket.on('data', (chunk: Buffer) => {
      if (!c.reading) return;
      this.opts.enter(() => {
        c.inbox.push(chunk);
        c.inboxBytes += chunk.length;
        this.host.readable(handle, id);
      });
    });
    const ended = () => {
      if (c.eof) return;
      this.opts.enter(() => {
        c.eof = true;
        if (c.reading) this.host.readable(handle, id);
      });
    };
    socket.on('end', ended);
    socket.on('error', ended);
    socket.on('close', ended);
    socket.resume();
    return c;
  }

  queued(listenerId: number): number {
    return this.listeners.get(listenerId)?.queue.length ?? 0;
  }

  accept(listenerId: number, handle: number): Accepted | null {
    const l = this.listeners.get(listenerId);
    const socket = l?.queue.shift();
    if (!l || !socket) return null;
    const id = this.id();
    this.track(id, socket, handle);
    const remote: SocketAddress =
      l.local.type === 'unix'
        ? { type: 'unix', path: '' }
        : {
            type: 'inet',
            host: socket.remoteAddress ?? '',
            port: String(socket.remotePort ?? 0),
            ...(socket.remoteFamily === 'IPv6' ? { ipv6: true } : { ipv4: true }),
          };
    return { conn: { connId: id, side: 1 }, local: l.local, remote };
  }

  read(conn: ConnRef, max: number): Uint8Array | null {
    const c = this.conns.get(conn.connId);
    if (!c) return new Uint8Array(0);
    if (c.inboxBytes === 0) return c.eof ? new Uint8Array(0) : null;
    const all = Buffer.concat(c.inbox);
    const out = all.subarray(0, max);
    const rest = all.subarray(out.length);
    c.inbox = rest.length > 0 ? [rest] : [];
    c.inboxBytes = rest.length;
    return new Uint8Array(out);
  }

  readable(conn: ConnRef): boolean {
    const c = this.conns.get(conn.connId);
    return !c || c.inboxBytes > 0 || c.eof;
  }

  stopReading(conn: ConnRef): void {
    const c = this.conns.get(conn.connId);
    if (!c || !c.reading) return;
    c.reading = false;
    c.socket.pause();
  }

  close(conn: ConnRef): void {
    const c = this.conns.get(conn.connId);
    if (!c) return;
    this.conns.delete(conn.connId);
    c.socket.destroy();
  }

  abandonConnect(connId: number): void {
    const t = this.vsockPending.get(connId);
    if (t) clearTimeout(t);
    this.vsockPending.delete(connId);
    const s = this.connecting.get(connId);
    this.connecting.delete(connId);
    s?.destroy();
  }

  closeListener(listenerId: number): void {
    const l = this.listeners.get(listenerId);
    if (!l) return;
    this.listeners.delete(listenerId);
    for (const s of l.queue) s.destroy();
    for (const t of l.dropped) clearTimeout(t);
    l.server.close();
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
    for (const id of [...this.connecting.keys(), ...this.vsockPending.keys()]) this.abandonConnect(id);
    for (const id of [...this.listeners.keys()]) this.closeListener(id);
  }
}

function familyOf(a: { ipv4?: boolean; ipv6?: boolean }): 0 | 4 | 6 {
  if (a.ipv4 === true && a.ipv6 !== true) return 4;
  if (a.ipv6 === true && a.ipv4 !== true) return 6;
  if (a.ipv4 === false) return 6;
  if (a.ipv6 === false) return 4;
  return 0;
}
