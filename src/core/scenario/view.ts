/**
 * A plain-data picture of a session at its current position, for the
 * simulator's views and the docs: netdevs with their machine state, the
 * network (listeners, backlogs, connections), peers, timers and output.
 * Nothing here is live; render it, do not mutate it.
 */
import { describeKernelAddress, type SocketAddress } from '../net/address.ts';
import type { Owner } from '../net/network.ts';
import type { FrameRecord } from '../netdev/netdevs.ts';
import type { EmittedEvent, TranscriptEntry } from '../qmp/types.ts';
import type { Session } from './session.ts';

/** Who holds a socket: a netdev (by handle and id) or a peer; null when nobody accepted it yet. */
export type OwnerRef = { kind: 'netdev'; handle: number; id: string } | { kind: 'peer'; name: string } | null;

export interface NetdevView {
  handle: number;
  id: string;
  mode: 'server' | 'client';
  /** The machine's state, e.g. "server.listening" or "client.waiting". */
  state: string;
  /** The text `info network` shows after "type=stream,". */
  info: string;
  linkDown: boolean;
  addr: SocketAddress;
  reconnectMs: number;
  peer: SocketAddress | null;
  fromCommandLine: boolean;
  deleted: boolean;
  connects: number;
  disconnects: number;
  /** When the armed reconnect timer fires (ms of simulated time). */
  timerAt: number | null;
  framesIn: number;
  bytesIn: number;
  /** The netdev's listening socket and current connection (ids of the network's views). */
  listenerId: number | null;
  connId: number | null;
  /** A connect is in flight (QEMU's worker thread). */
  connecting: boolean;
}

export interface ListenerView {
  id: number;
  owner: string;
  by: OwnerRef;
  address: string;
  backlog: number;
  /** Connections the kernel completed that nobody accepted yet. */
  queued: number[];
  /** Connects waiting for room in the queue. */
  blocked: number[];
}

export interface ConnectionView {
  id: number;
  state: 'blocked' | 'queued' | 'accepted' | 'orphaned';
  listenerId: number;
  ends: { owner: string; by: OwnerRef; local: string; remote: string; unread: number; eof: boolean; closed: boolean }[];
}

export interface PeerView {
  name: string;
  listening: string | null;
  connection: number | null;
  waitingForBacklog: boolean;
  /** The peer's last connect failed and it has no connection: the kernel's reason. */
  connectFailed: string | null;
}

export interface SessionView {
  release: string;
  position: number;
  stepCount: number;
  /** Simulated time in ms. */
  now: number;
  /** When each step starts, and when the transcript ends. */
  stepStarts: number[];
  end: number;
  startupFailed: boolean;
  netdevs: NetdevView[];
  listeners: ListenerView[];
  connections: ConnectionView[];
  peers: PeerView[];
  transcript: readonly TranscriptEntry[];
  stderr: readonly string[];
  events: readonly EmittedEvent[];
  frames: readonly FrameRecord[];
  infoNetwork: string;
}

function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [k, v] = Object.entries(value as Record<string, unknown>)[0] ?? ['', ''];
    return `${k}.${stateName(v)}`;
  }
  return '';
}

export function viewSession(session: Session): SessionView {
  const e = session.engine;
  const records = e.netdevList();
  const netdevs: NetdevView[] = records.map((rec) => {
    const machine = e.netdevMachine(rec.handle);
    const ctx = machine?.context;
    return {
      handle: rec.handle,
      id: rec.id,
      mode: rec.options.server === true ? 'server' : 'client',
      state: rec.deleted ? 'deleted' : stateName(machine?.value),
      info: ctx?.info ?? '',
      linkDown: ctx?.linkDown ?? true,
      addr: rec.options.addr,
      reconnectMs: ctx?.reconnectMs ?? 0,
      peer: ctx?.peer ?? null,
      fromCommandLine: rec.fromCommandLine,
      deleted: rec.deleted,
      connects: ctx?.connects ?? 0,
      disconnects: ctx?.disconnects ?? 0,
      timerAt: rec.timerAt,
      framesIn: rec.framesIn,
      bytesIn: rec.bytesIn,
      listenerId: rec.listenerId,
      connId: rec.conn?.connId ?? null,
      connecting: rec.connecting !== null,
    };
  });
  const ownerName = (o: Owner | null): string => {
    if (!o) return '(not accepted yet)';
    if (o.kind === 'peer') return `peer ${o.name}`;
    return `QEMU netdev ${records[o.handle]?.id ?? '?'}`;
  };
  const ownerRef = (o: Owner | null): OwnerRef => {
    if (!o) return null;
    if (o.kind === 'peer') return { kind: 'peer', name: o.name };
    return { kind: 'netdev', handle: o.handle, id: records[o.handle]?.id ?? '?' };
  };
  const kernel = e.kernel();
  const listeners: ListenerView[] = [...kernel.listeners.values()].map((l) => ({
    id: l.id,
    owner: ownerName(l.owner),
    by: ownerRef(l.owner),
    address: describeKernelAddress(l.addr),
    backlog: l.backlog,
    queued: [...l.queue],
    blocked: [...l.blocked],
  }));
  const connections: ConnectionView[] = [...kernel.connections.values()].map((c) => ({
    id: c.id,
    state: c.state,
    listenerId: c.listenerId,
    ends: c.ends.map((end) => ({
      owner: ownerName(end.owner),
      by: ownerRef(end.owner),
      local: describeKernelAddress(end.local),
      remote: describeKernelAddress(end.remote),
      unread: end.inboxBytes,
      eof: end.eof,
      closed: end.closed,
    })),
  }));
  const peers: PeerView[] = e.peerList().map((p) => {
    const listener = p.listenerId === null ? undefined : kernel.listeners.get(p.listenerId);
    return {
      name: p.name,
      listening: listener ? describeKernelAddress(listener.addr) : null,
      connection: p.conn?.connId ?? null,
      waitingForBacklog: p.blocked,
      connectFailed: p.connectFailed ?? null,
    };
  });
  return {
    release: session.release.name,
    position: session.position,
    stepCount: session.stepCount,
    now: e.now,
    stepStarts: session.timeline.starts,
    end: session.timeline.end,
    startupFailed: session.startupFailed,
    netdevs,
    listeners,
    connections,
    peers,
    transcript: e.transcript,
    stderr: e.stderr,
    events: e.events,
    frames: e.frames,
    infoNetwork: e.monitor.infoNetwork(),
  };
}
