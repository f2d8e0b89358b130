/**
 * QEMU's JSON output (qobject/json-writer.c, compact form): ", " and ": "
 * separators; every character outside printable ASCII as \uXXXX with
 * upper-case hex (surrogate pairs beyond the BMP), invalid ones as \uFFFD;
 * integers in decimal, other numbers as printf's %.17g (so 0.1 is written
 * 0.10000000000000001 and an overflowed number "inf", as QEMU does).
 */
import { isValidCodepoint } from './mod-utf8.ts';

export function qemuJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      return formatNumber(value);
    case 'string':
      return quote(value);
    default:
      break;
  }
  // Built by concatenation: every event and reply passes here.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i > 0 ? ', ' : ''}${qemuJson(value[i])}`;
    return `${out}]`;
  }
  if (typeof value !== 'object') return '{}';
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const k of Object.keys(record)) {
    out += `${first ? '' : ', '}${quote(k)}: ${qemuJson(record[k])}`;
    first = false;
  }
  return `${out}}`;
}

function formatNumber(v: number): string {
  if (Object.is(v, -0)) return '-0';
  if (Number.isSafeInteger(v)) return String(v);
  return percent17g(v);
}

/** printf("%.17g"): 17 significant digits, trailing zeros dropped. */
export function percent17g(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa = '', e = '0'] = v.toExponential(16).split('e');
  const exp = Number(e);
  const trim = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= 17) {
    return `${trim(mantissa)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return trim(v.toFixed(16 - exp));
}

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

const NAMED: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function quote(s: string): string {
  // The common case, printable ASCII only, in one go.
  if (/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const named = NAMED[ch];
    if (named !== undefined) {
      out += named;
      continue;
    }
    let cp = ch.codePointAt(0)!;
    if (!isValidCodepoint(cp)) cp = 0xfffd;
    if (cp > 0xffff) {
      const v = cp - 0x10000;
      out += `\\u${hex4(0xd800 + (v >> 10))}\\u${hex4(0xdc00 + (v & 0x3ff))}`;
    } else if (cp < 0x20 || cp >= 0x7f) {
      out += `\\u${hex4(cp)}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}
