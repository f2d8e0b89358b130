/**
 * QEMU's socket helpers (util/qemu-sockets.c) on the simulated kernel:
 * listening and connecting for each SocketAddress branch, with the error
 * texts QEMU puts into `info network`.
 */
import {
  aiFamily,
  getaddrinfo,
  type InetSocketAddress,
  type KernelAddress,
  type SocketAddress,
  type UnixSocketAddress,
  unixPathTooLong,
} from '../net/address.ts';
import { Network, STRERROR, type Errno, type Owner } from '../net/network.ts';

export type SocketOutcome<T> = { ok: true; value: T } | { ok: false; message: string };

const failed = <T>(message: string): SocketOutcome<T> => ({ ok: false, message });
const withErrno = (text: string, errno: Errno) => `${text}: ${STRERROR[errno]}`;

/** listen(2) backlog QEMU's stream server asks for. */
export const QEMU_LISTEN_BACKLOG = 0;

/** socket_listen(): returns the listener id. */
export function qemuListen(net: Network, owner: Owner, addr: SocketAddress, tempName: () => string): SocketOutcome<number> {
  switch (addr.type) {
    case 'unix':
      return listenUnix(net, owner, addr, tempName);
    case 'inet':
      return listenInet(net, owner, addr);
    case 'vsock': {
      const parsed = parseVsock(addr.cid, addr.port);
      if (parsed) return failed(parsed);
      return failed(withErrno('Failed to create socket', 'EAFNOSUPPORT'));
    }
    case 'fd':
      return failed(fdError(addr.str));
  }
}

function listenUnix(net: Network, owner: Owner, a: UnixSocketAddress, tempName: () => string): SocketOutcome<number> {
  const abstract = a.abstract === true;
  const tight = a.tight !== false;
  const path = a.path !== '' || abstract ? a.path : `/tmp/qemu-socket-${tempName()}`;
  if (unixPathTooLong(path, abstract)) return failed(`UNIX socket path '${path}' is too long`);
  if (!abstract) {
    const u = net.unlink(path);
    if (!u.ok && u.errno !== 'ENOENT') return failed(withErrno(`Failed to unlink socket ${path}`, u.errno));
  }
  const r = net.listenUnix(owner, path, abstract, tight, QEMU_LISTEN_BACKLOG);
  if (!r.ok) return failed(withErrno(`Failed to bind socket to ${path}`, r.errno));
  return { ok: true, value: r.value.id };
}

function listenInet(net: Network, owner: Owner, a: InetSocketAddress): SocketOutcome<number> {
  const fam = aiFamily(a);
  if (!fam.ok) return failed(fam.error);
  const numeric = a.numeric === true;
  const res = getaddrinfo(a.host, a.port, { family: fam.value, passive: true, numericHost: numeric, v4mapped: false });
  if (!res.ok) return failed(`address resolution failed for ${a.host}:${a.port}: ${res.error}`);
  // try_bind(): a dual-stack socket unless exactly one family was asked for.
  const dualStack = (a.ipv4 === undefined && a.ipv6 === undefined) || (a.ipv4 === true && a.ipv6 === true);
  let lastErrno: Errno | null = null;
  let socketCreated = false;
  for (const e of res.value) {
    const portMax = a.to !== undefined ? a.to : e.port;
    for (let p = e.port; p <= portMax; p++) {
      socketCreated = true;
      let v6only = !dualStack;
      let r = net.listenInet(owner, e.family, e.ip, p, e.family === 'inet6' ? v6only : false, QEMU_LISTEN_BACKLOG);
      if (!r.ok && r.errno === 'EADDRINUSE' && e.family === 'inet6' && !v6only) {
        v6only = true;
        r = net.listenInet(owner, e.family, e.ip, p, true, QEMU_LISTEN_BACKLOG);
      }
      if (r.ok) return { ok: true, value: r.value.id };
      lastErrno = r.errno;
      if (r.errno === 'EADDRINUSE') continue;
      return failed(withErrno('Failed to bind socket', r.errno));
    }
  }
  const text = socketCreated ? 'Failed to find an available port' : 'Failed to create a socket';
  return failed(lastErrno ? withErrno(text, lastErrno) : text);
}

export interface ConnectStarted {
  connId: number;
  /** The listener's queue is full: the connect completes later. */
  blocked: boolean;
  /** What getpeername() will say once connected. */
  remote: KernelAddress;
}

/** socket_connect(): the first address that accepts the connection wins. */
export function qemuConnect(net: Network, owner: Owner, addr: SocketAddress): SocketOutcome<ConnectStarted> {
  switch (addr.type) {
    case 'unix': {
      const abstract = addr.abstract === true;
      if (unixPathTooLong(addr.path, abstract)) return failed(`UNIX socket path '${addr.path}' is too long`);
      const target: KernelAddress = { family: 'unix', path: addr.path, abstract, tight: addr.tight !== false };
      const r = net.connect(owner, target);
      if (!r.ok) return failed(withErrno(`Failed to connect to '${addr.path}'`, r.errno));
      return { ok: true, value: { ...r.value, remote: net.connection(r.value.connId)!.ends[0].remote } };
    }
    case 'inet': {
      const fam = aiFamily(addr);
      if (!fam.ok) return failed(fam.error);
      const res = getaddrinfo(addr.host, addr.port, {
        family: fam.value,
        passive: false,
        numericHost: false,
        v4mapped: true,
      });
      if (!res.ok) return failed(`address resolution failed for ${addr.host}:${addr.port}: ${res.error}`);
      let last: Errno = 'ECONNREFUSED';
      for (const e of res.value) {
        const r = net.connect(owner, { family: e.family, ip: e.ip, port: e.port });
        if (r.ok) return { ok: true, value: { ...r.value, remote: net.connection(r.value.connId)!.ends[0].remote } };
        last = r.errno;
      }
      return failed(withErrno(`Failed to connect to '${addr.host}:${addr.port}'`, last));
    }
    case 'vsock': {
      const parsed = parseVsock(addr.cid, addr.port);
      if (parsed) return failed(parsed);
      return failed(withErrno('Failed to create socket family 40', 'EAFNOSUPPORT'));
    }
    case 'fd':
      return failed(fdError(addr.str));
  }
}

function parseVsock(cid: string, port: string): string | null {
  const u32 = (s: string) => /^\d+$/.test(s) && BigInt(s) <= 0xffffffffn;
  if (!u32(cid)) return `Failed to parse cid '${cid}'`;
  if (!u32(port)) return `Failed to parse port '${port}'`;
  return null;
}

/**
 * socket_get_fd() as it runs in QEMU's connect/listen thread, where no
 * monitor is current: the text must be a number, and the simulated QEMU
 * holds no socket descriptor a scenario could name.
 */
function fdError(str: string): string {
  if (!/^[+-]?\d+$/.test(str.trim()) || !Number.isSafeInteger(Number(str))) return `Unable to parse FD number ${str}`;
  return `File descriptor '${str}' is not a socket`;
}

/** How a peer's failed connect reads in the transcript's side notes. */
export function errnoText(errno: Errno): string {
  return STRERROR[errno];
}

/** QEMU's text for a connect that failed with `errno` after it started. */
export function connectFailureText(addr: SocketAddress, errno: Errno): string {
  const where = addr.type === 'inet' ? `${addr.host}:${addr.port}` : addr.type === 'unix' ? addr.path : '';
  return withErrno(`Failed to connect to '${where}'`, errno);
}
