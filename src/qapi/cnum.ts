// String-to-number conversions as QEMU's util/cutils.c does them with glibc,
// for option strings (keyval): qemu_strtoi64 / qemu_strtou64 with base 0,
// qemu_strtod_finite and qemu_strtosz. Each returns null where QEMU would
// fail (no digits, trailing characters, out of range).

const C_SPACE = /^[ \t\n\v\f\r]*/;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** Sign and magnitude of a whole C integer literal (base 0: 0x hex, leading 0 octal, else decimal). */
function parseMagnitude(str: string): { negative: boolean; magnitude: bigint } | null {
  let i = C_SPACE.exec(str)![0].length;
  let negative = false;
  if (str[i] === '+' || str[i] === '-') {
    negative = str[i] === '-';
    i++;
  }
  let base = 10;
  if (str[i] === '0' && (str[i + 1] === 'x' || str[i + 1] === 'X') && /[0-9a-fA-F]/.test(str[i + 2] ?? '')) {
    base = 16;
    i += 2;
  } else if (str[i] === '0') {
    base = 8;
  }
  const digits = (base === 16 ? /^[0-9a-fA-F]+/ : base === 8 ? /^[0-7]+/ : /^[0-9]+/).exec(str.slice(i));
  if (!digits) return null; // no conversion
  if (i + digits[0].length !== str.length) return null; // trailing characters
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : '';
  return { negative, magnitude: BigInt(prefix + digits[0]) };
}

/** qemu_strtoi64(str, NULL, 0, &v): a signed 64-bit integer, or null. */
export function strtoi64(str: string): bigint | null {
  const p = parseMagnitude(str);
  if (!p) return null;
  const v = p.negative ? -p.magnitude : p.magnitude;
  return v < INT64_MIN || v > INT64_MAX ? null : v;
}

/** qemu_strtou64(str, NULL, 0, &v): like strtoull, a leading '-' wraps modulo 2^64. */
export function strtou64(str: string): bigint | null {
  const p = parseMagnitude(str);
  if (!p || p.magnitude > UINT64_MAX) return null;
  return p.negative ? (UINT64_MAX + 1n - p.magnitude) & UINT64_MAX : p.magnitude;
}

const DBL_MIN = 2.2250738585072014e-308;

/** qemu_strtod_finite(str, NULL, &v): a finite double that consumes the whole string, or null. */
export function strtodFinite(str: string): number | null {
  const s = str.slice(C_SPACE.exec(str)![0].length);
  const dec = /^([+-]?)((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/.exec(s);
  let value: number;
  let nonzeroDigits: boolean;
  if (dec) {
    value = Number(dec[1]! + dec[2]!);
    nonzeroDigits = /[1-9]/.test(dec[2]!.split(/[eE]/)[0]!);
  } else {
    const hex = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/.exec(s);
    if (!hex) return null; // includes inf and nan, which are not finite
    const [whole = '', frac = ''] = hex[2]!.split('.');
    const mantissa = Number.parseInt(whole || '0', 16) + (frac ? Number.parseInt(frac, 16) / 16 ** frac.length : 0);
    value = (hex[1] === '-' ? -1 : 1) * mantissa * 2 ** Number(hex[3] ?? '0');
    nonzeroDigits = /[1-9a-fA-F]/.test(hex[2]!);
  }
  if (!Number.isFinite(value)) return null; // overflow
  if (nonzeroDigits && Math.abs(value) < DBL_MIN) return null; // underflow: glibc sets ERANGE
  return value;
}

const SIZE_SUFFIXES = 'BKMGTPE';

/**
 * qemu_strtosz(str, NULL, &v): a byte count with an optional suffix
 * B, K, M, G, T, P or E (powers of 1024, any case); a decimal fraction
 * needs a suffix other than B; hexadecimal takes no fraction or suffix.
 * Returns null where QEMU fails. Exponent forms such as 1e3 are refused.
 */
export function strtosz(str: string): bigint | null {
  const hex = /^[ \t\n\v\f\r]*0[xX]([0-9a-fA-F]+)$/.exec(str);
  if (hex) {
    const v = BigInt(`0x${hex[1]}`);
    return v > UINT64_MAX ? null : v;
  }
  const m = /^[ \t\n\v\f\r]*\+?(\d+)(?:\.(\d*))?([A-Za-z]?)$/.exec(str);
  if (!m) return null;
  const suffix = (m[3] || 'B').toUpperCase();
  const power = SIZE_SUFFIXES.indexOf(suffix);
  if (power < 0) return null;
  const mul = 1n << BigInt(10 * power);
  const frac = m[2] ?? '';
  const hasFraction = /[1-9]/.test(frac);
  if (hasFraction && mul === 1n) return null;
  const scale = 10n ** BigInt(frac.length);
  const scaled = BigInt(m[1]!) * scale + (frac ? BigInt(frac) : 0n);
  // Round half up, as QEMU does for the fractional part.
  const v = (scaled * mul * 2n + scale) / (2n * scale);
  return v > UINT64_MAX ? null : v;
}
