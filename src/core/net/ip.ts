/** Numeric IPv4/IPv6 parsing and the canonical text getnameinfo() prints. */

/** Parses dotted-quad IPv4 ("127.0.0.1"); returns the 32-bit value or null. */
export function parseIPv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

/**
 * glibc's inet_aton_exact(), which getaddrinfo() uses for a numeric IPv4
 * host: one to four parts separated by dots, each decimal, octal (leading
 * 0) or hexadecimal (0x), the last part filling the remaining bytes
 * ("127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1" are all 127.0.0.1);
 * nothing may follow, not even white space. Returns the 32-bit value or null.
 */
export function inetAtonExact(text: string): number | null {
  const parts = text.split('.');
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const p of parts) {
    const m = /^(?:0[xX]([0-9a-fA-F]*)|(0[0-7]*)|([1-9]\d*))$/.exec(p);
    // Each part starts with a digit; "0x" alone converts only its "0" and leaves "x".
    if (!m || m[1] === '') return null;
    const v = m[1] !== undefined ? parseInt(m[1], 16) : m[2] !== undefined ? parseInt(m[2], 8) : Number(m[3]);
    if (!Number.isFinite(v) || v > 0xffffffff) return null;
    values.push(v);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 0xff)) return null;
  if (last >= 2 ** (8 * (4 - values.length))) return null;
  return values.reduce((acc, v, i) => acc + v * 2 ** (8 * (3 - i)), 0) + last;
}

export function formatIPv4(value: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(value / 2 ** s) % 256).join('.');
}

/** Parses an IPv6 address (with optional embedded IPv4 tail) into 8 groups. */
export function parseIPv6(text: string): number[] | null {
  if (text.length === 0 || text.length > 45) return null;
  let head = text;
  let v4Tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 === null) return null;
    v4Tail = [Math.floor(v4 / 65536), v4 % 65536];
    head = text.slice(0, lastColon + 1);
    // "::ffff:1.2.3.4" keeps its "::"; "64:ff9b::1:1.2.3.4" drops the lone ':'.
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const wanted = 8 - v4Tail.length;
  const doubleAt = head.indexOf('::');
  if (doubleAt !== head.lastIndexOf('::')) return null;
  const parseGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (doubleAt >= 0) {
    const left = parseGroups(head.slice(0, doubleAt));
    const right = parseGroups(head.slice(doubleAt + 2));
    if (!left || !right || left.length + right.length > wanted - 1) return null;
    groups = [...left, ...new Array<number>(wanted - left.length - right.length).fill(0), ...right];
  } else {
    const all = parseGroups(head);
    if (!all || all.length !== wanted) return null;
    groups = all;
  }
  return [...groups, ...v4Tail];
}

/** RFC 5952 text, as glibc's inet_ntop prints it (IPv4-mapped keeps a dotted tail). */
export function formatIPv6(groups: readonly number[]): string {
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${formatIPv4(groups[6]! * 65536 + groups[7]!)}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return `${left}::${right}`;
}

export function canonicalIPv6(text: string): string | null {
  const g = parseIPv6(text);
  return g ? formatIPv6(g) : null;
}

/** The IPv4-mapped IPv6 form of an IPv4 address, e.g. ::ffff:127.0.0.1. */
export function mappedIPv6(v4: string): string {
  return `::ffff:${v4}`;
}

/** The IPv4 inside an IPv4-mapped IPv6 address, or null. */
export function unmapIPv6(v6: string): string | null {
  const g = parseIPv6(v6);
  if (!g || !g.slice(0, 5).every((x) => x === 0) || g[5] !== 0xffff) return null;
  return formatIPv4(g[6]! * 65536 + g[7]!);
}
