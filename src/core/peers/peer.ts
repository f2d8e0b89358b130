/**
 * Outside programs: passt-like servers that listen and serve one client at
 * a time, socat-like clients that connect, write frames and hang up. Their
 * behaviour lives in the engine; this module maps their addresses onto the
 * simulated kernel the way a small test program's socket calls would.
 */
import { getaddrinfo, type KernelAddress, type SocketAddress } from '../net/address.ts';

export type Target = { ok: true; value: KernelAddress } | { ok: false; error: string };

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
      if (!r.ok) return { ok: false, error: r.error };
      const first = r.value[0]!;
      return { ok: true, value: { family: first.family, ip: first.ip, port: first.port } };
    }
    case 'vsock':
      return { ok: false, error: 'Address family not supported by protocol' };
    case 'fd':
      return { ok: false, error: 'a peer cannot use an fd address' };
  }
}
