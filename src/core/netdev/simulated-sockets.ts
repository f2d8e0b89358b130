/**
 * The socket layer on the simulated kernel: QEMU's listen and connect
 * threads finish in the same simulated instant; a connect into a full
 * backlog completes when the kernel makes room.
 */
import { reportAddress, type SocketAddress } from '../net/address.ts';
import type { Network } from '../net/network.ts';
import { qemuConnect, qemuListen } from './qemu-sockets.ts';
import type { Accepted, ConnRef, SocketHost, SocketLayer } from './socket-layer.ts';

export class SimulatedSockets implements SocketLayer {
  constructor(
    private readonly net: () => Network,
    private readonly host: SocketHost,
    private readonly tempName: () => string,
  ) {}

  listen(handle: number, addr: SocketAddress): void {
    const r = qemuListen(this.net(), { kind: 'netdev', handle }, addr, this.tempName);
    this.host.listenDone(handle, r.ok ? { ok: true, listenerId: r.value } : r);
  }

  connect(handle: number, addr: SocketAddress): void {
    const r = qemuConnect(this.net(), { kind: 'netdev', handle }, addr);
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

  queued(listenerId: number): number {
    return this.net().listener(listenerId)?.queue.length ?? 0;
  }

  accept(listenerId: number, handle: number): Accepted | null {
    const c = this.net().accept(listenerId, { kind: 'netdev', handle });
    if (!c) return null;
    return { conn: { connId: c.id, side: 1 }, local: reportAddress(c.ends[1].local), remote: reportAddress(c.ends[1].remote) };
  }

  read(conn: ConnRef, max: number): Uint8Array | null {
    return this.net().read(conn.connId, conn.side, max);
  }

  readable(conn: ConnRef): boolean {
    return this.net().readable(conn.connId, conn.side);
  }

  stopReading(): void {
    // The simulated kernel keeps whatever arrives; QEMU just never reads it.
  }

  close(conn: ConnRef): void {
    this.net().close(conn.connId, conn.side);
  }

  abandonConnect(connId: number): void {
    this.net().close(connId, 0);
  }

  closeListener(listenerId: number): void {
    this.net().closeListener(listenerId, true);
  }
}
