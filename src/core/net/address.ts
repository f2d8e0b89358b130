/**
 * SocketAddress as QMP carries it, and the kernel-level addresses the
 * simulated network works with. Resolution follows util/qemu-sockets.c and
 * glibc on a machine whose only interface is loopback.
 */
import { canonicalIPv6, formatIPv4, formatIPv6, inetAtonExact, parseIPv4, parseIPv6, unmapIPv6 } from './ip.ts';

export interface InetSocketAddress {
  type: 'inet';
  host: string;
  port: string;
  numeric?: boolean;
  to?: number;
  ipv4?: boolean;
  ipv6?: boolean;
  'keep-alive'?: boolean;
  mptcp?: boolean;
  'keep-alive-count'?: number;
  'keep-alive-idle'?: number;
  'keep-alive-interval'?: number;
}
export interface UnixSocketAddress {
  type: 'unix';
  path: string;
  abstract?: boolean;
  tight?: boolean;
}
export interface VsockSocketAddress {
  type: 'vsock';
  cid: string;
  port: string;
}
export interface FdSocketAddress {
  type: 'fd';
  str: string;
}
export type SocketAddress = InetSocketAddress | UnixSocketAddress | VsockSocketAddress | FdSocketAddress;

/** A bound or connected kernel address. */
export type KernelAddress =
  | { family: 'inet4'; ip: string; port: number }
  | { family: 'inet6'; ip: string; port: number }
  | { family: 'unix'; path: string; abstract: boolean; tight: boolean; unnamed?: boolean }
  | { family: 'vsock'; cid: number; port: number };

/** `info network`'s rendering of an address (socket_uri()). */
export function socketUri(addr: SocketAddress): string {
  switch (addr.type) {
    case 'inet':
      return `tcp:${addr.host}:${addr.port}`;
    case 'unix':
      return `unix:${addr.path}`;
    case 'fd':
      return `fd:${addr.str}`;
    case 'vsock':
      return `vsock:${addr.cid}:${addr.port}`;
  }
}

/**
 * What QEMU reports for a kernel address (socket_sockaddr_to_address):
 * numeric host, port as a string, and exactly one of ipv4/ipv6; a Linux
 * abstract name carries abstract and tight. Members are in the order QEMU's
 * output visitor adds them; the QMP writer puts them in QDict order.
 */
export function reportAddress(k: KernelAddress): SocketAddress {
  if (k.family === 'unix') {
    if (k.abstract) return { type: 'unix', path: k.path, abstract: true, tight: k.tight };
    return { type: 'unix', path: k.unnamed ? '' : k.path };
  }
  if (k.family === 'vsock') return { type: 'vsock', cid: String(k.cid), port: String(k.port) };
  const out: InetSocketAddress = { type: 'inet', host: k.ip, port: String(k.port) };
  if (k.family === 'inet4') out.ipv4 = true;
  else out.ipv6 = true;
  return out;
}

export function kernelAddressKey(k: KernelAddress): string {
  if (k.family === 'unix') return k.abstract ? `@${k.tight ? 't' : 'p'}:${k.path}` : `unix:${k.path}`;
  if (k.family === 'vsock') return `vsock:${k.cid}:${k.port}`;
  return `${k.family}:[${k.ip}]:${k.port}`;
}

export function describeKernelAddress(k: KernelAddress): string {
  if (k.family === 'unix') {
    if (k.unnamed) return 'unix:(unnamed)';
    return k.abstract ? `unix:@${k.path}${k.tight ? '' : ' (padded)'}` : `unix:${k.path}`;
  }
  if (k.family === 'vsock') return `vsock:${k.cid}:${k.port}`;
  return k.family === 'inet6' ? `[${k.ip}]:${k.port}` : `${k.ip}:${k.port}`;
}

// ---------------------------------------------------------------------------
// Names and ports

/** sizeof(struct sockaddr_un.sun_path) on Linux. */
export const SUN_PATH_MAX = 108;

const encoder = new TextEncoder();

export function byteLength(s: string): number {
  // Plain ASCII (the usual case) has one byte per character.
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  return ascii ? s.length : encoder.encode(s).length;
}

/** Path length rule of unix_listen_saddr()/unix_connect_saddr(). */
export function unixPathTooLong(path: string, abstract: boolean): boolean {
  const n = byteLength(path);
  return n > SUN_PATH_MAX || (abstract && n > SUN_PATH_MAX - 1);
}

/**
 * glibc's numeric service parsing (getaddrinfo): strtoul() of the whole
 * text (leading white space and a sign allowed, clamped to ULONG_MAX),
 * kept in an `int`; a value that is negative as an int is not a port
 * number and is looked up as a service name instead ("-1", "4294967295",
 * "2147483648" all fail). A port number is then truncated to 16 bits by
 * htons(). Returns null when glibc would look the text up in
 * /etc/services, which the simulated machine does not have.
 */
export function parsePort(text: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(text)!;
  const rest = text.slice(m[0].length);
  if (rest !== '') return null;
  // Without digits strtoul() converts nothing and points back at the start:
  // only the empty text counts as the number 0.
  if (m[2] === '') return text === '' ? 0 : null;
  let n = BigInt(m[2]!);
  const max = (1n << 64n) - 1n;
  if (n > max) n = max;
  if (m[1] === '-') n = (max + 1n - n) & max;
  if ((n & 0xffffffffn) >= 0x80000000n) return null;
  return Number(n & 0xffffn);
}

export interface ResolvedInet {
  family: 'inet4' | 'inet6';
  ip: string;
  port: number;
}

export type AiFamily = 'unspec' | 'inet4' | 'inet6';

/** getaddrinfo()'s answer: addresses, or the EAI_ code gai_strerror() words. */
export type Resolved = { ok: true; value: ResolvedInet[] } | { ok: false; gai: 'EAI_NONAME' | 'EAI_SERVICE' | 'EAI_ADDRFAMILY' };

/**
 * inet_ai_family_from_address(): which families getaddrinfo() may return;
 * null when both are disabled (QEMU refuses that).
 */
export function aiFamily(a: InetSocketAddress): AiFamily | null {
  const has4 = a.ipv4 !== undefined;
  const has6 = a.ipv6 !== undefined;
  if (has4 && has6 && !a.ipv4 && !a.ipv6) return null;
  if (has6 && a.ipv6 && has4 && a.ipv4) return !a.host ? 'inet6' : 'unspec';
  if ((has6 && a.ipv6) || (has4 && !a.ipv4)) return 'inet6';
  if ((has4 && a.ipv4) || (has6 && !a.ipv6)) return 'inet4';
  return 'unspec';
}

const LOCAL_NAMES = new Map<string, string[]>([
  ['localhost', ['127.0.0.1', '::1']],
  ['localhost.localdomain', ['127.0.0.1', '::1']],
  ['localhost4', ['127.0.0.1']],
  ['ip6-localhost', ['::1']],
  ['ip6-loopback', ['::1']],
]);

/**
 * getaddrinfo() on the simulated machine: numeric addresses, the names in
 * its /etc/hosts, nothing else (no DNS). `passive` with an empty host gives
 * the wildcard addresses. AI_V4MAPPED turns IPv4 answers into ::ffff:a.b.c.d
 * when only IPv6 is wanted.
 */
export function getaddrinfo(
  host: string,
  service: string,
  opts: { family: AiFamily; passive: boolean; numericHost: boolean; v4mapped: boolean },
): Resolved {
  const port = parsePort(service);
  if (port === null) return { ok: false, gai: 'EAI_SERVICE' };
  let ips: string[];
  if (host === '') {
    if (!opts.passive) return { ok: false, gai: 'EAI_NONAME' };
    ips = ['0.0.0.0', '::'];
  } else if (inetAtonExact(host) !== null) {
    ips = [formatIPv4(inetAtonExact(host)!)];
  } else if (canonicalIPv6(host) !== null) {
    ips = [canonicalIPv6(host)!];
  } else if (!opts.numericHost && LOCAL_NAMES.has(host.toLowerCase())) {
    ips = LOCAL_NAMES.get(host.toLowerCase())!;
  } else {
    return { ok: false, gai: 'EAI_NONAME' };
  }
  const out: ResolvedInet[] = [];
  for (const ip of ips) {
    const v4 = parseIPv4(ip) !== null;
    if (opts.family === 'inet4' && !v4) continue;
    if (opts.family === 'inet6' && v4) {
      if (opts.v4mapped && ips.every((x) => parseIPv4(x) !== null)) {
        out.push({ family: 'inet6', ip: `::ffff:${ip}`, port });
      }
      continue;
    }
    out.push({ family: v4 ? 'inet4' : 'inet6', ip, port });
  }
  if (out.length === 0) return { ok: false, gai: opts.family === 'unspec' ? 'EAI_NONAME' : 'EAI_ADDRFAMILY' };
  return { ok: true, value: out };
}

/** Addresses that reach this machine (it has only a loopback interface). */
export function isLocalIp(family: 'inet4' | 'inet6', ip: string): boolean {
  if (family === 'inet4') {
    const v = parseIPv4(ip);
    return v !== null && (Math.floor(v / 2 ** 24) === 127 || v === 0);
  }
  const g = parseIPv6(ip);
  if (!g) return false;
  const v4 = unmapIPv6(ip);
  if (v4 !== null) return isLocalIp('inet4', v4);
  return formatIPv6(g) === '::1' || formatIPv6(g) === '::';
}

/** The wildcard address of a family. */
export function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}
