/**
 * A scenario's socket addresses in Node's terms: the path string node:net
 * takes for a unix address (abstract ones included), and inet hosts
 * resolved as getaddrinfo() would for the address's ipv4/ipv6 flags.
 */
import { isAbsolute, join } from 'node:path';
import { SUN_PATH_MAX } from '../core/net/address.ts';

/** Node's way of naming a Linux abstract socket: a leading NUL, padded when not tight. */
export function nodePath(a: { path: string; abstract?: boolean; tight?: boolean }): string {
  if (!a.abstract) return a.path;
  const name = `\0${a.path}`;
  return a.tight === false ? name.padEnd(SUN_PATH_MAX, '\0') : name;
}

/** nodePath(), a relative filesystem path taken from `cwd`. */
export function nodeUnixPath(a: { path: string; abstract?: boolean; tight?: boolean }, cwd: string): string {
  return a.abstract || isAbsolute(a.path) ? nodePath(a) : join(cwd, a.path);
}

/** getaddrinfo() through Node's resolver, loaded when an inet address first needs it (start-up time). */
export async function lookupAll(host: string, family: 0 | 4 | 6): Promise<{ address: string; family: number }[]> {
  const { lookup } = await import('node:dns/promises');
  return lookup(host, { all: true, family });
}

/** The address family getaddrinfo() is asked for, from the address's ipv4 and ipv6 flags (0: either). */
export function familyOf(a: { ipv4?: boolean; ipv6?: boolean }): 0 | 4 | 6 {
  if (a.ipv4 === true && a.ipv6 !== true) return 4;
  if (a.ipv6 === true && a.ipv4 !== true) return 6;
  if (a.ipv4 === false) return 6;
  if (a.ipv6 === false) return 4;
  return 0;
}
