/**
 * QEMU's "modified UTF-8" (util/unicode.c): UTF-8 where U+0000 may also be
 * written C0 80, surrogates and Unicode's 66 noncharacters are invalid, and
 * an invalid sequence is skipped by a known number of bytes.
 */

export function isValidCodepoint(cp: number): boolean {
  if (cp < 0 || cp > 0x10ffff) return false;
  if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return false;
  return !(cp >= 0xd800 && cp <= 0xdfff);
}

const MIN_CP = [0x80, 0x800, 0x10000, 0x200000, 0x4000000];

/**
 * mod_utf8_codepoint(): the code point starting at `at` (reading no further
 * than `limit`) and where the sequence ends; cp is -1 for an invalid one.
 */
export function modUtf8Codepoint(bytes: Uint8Array, at: number, limit = bytes.length): { cp: number; end: number } {
  if (at >= limit || bytes[at] === 0) return { cp: -1, end: at };
  let p = at;
  const lead = bytes[p++]!;
  if (lead < 0x80) return { cp: lead, end: p };
  if (lead >= 0xfe || (lead & 0x40) === 0) return { cp: -1, end: p };
  let len = 0;
  let mask = 0x80;
  for (; lead & mask; mask >>= 1) len++;
  let cp = lead & (mask - 1);
  for (let i = 1; i < len; i++) {
    const b = p < limit ? bytes[p]! : 0;
    if ((b & 0xc0) !== 0x80) return { cp: -1, end: p };
    p++;
    cp = cp * 64 + (b & 0x3f);
  }
  if (!isValidCodepoint(cp)) return { cp: -1, end: p };
  if (cp < MIN_CP[len - 2]! && !(cp === 0 && len === 2)) return { cp: -1, end: p };
  return { cp, end: p };
}

/** Bytes as QEMU's JSON writer reads them: each invalid sequence becomes U+FFFD. */
export function decodeModifiedUtf8(bytes: Uint8Array): string {
  const cps: number[] = [];
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; ) {
    const r = modUtf8Codepoint(bytes, i);
    cps.push(r.cp < 0 ? 0xfffd : r.cp);
    i = r.end > i ? r.end : i + 1;
    if (cps.length >= 4096) parts.push(String.fromCodePoint(...cps.splice(0)));
  }
  parts.push(String.fromCodePoint(...cps));
  return parts.join('');
}
