/**
 * Outside programs on the simulated kernel: passt-like servers that listen
 * and serve one client at a time (reading and discarding, closing at
 * end-of-file, then accepting the next), and socat-like clients that
 * connect, write frames and hang up. A scenario's peer steps act on them;
 * the kernel's notices about their sockets become tasks on the engine's
 * queue. What they cannot do goes to stderr as `[peer]` and `[recorder]`
 * notes, as the recorder's own peers report it.
 */
import { getaddrinfo, type KernelAddress, type SocketAddress } from '../net/address.ts';
import { encodeFrame } from '../net/framing.ts';
import type { Network, Notice, Owner } from '../net/network.ts';
import { strerror } from '../net/strerror.ts';

/** Peers listen with the recorder's backlog. */
export const PEER_BACKLOG = 16;

export interface PeerRecord {
  name: string;
  listenerId: number | null;
  listenAddr: SocketAddress | null;
  conn: { connId: number; side: 0 | 1 } | null;
  /** The connect waits for room in a full backlog. */
  blocked: boolean;
  /** Why the peer's last connect failed (strerror text); null once it connects again or closes. */
  connectFailed?: string | null;
  readPending: boolean;
  acceptPending: boolean;
}

/** Work a peer has queued on the engine's clock. */
export type PeerTask = { kind: 'peer.accept'; name: string } | { kind: 'peer.read'; name: string };

/** What a scenario step tells a peer to do. */
export type PeerAction =
  | { listen: SocketAddress }
  | { connect: SocketAddress }
  | { write: Uint8Array; framed: boolean }
  | { close: true };

export interface PeerHost {
  schedule(task: PeerTask): void;
  stderrLine(line: string): void;
}

type Target = { ok: true; value: KernelAddress } | { ok: false; error: string };

/** Where a peer listens or connects: the first address the name resolves to. */
export function peerAddressTarget(addr: SocketAddress): Target {
  switch (addr.type) {
    case 'unix':
      return {
        ok: true,
        value: { family: 'unix', path: addr.path, abstract: addr.abstract === true, tight: addr.tight !== false },
      };
    case 'inet': {
      const r = getaddrinfo(addr.host, addr.port, { family: 'unspec', passive: true, numericHost: false, v4mapped: false });
      if (!r.ok) return { ok: false, error: strerror(r.gai) };
      const first = r.value[0]!;
      return { ok: true, value: { family: first.family, ip: first.ip, port: first.port } };
    }
    case 'vsock':
      return { ok: false, error: strerror('EAFNOSUPPORT') };
    case 'fd':
      return { ok: false, error: 'a peer cannot use an fd address' };
  }
}

export class Peers {
  private records = new Map<string, PeerRecord>();

  constructor(
    private readonly net: Network,
    private readonly host: PeerHost,
  ) {}

  /** Every peer a step has named, in the order they were first named. */
  list(): readonly Readonly<PeerRecord>[] {
    return [...this.records.values()];
  }

  act(name: string, action: PeerAction): void {
    if ('listen' in action) this.listen(name, action.listen);
    else if ('connect' in action) this.connect(name, action.connect);
    else if ('write' in action) this.write(name, action.write, action.framed);
    else this.close(name);
  }

  runTask(task: PeerTask): void {
    if (task.kind === 'peer.accept') this.accept(task.name);
    else this.read(task.name);
  }

  /** The kernel's notices about a peer's sockets. */
  notice(n: Notice): void {
    if (n.owner.kind !== 'peer') return;
    const p = this.records.get(n.owner.name);
    if (!p) return;
    if (n.kind === 'acceptable' && !p.acceptPending && !p.conn) {
      p.acceptPending = true;
      this.host.schedule({ kind: 'peer.accept', name: p.name });
    } else if (n.kind === 'readable' && !p.readPending) {
      p.readPending = true;
      this.host.schedule({ kind: 'peer.read', name: p.name });
    } else if (n.kind === 'connect-completed') {
      p.blocked = false;
    } else if (n.kind === 'connect-failed') {
      p.blocked = false;
      p.conn = null;
      p.connectFailed = strerror(n.errno);
      this.note(p.name, `connect failed: ${strerror(n.errno)}`);
    }
  }

  /** A copy of every peer's state, for a checkpoint. */
  save(): Map<string, PeerRecord> {
    return copyRecords(this.records);
  }

  load(saved: Map<string, PeerRecord>): void {
    this.records = copyRecords(saved);
  }

  private peer(name: string): PeerRecord {
    let p = this.records.get(name);
    if (!p) {
      p = { name, listenerId: null, listenAddr: null, conn: null, blocked: false, readPending: false, acceptPending: false };
      this.records.set(name, p);
    }
    return p;
  }

  private note(name: string, text: string): void {
    this.host.stderrLine(`[peer] ${name}: ${text}`);
  }

  private listen(name: string, addr: SocketAddress): void {
    const p = this.peer(name);
    if (p.listenerId !== null) {
      this.note(name, 'already listens; listen ignored');
      return;
    }
    const owner: Owner = { kind: 'peer', name };
    const target = peerAddressTarget(addr);
    if (!target.ok) {
      this.note(name, `listen failed: ${target.error}`);
      return;
    }
    const k = target.value;
    let r;
    if (k.family === 'vsock') {
      this.note(name, `listen failed: ${strerror('EAFNOSUPPORT')}`);
      return;
    } else if (k.family === 'unix') {
      if (!k.abstract) this.net.unlink(k.path);
      r = this.net.listenUnix(owner, k.path, k.abstract, k.tight, PEER_BACKLOG);
    } else {
      r = this.net.listenInet(owner, k.family, k.ip, k.port, k.family === 'inet6', PEER_BACKLOG);
    }
    if (!r.ok) {
      this.note(name, `listen failed: ${strerror(r.errno)}`);
      return;
    }
    p.listenerId = r.value.id;
    p.listenAddr = addr;
  }

  private connect(name: string, addr: SocketAddress): void {
    const p = this.peer(name);
    if (p.conn) {
      this.note(name, 'already has a connection; connect ignored');
      return;
    }
    const target = peerAddressTarget(addr);
    if (!target.ok) {
      p.connectFailed = target.error;
      this.host.stderrLine(`[recorder] peer ${name} connect failed: ${target.error}`);
      return;
    }
    // Like the recorder's peers (Node's sockets), a peer connects without blocking.
    const r = this.net.connect({ kind: 'peer', name }, target.value, { nonBlocking: true });
    if (!r.ok) {
      p.connectFailed = strerror(r.errno);
      this.host.stderrLine(`[recorder] peer ${name} connect failed: ${strerror(r.errno)}`);
      return;
    }
    p.connectFailed = null;
    p.conn = { connId: r.value.connId, side: 0 };
    p.blocked = r.value.blocked;
  }

  private write(name: string, bytes: Uint8Array, framed: boolean): void {
    const p = this.peer(name);
    if (!p.conn) {
      this.note(name, 'has no connection; nothing sent');
      return;
    }
    const data = framed ? encodeFrame(bytes) : bytes;
    const r = this.net.write(p.conn.connId, p.conn.side, data);
    if (!r.ok) this.note(name, `send failed: ${strerror(r.errno)}`);
  }

  private close(name: string): void {
    const p = this.peer(name);
    if (p.conn) this.net.close(p.conn.connId, p.conn.side);
    p.conn = null;
    p.blocked = false;
    p.connectFailed = null;
    if (p.listenerId !== null) this.net.closeListener(p.listenerId, true);
    p.listenerId = null;
    p.listenAddr = null;
  }

  private accept(name: string): void {
    const p = this.records.get(name);
    if (!p) return;
    p.acceptPending = false;
    if (p.conn || p.listenerId === null) return;
    const c = this.net.accept(p.listenerId, { kind: 'peer', name });
    if (c) p.conn = { connId: c.id, side: 1 };
  }

  /** Peers read and discard; at end-of-file they close and accept the next client. */
  private read(name: string): void {
    const p = this.records.get(name);
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
        this.host.schedule({ kind: 'peer.accept', name });
      }
    }
  }
}

function copyRecords(from: Map<string, PeerRecord>): Map<string, PeerRecord> {
  return new Map([...from].map(([k, p]) => [k, { ...p, conn: p.conn ? { ...p.conn } : null }]));
}
