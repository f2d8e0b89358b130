/**
 * A listening socket that behaves like QEMU's: created with QEMU's backlog
 * (0 for a stream netdev, 1 for a chardev such as the QMP monitor) and
 * accepted from only when QEMU would accept, so the kernel queues what it
 * can and refuses the rest (EAGAIN for unix sockets), as with real QEMU.
 *
 * Node's own servers cannot do this (libuv accepts every pending
 * connection at once), so the socket comes from the native helper; without
 * it, a Node server stands in and accepts everything, queueing it here.
 */
import net from 'node:net';
import { SYN_GIVE_UP_MS, SYN_RETRY_MS } from '../core/net/network.ts';
import { errnoName, nativeHelper, type NativeHelper } from './native.ts';
import { watchFd, type Watch } from './native-loop.ts';

export interface BacklogListener {
  /** Calls `ready` once when a connection waits (or at once if one does); call again for the next. */
  whenPending(ready: () => void): void;
  /**
   * The oldest waiting connection, or null when none waits: the accepted
   * descriptor (native helper), for the caller to wrap when it likes, or the
   * socket Node's server made.
   */
  accept(): Accepted | null;
  close(): void;
  /** The port bound (inet). */
  readonly port: number | null;
}

export type Accepted = { fd: number } | { socket: net.Socket };

/** A net.Socket for what accept() gave; `onread` (Node's option) applies to a descriptor only. */
export function socketOf(a: Accepted, onread?: net.OnReadOpts): net.Socket {
  return 'socket' in a ? a.socket : new net.Socket({ fd: a.fd, readable: true, writable: true, ...(onread ? { onread } : {}) });
}

export type ListenOutcome =
  | { ok: true; listener: BacklogListener }
  | { ok: false; stage: 'socket' | 'bind' | 'listen'; errno: string; error: unknown };

export interface ListenSpec {
  /** A unix socket: Node's form of the path (an abstract name starts with NUL). */
  path?: string;
  host?: string;
  port?: number;
  /** IPv6 only (no IPv4-mapped clients). */
  v6only?: boolean;
  backlog: number;
}

/** Where warnings about the missing helper go (stderr in the stand-in). */
let warn: (text: string) => void = () => {};
export function setNativeWarning(sink: (text: string) => void): void {
  warn = sink;
}

export async function listenWithBacklog(spec: ListenSpec): Promise<ListenOutcome> {
  const native = nativeHelper(warn);
  if (native) {
    let r;
    if (spec.path !== undefined) {
      const bytes = Buffer.from(spec.path, 'utf8');
      // A filesystem path is bound with its terminating NUL, an abstract name as it is.
      const sun = spec.path.startsWith('\0') ? bytes : Buffer.concat([bytes, Buffer.alloc(1)]);
      r = native.listenUnix(sun, spec.backlog);
    } else {
      r = native.listenInet(spec.host ?? '0.0.0.0', spec.port ?? 0, spec.backlog, spec.v6only === true);
    }
    if ('fd' in r) {
      const watch = watchFd(native, r.fd);
      if (typeof watch !== 'number') return { ok: true, listener: nativeListener(native, r.fd, watch, spec) };
      native.close(r.fd);
      r = { stage: 'listen' as const, errno: -watch };
    }
    const errno = errnoName(r.errno);
    const error = Object.assign(new Error(errno), { code: errno });
    return { ok: false, stage: r.stage, errno, error };
  }
  return nodeListener(spec);
}

function nativeListener(native: NativeHelper, fd: number, watch: Watch, spec: ListenSpec): BacklogListener {
  let closed = false;
  return {
    port: spec.port ?? null,
    whenPending: (ready) => watch.arm(ready),
    accept: () => {
      if (closed) return null;
      const c = native.accept(fd);
      return c < 0 ? null : { fd: c };
    },
    close: () => {
      if (closed) return;
      closed = true;
      watch.stop();
      native.close(fd);
    },
  };
}

/** A listener nothing can reach (a vsock address: Node has no AF_VSOCK). */
export function unreachableListener(): BacklogListener {
  return { port: null, whenPending: () => {}, accept: () => null, close: () => {} };
}

/**
 * Without the helper: Node accepts every connection at once, so the queue
 * is kept here, as long as Linux's (backlog + 1). A unix client beyond it
 * is turned away (the kernel would say EAGAIN; here its connect succeeded
 * and it sees end-of-file); a TCP client is let in when its SYN would be
 * sent again and find room (SYN_RETRY_MS), or dropped when a real one
 * would have timed out.
 */
function nodeListener(spec: ListenSpec): Promise<ListenOutcome> {
  return new Promise((resolve) => {
    const queue: net.Socket[] = [];
    const retries = new Set<NodeJS.Timeout>();
    let waiter: (() => void) | null = null;
    const room = () => queue.length <= spec.backlog;
    const enqueue = (socket: net.Socket) => {
      queue.push(socket);
      const w = waiter;
      waiter = null;
      w?.();
    };
    const retrySyn = (socket: net.Socket, tries: number) => {
      const since = tries === 0 ? 0 : SYN_RETRY_MS[tries - 1]!;
      const next = tries < SYN_RETRY_MS.length ? SYN_RETRY_MS[tries]! : SYN_GIVE_UP_MS;
      const timer = setTimeout(() => {
        retries.delete(timer);
        if (tries >= SYN_RETRY_MS.length || socket.destroyed) socket.destroy();
        else if (room()) enqueue(socket);
        else retrySyn(socket, tries + 1);
      }, next - since);
      retries.add(timer);
    };
    const server = net.createServer({ pauseOnConnect: true }, (socket) => {
      // A waiting client that hangs up still waits to be accepted, as in the kernel's queue.
      socket.on('error', () => {});
      if (room()) enqueue(socket);
      else if (spec.path !== undefined) socket.destroy();
      else retrySyn(socket, 0);
    });
    server.once('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code ?? 'EINVAL';
      resolve({ ok: false, stage: 'bind', errno: code, error });
    });
    const options: net.ListenOptions =
      spec.path !== undefined
        ? { path: spec.path, backlog: spec.backlog }
        : { host: spec.host ?? '0.0.0.0', port: spec.port ?? 0, backlog: spec.backlog, ipv6Only: spec.v6only === true };
    server.listen(options, () => {
      server.removeAllListeners('error');
      server.on('error', () => {});
      const addr = server.address();
      resolve({
        ok: true,
        listener: {
          port: typeof addr === 'object' && addr ? addr.port : null,
          whenPending: (ready) => {
            if (queue.length > 0) queueMicrotask(ready);
            else waiter = ready;
          },
          accept: () => {
            const socket = queue.shift();
            return socket ? { socket } : null;
          },
          close: () => {
            waiter = null;
            for (const s of queue.splice(0)) s.destroy();
            for (const t of retries) clearTimeout(t);
            server.close();
          },
        },
      });
    });
  });
}
