/**
 * QEMU's socket helpers (util/qemu-sockets.c) as far as they do not depend
 * on the operating system: the checks of a SocketAddress made before any
 * system call, the temporary path of a unix server with no path, and the
 * error texts QEMU puts into `info network`. Every socket layer (the
 * simulated kernel, the real sockets of the stand-in) reports a failure as
 * {stage, errno}; this module alone words it.
 */
import { aiFamily, unixPathTooLong, type SocketAddress } from '../net/address.ts';
import { strerror } from '../net/strerror.ts';
import type { SocketFailure } from './socket-layer.ts';

/** listen(2) backlog QEMU's stream server asks for. */
export const QEMU_LISTEN_BACKLOG = 0;

const isU32 = (s: string) => /^\d+$/.test(s) && BigInt(s) <= 0xffffffffn;

/**
 * What QEMU refuses about the address itself before it makes a socket:
 * an over-long unix path, both IP families disabled, a vsock cid or port
 * that is no number, and (in the connect/listen thread, where no monitor is
 * current) an fd that is not a number.
 */
export function addressFailure(addr: SocketAddress): SocketFailure | null {
  const fail = (stage: SocketFailure['stage']): SocketFailure => ({ stage, errno: null });
  switch (addr.type) {
    case 'unix':
      return unixPathTooLong(addr.path, addr.abstract === true) ? fail('path-too-long') : null;
    case 'inet':
      return aiFamily(addr) === null ? fail('ip-family') : null;
    case 'vsock':
      if (!isU32(addr.cid)) return fail('vsock-cid');
      return isU32(addr.port) ? null : fail('vsock-port');
    case 'fd': {
      const numeric = /^[+-]?\d+$/.test(addr.str.trim()) && Number.isSafeInteger(Number(addr.str));
      return numeric ? null : fail('fd-number');
    }
  }
}

/**
 * unix_listen_saddr(): a server with an empty, non-abstract path listens
 * on a fresh temporary path (`random` gives its six characters).
 */
export function listenAddress(addr: SocketAddress, random: () => string): SocketAddress {
  if (addr.type !== 'unix' || addr.path !== '' || addr.abstract === true) return addr;
  return { ...addr, path: `/tmp/qemu-socket-${random()}` };
}

/**
 * QEMU's text for a failed listen or connect of `addr` (for a listen, the
 * address listenAddress() gave).
 */
export function socketFailureText(op: 'listen' | 'connect', addr: SocketAddress, f: SocketFailure): string {
  const withErrno = (text: string) => (f.errno === null ? text : `${text}: ${strerror(f.errno)}`);
  const path = addr.type === 'unix' ? addr.path : '';
  const where = addr.type === 'inet' ? `${addr.host}:${addr.port}` : addr.type === 'vsock' ? `${addr.cid}:${addr.port}` : path;
  switch (f.stage) {
    case 'path-too-long':
      return `UNIX socket path '${path}' is too long`;
    case 'ip-family':
      return 'Cannot disable IPv4 and IPv6 at same time';
    case 'vsock-cid':
      return `Failed to parse cid '${addr.type === 'vsock' ? addr.cid : ''}'`;
    case 'vsock-port':
      return `Failed to parse port '${addr.type === 'vsock' ? addr.port : ''}'`;
    case 'fd-number':
      return `Unable to parse FD number ${addr.type === 'fd' ? addr.str : ''}`;
    case 'fd-not-socket':
      return `File descriptor '${addr.type === 'fd' ? addr.str : ''}' is not a socket`;
    case 'resolve':
      return withErrno(`address resolution failed for ${where}`);
    case 'socket':
      // vsock_listen_saddr() and vsock_connect_saddr() word it differently.
      return withErrno(op === 'listen' ? 'Failed to create socket' : 'Failed to create socket family 40');
    case 'unlink':
      return withErrno(`Failed to unlink socket ${path}`);
    case 'bind':
      return withErrno(addr.type === 'unix' ? `Failed to bind socket to ${path}` : 'Failed to bind socket');
    case 'connect':
      return withErrno(`Failed to connect to '${where}'`);
    case 'no-port':
      return withErrno('Failed to find an available port');
    case 'no-socket':
      return withErrno('Failed to create a socket');
  }
}
