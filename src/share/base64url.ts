/**
 * base64url without padding (RFC 4648 §5), written out rather than built on
 * btoa/atob: the decoder must say which character is wrong and must not skip
 * white space the way atob's forgiving decode does.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Six-bit value of each ASCII code, -1 for characters outside the alphabet. */
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

export function toBase64url(bytes: Uint8Array): string {
  const parts: string[] = [];
  let line = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    line += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
    // Short strings joined once keep long inputs linear.
    if (line.length >= 4096) {
      parts.push(line);
      line = '';
    }
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    line += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    line += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]!;
  }
  parts.push(line);
  return parts.join('');
}

export type Base64urlDecoded =
  | { ok: true; bytes: Uint8Array<ArrayBuffer> }
  /** `index` is where the bad character starts; `char` is the whole code point. */
  | { ok: false; reason: 'bad-character'; index: number; char: string }
  /** One character too many or too few: the text ends inside a byte. */
  | { ok: false; reason: 'ends-inside-a-byte' };

/**
 * Decodes base64url text. Leftover bits after the last whole byte are
 * ignored, so a text cut after any character still decodes to a prefix of
 * the bytes (the inflater then reports the cut).
 */
export function fromBase64url(text: string): Base64urlDecoded {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || VALUE[c]! < 0) {
      const cp = text.codePointAt(i)!;
      return { ok: false, reason: 'bad-character', index: i, char: String.fromCodePoint(cp) };
    }
  }
  if (text.length % 4 === 1) return { ok: false, reason: 'ends-inside-a-byte' };
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 4 <= text.length; i += 4) {
    const n =
      (VALUE[text.charCodeAt(i)]! << 18) |
      (VALUE[text.charCodeAt(i + 1)]! << 12) |
      (VALUE[text.charCodeAt(i + 2)]! << 6) |
      VALUE[text.charCodeAt(i + 3)]!;
    bytes[o++] = n >>> 16;
    bytes[o++] = (n >>> 8) & 255;
    bytes[o++] = n & 255;
  }
  const rest = text.length - i;
  if (rest >= 2) {
    const n =
      (VALUE[text.charCodeAt(i)]! << 18) |
      (VALUE[text.charCodeAt(i + 1)]! << 12) |
      (rest === 3 ? VALUE[text.charCodeAt(i + 2)]! << 6 : 0);
    bytes[o++] = n >>> 16;
    if (rest === 3) bytes[o] = (n >>> 8) & 255;
  }
  return { ok: true, bytes };
}
