/**
 * The simulated kernel's data: sockets, their owners and the notices the
 * kernel gives them, all plain data so a whole network can be cloned for
 * seeking. The system calls that change it are in network.ts.
 */
import type { KernelAddress } from './address.ts';

/** Who owns a socket: a netdev instance (by handle) or a peer (by name). */
export type Owner = { kind: 'netdev'; handle: number } | { kind: 'peer'; name: string };

export type Errno =
  | 'ENOENT'
  | 'ECONNREFUSED'
  | 'EADDRINUSE'
  | 'EADDRNOTAVAIL'
  | 'ENETUNREACH'
  | 'EISDIR'
  | 'ENOTDIR'
  | 'EPIPE'
  | 'EAFNOSUPPORT'
  | 'EAGAIN'
  | 'ETIMEDOUT'
  | 'ECONNRESET'
  | 'ENODEV';

export interface Listener {
  id: number;
  owner: Owner;
  addr: KernelAddress;
  /** IPV6_V6ONLY for an inet6 socket; a dual-stack "::" also takes IPv4. */
  v6only: boolean;
  /** listen(2) backlog; Linux queues backlog + 1 connections. */
  backlog: number;
  listening: boolean;
  /** Established connections waiting for accept(), oldest first. */
  queue: number[];
  /** Connects that wait for room in the queue, oldest first. */
  blocked: number[];
  /** The filesystem path this socket was bound to, when it has one. */
  fsPath: string | null;
}

export interface Endpoint {
  owner: Owner | null;
  local: KernelAddress;
  remote: KernelAddress;
  /** Bytes that arrived and were not read yet, as written chunks. */
  inbox: Uint8Array[];
  inboxBytes: number;
  /** The other side closed: end-of-file once `inbox` is drained. */
  eof: boolean;
  /** This side was closed by its owner. */
  closed: boolean;
  bytesIn: number;
  bytesOut: number;
}

export interface Connection {
  id: number;
  /** ends[0] connected, ends[1] was accepted (or waits in a backlog). */
  ends: [Endpoint, Endpoint];
  listenerId: number;
  /** 'blocked' connects have not completed on the connecting side yet. */
  state: 'blocked' | 'queued' | 'accepted' | 'orphaned';
  /**
   * A TCP connect whose SYN a full accept queue dropped: where it goes and
   * how many times the SYN was sent again (tcp_retransmit_timer()).
   */
  syn?: { target: KernelAddress; retries: number };
  /** A connect that can only fail, with this errno, when its kernel timer runs out (vsock). */
  fails?: Errno;
}

export type Notice =
  | { kind: 'acceptable'; owner: Owner; listenerId: number }
  | { kind: 'readable'; owner: Owner; connId: number; side: 0 | 1 }
  | { kind: 'connect-completed'; owner: Owner; connId: number }
  | { kind: 'connect-failed'; owner: Owner; connId: number; errno: Errno };

export type SysResult<T> = { ok: true; value: T } | { ok: false; errno: Errno };


/** First ephemeral port handed out (Linux's range is 32768-60999). */
export const EPHEMERAL_FIRST = 45000;
export const EPHEMERAL_LAST = 60999;

export interface NetworkState {
  nextId: number;
  nextEphemeral: number;
  /** Socket files: absolute path -> listener id that created it. */
  files: Map<string, number>;
  listeners: Map<number, Listener>;
  connections: Map<number, Connection>;
  /** Abstract names and inet bindings in use: key -> listener id. */
  names: Map<string, number>;
  /** Ports a scenario writes down, which ephemeral allocation avoids. */
  reservedPorts: Set<number>;
}

export function emptyNetwork(reservedPorts: Iterable<number> = []): NetworkState {
  return {
    nextId: 1,
    nextEphemeral: EPHEMERAL_FIRST,
    files: new Map(),
    listeners: new Map(),
    connections: new Map(),
    names: new Map(),
    reservedPorts: new Set(reservedPorts),
  };
}

export function cloneNetwork(s: NetworkState): NetworkState {
  const listeners = new Map<number, Listener>();
  for (const [id, l] of s.listeners) listeners.set(id, { ...l, queue: [...l.queue], blocked: [...l.blocked] });
  const connections = new Map<number, Connection>();
  for (const [id, c] of s.connections) {
    connections.set(id, {
      ...c,
      ends: [{ ...c.ends[0], inbox: [...c.ends[0].inbox] }, { ...c.ends[1], inbox: [...c.ends[1].inbox] }],
    });
  }
  return {
    nextId: s.nextId,
    nextEphemeral: s.nextEphemeral,
    files: new Map(s.files),
    listeners,
    connections,
    names: new Map(s.names),
    reservedPorts: s.reservedPorts,
  };
}

export function describeOwner(o: Owner): string {
  return o.kind === 'netdev' ? `netdev#${o.handle}` : `peer ${o.name}`;
}
