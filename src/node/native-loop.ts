/**
 * The native helper's readiness reports (native/loop.c), on Node's own
 * event loop: listening sockets that report once per arming, and accepted
 * connections read as QEMU's main loop reads them, one read(2) into one
 * shared buffer each time they are readable.
 */
import { NET_BUFSIZE } from '../core/net/framing.ts';
import type { NativeHelper } from './native.ts';

export interface Watch {
  /** Calls `ready` once, when a connection waits (at once if one does). */
  arm: (ready: () => void) => void;
  stop: () => void;
}

export interface Reader {
  /** QEMU removed its read watch: nothing more is read. */
  pause: () => void;
  /** Stops reading and closes the descriptor. */
  close: () => void;
}

export interface ReadHandlers {
  /**
   * Bytes read, a view of the one buffer every connection reads into:
   * consumed (or copied) before this returns, as the next read overwrites it.
   */
  data: (chunk: Buffer) => void;
  /** End-of-file (errno null) or a read error; nothing more is read. */
  end: (errno: number | null) => void;
}

const armed = new Map<number, () => void>();
const readers = new Map<number, ReadHandlers>();
/** The one buffer connections read into: as large as QEMU's largest read. */
const buffer = Buffer.allocUnsafe(NET_BUFSIZE);
let started = false;

function start(native: NativeHelper): void {
  if (started) return;
  started = true;
  native.start(
    (id) => {
      const h = armed.get(id);
      armed.delete(id);
      h?.();
    },
    (id, n) => {
      const r = readers.get(id);
      if (!r) return;
      if (n > 0) r.data(buffer.subarray(0, n));
      else r.end(n < 0 ? -n : null);
    },
    buffer,
  );
}

/** Watches a listening socket's fd; -errno when it cannot be watched. */
export function watchFd(native: NativeHelper, fd: number): Watch | number {
  start(native);
  const id = native.watch(fd);
  if (id < 0) return id;
  keepAlive(+1);
  let stopped = false;
  return {
    arm: (ready) => {
      if (stopped) return;
      armed.set(id, ready);
      native.arm(id);
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      armed.delete(id);
      native.unwatch(id);
      keepAlive(-1);
    },
  };
}

/** Reads a connected socket's fd from now on; -errno when it cannot be read. */
export function readFd(native: NativeHelper, fd: number, handlers: ReadHandlers): Reader | number {
  start(native);
  const id = native.readStart(fd);
  if (id < 0) return id;
  readers.set(id, handlers);
  keepAlive(+1);
  let closed = false;
  return {
    pause: () => {
      if (!closed) native.readPause(id);
    },
    close: () => {
      if (closed) return;
      closed = true;
      readers.delete(id);
      native.unwatch(id);
      native.close(fd);
      keepAlive(-1);
    },
  };
}

/**
 * A listener between two armings (a busy monitor, a netdev with its peer)
 * or a paused connection has no active handle; as long as any exists, this
 * timer keeps the event loop alive, as an open socket would. It never
 * fires in practice.
 */
let open = 0;
let holder: NodeJS.Timeout | null = null;
function keepAlive(delta: number): void {
  open += delta;
  if (open > 0 && holder === null) holder = setInterval(() => {}, 2 ** 31 - 1);
  if (open === 0 && holder !== null) {
    clearInterval(holder);
    holder = null;
  }
}
