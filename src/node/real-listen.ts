/**
 * A server netdev's listening socket on the host, opened as QEMU opens it
 * (util/qemu-sockets.c through net/stream.c): a unix path's stale file is
 * unlinked before the bind; an inet port is read as getaddrinfo() reads it,
 * every resolved address and every port up to `to` tried in turn; the
 * listen backlog is QEMU's. vsock and fd addresses get what this machine's
 * kernel would answer. Failures come back as the stage and errno QEMU met.
 */
import { unlinkSync } from 'node:fs';
import { parsePort, type SocketAddress } from '../core/net/address.ts';
import { vsockBindError } from '../core/net/vsock.ts';
import { addressFailure, QEMU_LISTEN_BACKLOG } from '../core/netdev/qemu-sockets.ts';
import { socketFailed as failure, type SocketFailure } from '../core/netdev/socket-layer.ts';
import { listenWithBacklog, unreachableListener, type BacklogListener } from './backlog-listener.ts';
import { errnoOf, gaiErrno, unixBindErrno } from './errno.ts';
import { familyOf, lookupAll, nodePath } from './node-address.ts';

export type Opened =
  | {
      ok: true;
      listener: BacklogListener;
      /** The unix path bound, for its file to go when the listener closes. */
      path: string | null;
      local: SocketAddress;
    }
  | { ok: false; failure: SocketFailure };

export async function openListener(addr: SocketAddress): Promise<Opened> {
  const bad = addressFailure(addr);
  if (bad) return { ok: false, failure: bad };
  switch (addr.type) {
    case 'unix':
      return listenUnix(addr);
    case 'inet':
      return listenInet(addr);
    case 'vsock': {
      // Node cannot open AF_VSOCK sockets: answer what this machine's
      // kernel would (core/net/vsock.ts), with a listener nothing reaches.
      const bindErr = vsockBindError(Number(addr.cid));
      if (bindErr) return failure('bind', bindErr);
      return { ok: true, listener: unreachableListener(), path: null, local: { type: 'vsock', cid: addr.cid, port: addr.port } };
    }
    case 'fd':
      return failure('fd-not-socket');
  }
}

async function listenUnix(addr: Extract<SocketAddress, { type: 'unix' }>): Promise<Opened> {
  const abstract = addr.abstract === true;
  if (!abstract) {
    try {
      unlinkSync(addr.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return failure('unlink', errnoOf(e));
    }
  }
  const r = await listenWithBacklog({ path: nodePath(addr), backlog: QEMU_LISTEN_BACKLOG });
  if (!r.ok) return failure(r.stage === 'socket' ? 'socket' : 'bind', abstract ? errnoOf(r.error) : unixBindErrno(addr.path, r.error));
  const local: SocketAddress = abstract ? { type: 'unix', path: addr.path, abstract: true, tight: addr.tight !== false } : { type: 'unix', path: addr.path };
  return { ok: true, listener: r.listener, path: abstract ? null : addr.path, local };
}

async function listenInet(addr: Extract<SocketAddress, { type: 'inet' }>): Promise<Opened> {
  const port = parsePort(addr.port); // getaddrinfo(): 70000 listens on 4464, "-1" is no number
  if (port === null) return failure('resolve', 'EAI_SERVICE');
  let hosts: { address: string; family: number }[];
  try {
    hosts = addr.host === '' ? [{ address: '0.0.0.0', family: 4 }] : await lookupAll(addr.host, familyOf(addr));
  } catch (e) {
    return failure('resolve', gaiErrno(e));
  }
  const dualStack = (addr.ipv4 === undefined && addr.ipv6 === undefined) || (addr.ipv4 === true && addr.ipv6 === true);
  const last = addr.to ?? port;
  let lastErr: unknown = null;
  for (const h of hosts) {
    for (let p = port; p <= last; p++) {
      const r = await listenWithBacklog({ host: h.address, port: p, backlog: QEMU_LISTEN_BACKLOG, v6only: !dualStack });
      if (r.ok) return { ok: true, listener: r.listener, path: null, local: { type: 'inet', host: h.address, port: String(p) } };
      if (r.errno !== 'EADDRINUSE') return failure(r.stage === 'socket' ? 'socket' : 'bind', errnoOf(r.error));
      lastErr = r.error;
    }
  }
  return failure(hosts.length > 0 ? 'no-port' : 'no-socket', lastErr ? errnoOf(lastErr) : null);
}
