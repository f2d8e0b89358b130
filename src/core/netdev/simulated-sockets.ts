/**
 * The socket layer on the simulated kernel: what util/qemu-sockets.c does
 * with the kernel's system calls, for every SocketAddress branch. QEMU's
 * listen and connect threads finish in the same simulated instant; a
 * connect into a full backlog completes when the kernel makes room. The
 * kernel's notices for QEMU's sockets arrive here and go on to the engine
 * as SocketHost callbacks.
 */
import {
  aiFamily,
  getaddrinfo,
  reportAddress,
  type InetSocketAddress,
  type KernelAddress,
  type SocketAddress,
} from '../net/address.ts';
import type { Errno, Network, Notice } from '../net/network.ts';
import { addressFailure, QEMU_LISTEN_BACKLOG } from './qemu-sockets.ts';
import { socketFailed, type Accepted, type ConnRef, type SocketFailure, type SocketHost, type SocketLayer, type SocketStage } from './socket-layer.ts';

type Outcome<T> = { ok: true; value: T } | { ok: false; failure: SocketFailure };

const failed = <T>(stage: SocketStage, errno: string | null = null): Outcome<T> => socketFailed(stage, errno);

interface ConnectStarted {
  connId: number;
  /** The listener's queue is full: the connect completes later. */
  blocked: boolean;
  /** What getpeername() will say once connected. */
  remote: KernelAddress;
}

export class SimulatedSockets implements SocketLayer {
  constructor(
    private readonly net: Network,
    private readonly host: SocketHost,
  ) {}

  listen(handle: number, addr: SocketAddress): void {
    const r = this.listenOn({ kind: 'netdev', handle }, addr);
    this.host.listenDone(handle, r.ok ? { ok: true, listenerId: r.value } : r);
  }

  connect(handle: number, addr: SocketAddress): void {
    const r = this.connectTo({ kind: 'netdev', handle }, addr);
    if (!r.ok) {
      this.host.connectDone(handle, r);
      return;
    }
    this.host.connectStarted(handle, r.value.connId);
    if (!r.value.blocked) {
      this.host.connectDone(handle, {
        ok: true,
        conn: { connId: r.value.connId, side: 0 },
        remote: reportAddress(r.value.remote),
      });
    }
  }

  /** The kernel's notices about a netdev's sockets. */
  notice(n: Notice): void {
    if (n.owner.kind !== 'netdev') return;
    const handle = n.owner.handle;
    switch (n.kind) {
      case 'acceptable':
        this.host.acceptable(handle);
        return;
      case 'readable':
        this.host.readable(handle, n.connId);
        return;
      case 'connect-completed': {
        const c = this.net.connection(n.connId);
        if (!c) return;
        this.host.connectDone(handle, { ok: true, conn: { connId: n.connId, side: 0 }, remote: reportAddress(c.ends[0].remote) });
        return;
      }
      case 'connect-failed':
        this.host.connectDone(handle, { ok: false, failure: { stage: 'connect', errno: n.errno } });
        return;
    }
  }

  queued(listenerId: number): number {
    return this.net.listener(listenerId)?.queue.length ?? 0;
  }

  accept(listenerId: number, handle: number): Accepted | null {
    const c = this.net.accept(listenerId, { kind: 'netdev', handle });
    if (!c) return null;
    return { conn: { connId: c.id, side: 1 }, local: reportAddress(c.ends[1].local), remote: reportAddress(c.ends[1].remote) };
  }

  read(conn: ConnRef, max: number): Uint8Array | null {
    return this.net.read(conn.connId, conn.side, max);
  }

  readable(conn: ConnRef): boolean {
    return this.net.readable(conn.connId, conn.side);
  }

  stopReading(): void {
    // The simulated kernel keeps whatever arrives; QEMU just never reads it.
  }

  close(conn: ConnRef): void {
    this.net.close(conn.connId, conn.side);
  }

  abandonConnect(connId: number): void {
    this.net.close(connId, 0);
  }

  closeListener(listenerId: number): void {
    this.net.closeListener(listenerId, true);
  }

  // -- util/qemu-sockets.c on the simulated kernel ----------------------------

  /** socket_listen(): returns the listener id. */
  private listenOn(owner: Notice['owner'], addr: SocketAddress): Outcome<number> {
    const bad = addressFailure(addr);
    if (bad) return { ok: false, failure: bad };
    switch (addr.type) {
      case 'unix': {
        const abstract = addr.abstract === true;
        if (!abstract) {
          const u = this.net.unlink(addr.path);
          if (!u.ok && u.errno !== 'ENOENT') return failed('unlink', u.errno);
        }
        const r = this.net.listenUnix(owner, addr.path, abstract, addr.tight !== false, QEMU_LISTEN_BACKLOG);
        return r.ok ? { ok: true, value: r.value.id } : failed('bind', r.errno);
      }
      case 'inet':
        return this.listenInet(owner, addr);
      case 'vsock': {
        // vsock_listen_saddr(): socket, bind, listen.
        const r = this.net.listenVsock(owner, Number(addr.cid), Number(addr.port), QEMU_LISTEN_BACKLOG);
        return r.ok ? { ok: true, value: r.value.id } : failed('bind', r.errno);
      }
      case 'fd':
        // The simulated QEMU holds no socket descriptor a scenario could name.
        return failed('fd-not-socket');
    }
  }

  /** inet_listen_saddr(): every resolved address, every port of the range. */
  private listenInet(owner: Notice['owner'], a: InetSocketAddress): Outcome<number> {
    const family = aiFamily(a);
    if (family === null) return failed('ip-family');
    const res = getaddrinfo(a.host, a.port, { family, passive: true, numericHost: a.numeric === true, v4mapped: false });
    if (!res.ok) return failed('resolve', res.gai);
    // try_bind(): a dual-stack socket unless exactly one family was asked for.
    const dualStack = (a.ipv4 === undefined && a.ipv6 === undefined) || (a.ipv4 === true && a.ipv6 === true);
    let lastErrno: Errno | null = null;
    let socketCreated = false;
    for (const e of res.value) {
      const portMax = a.to !== undefined ? a.to : e.port;
      for (let p = e.port; p <= portMax; p++) {
        socketCreated = true;
        const v6only = !dualStack;
        let r = this.net.listenInet(owner, e.family, e.ip, p, e.family === 'inet6' ? v6only : false, QEMU_LISTEN_BACKLOG);
        if (!r.ok && r.errno === 'EADDRINUSE' && e.family === 'inet6' && !v6only) {
          r = this.net.listenInet(owner, e.family, e.ip, p, true, QEMU_LISTEN_BACKLOG);
        }
        if (r.ok) return { ok: true, value: r.value.id };
        lastErrno = r.errno;
        if (r.errno === 'EADDRINUSE') continue;
        return failed('bind', r.errno);
      }
    }
    return failed(socketCreated ? 'no-port' : 'no-socket', lastErrno);
  }

  /** socket_connect(): the first address that accepts the connection wins. */
  private connectTo(owner: Notice['owner'], addr: SocketAddress): Outcome<ConnectStarted> {
    const bad = addressFailure(addr);
    if (bad) return { ok: false, failure: bad };
    switch (addr.type) {
      case 'unix': {
        const target: KernelAddress = { family: 'unix', path: addr.path, abstract: addr.abstract === true, tight: addr.tight !== false };
        const r = this.net.connect(owner, target);
        if (!r.ok) return failed('connect', r.errno);
        return { ok: true, value: { ...r.value, remote: this.net.connection(r.value.connId)!.ends[0].remote } };
      }
      case 'inet': {
        const family = aiFamily(addr);
        if (family === null) return failed('ip-family');
        const res = getaddrinfo(addr.host, addr.port, { family, passive: false, numericHost: false, v4mapped: true });
        if (!res.ok) return failed('resolve', res.gai);
        let last: Errno = 'ECONNREFUSED';
        for (const e of res.value) {
          const r = this.net.connect(owner, { family: e.family, ip: e.ip, port: e.port });
          if (r.ok) return { ok: true, value: { ...r.value, remote: this.net.connection(r.value.connId)!.ends[0].remote } };
          last = r.errno;
        }
        return failed('connect', last);
      }
      case 'vsock': {
        // vsock_connect_saddr(): a blocking connect in QEMU's connect thread.
        const r = this.net.connectVsock(owner, Number(addr.cid), Number(addr.port));
        if (!r.ok) return failed('connect', r.errno);
        return { ok: true, value: { ...r.value, remote: this.net.connection(r.value.connId)!.ends[0].remote } };
      }
      case 'fd':
        return failed('fd-not-socket');
    }
  }
}
