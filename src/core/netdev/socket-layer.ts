/**
 * What QEMU's stream backend asks of the operating system, as a port the
 * engine talks to. The simulated kernel implements it (completing work in
 * the same simulated instant); an adapter outside src/core implements it
 * with real sockets, completing work when the host's sockets do.
 *
 * Results come back through the `SocketHost` callbacks. A failure says
 * where QEMU's socket code gave up and the errno it saw; the core alone
 * words it as QEMU does (qemu-sockets.ts), whichever layer failed.
 */
import type { SocketAddress } from '../net/address.ts';

/** QEMU's end of a connection. */
export interface ConnRef {
  connId: number;
  /** Which end of the simulated connection is QEMU's (unused by real sockets). */
  side: 0 | 1;
}

export interface Accepted {
  conn: ConnRef;
  /** getsockname() of the accepted socket. */
  local: SocketAddress;
  /** getpeername() of the accepted socket. */
  remote: SocketAddress;
}

/**
 * Where util/qemu-sockets.c stopped:
 * - checks of the address itself, before any system call: `path-too-long`
 *   (unix), `ip-family` (inet with both families disabled), `vsock-cid`,
 *   `vsock-port`, `fd-number`;
 * - `resolve`: getaddrinfo() failed (`errno` is its EAI_ name);
 * - `socket`: socket() failed; `unlink`: removing a stale unix path failed;
 *   `bind`: bind() failed; `connect`: connect() failed;
 * - `no-port`: every port of an inet range was in use; `no-socket`: no
 *   resolved address gave a socket;
 * - `fd-not-socket`: the descriptor named is not a socket.
 */
export type SocketStage =
  | 'path-too-long'
  | 'ip-family'
  | 'vsock-cid'
  | 'vsock-port'
  | 'fd-number'
  | 'fd-not-socket'
  | 'resolve'
  | 'socket'
  | 'unlink'
  | 'bind'
  | 'connect'
  | 'no-port'
  | 'no-socket';

export interface SocketFailure {
  stage: SocketStage;
  /** The errno name (ECONNREFUSED) or EAI_ name QEMU printed after its text; null when it printed none. */
  errno: string | null;
}

/** A failed outcome, as every socket layer reports one. */
export const socketFailed = (stage: SocketStage, errno: string | null = null): { ok: false; failure: SocketFailure } => ({ ok: false, failure: { stage, errno } });

export type ListenResult = { ok: true; listenerId: number } | { ok: false; failure: SocketFailure };
export type ConnectResult = { ok: true; conn: ConnRef; remote: SocketAddress } | { ok: false; failure: SocketFailure };

/** Callbacks into the engine; `handle` names the netdev instance. */
export interface SocketHost {
  /** QEMU's listen thread finished. */
  listenDone(handle: number, result: ListenResult): void;
  /** A connect is under way (it may wait for room in a full backlog). */
  connectStarted(handle: number, connId: number): void;
  /** QEMU's connect thread finished. */
  connectDone(handle: number, result: ConnectResult): void;
  /** A listening socket has a connection to accept. */
  acceptable(handle: number): void;
  /** QEMU's end of a connection has data or end-of-file to read. */
  readable(handle: number, connId: number): void;
}

export interface SocketLayer {
  /**
   * socket_listen() for a server netdev, in the background. A unix `addr`
   * with an empty path already names the temporary path QEMU picked.
   */
  listen(handle: number, addr: SocketAddress): void;
  /** socket_connect() for a client netdev, in the background. */
  connect(handle: number, addr: SocketAddress): void;
  /** How many connections wait in a listening socket's queue. */
  queued(listenerId: number): number;
  /** accept(2) of the oldest waiting connection. */
  accept(listenerId: number, handle: number): Accepted | null;
  /** read(2) of at most `max` bytes: null when nothing is there yet, an empty array at end-of-file. */
  read(conn: ConnRef, max: number): Uint8Array | null;
  readable(conn: ConnRef): boolean;
  /** QEMU removed its read watch: stop taking data from the socket. */
  stopReading(conn: ConnRef): void;
  /** close(2) of QEMU's end. */
  close(conn: ConnRef): void;
  /** Gives up a connect that has not completed. */
  abandonConnect(connId: number): void;
  /** Closes a listening socket; a unix socket's file is unlinked. */
  closeListener(listenerId: number): void;
}
