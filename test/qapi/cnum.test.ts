import { describe, expect, it } from 'vitest';
import { strtodFinite, strtoi64, strtosz, strtou64 } from '../../src/qapi/cnum.ts';

describe('option numbers parsed as QEMU parses them', () => {
  it('reads integers in base 0: decimal, 0x hex and leading-0 octal', () => {
    expect(strtoi64('42')).toBe(42n);
    expect(strtoi64('0x2a')).toBe(42n);
    expect(strtoi64('052')).toBe(42n);
    expect(strtoi64(' -7')).toBe(-7n);
    expect(strtoi64('9223372036854775807')).toBe(2n ** 63n - 1n);
  });

  it('refuses empty strings, trailing characters and overflow', () => {
    for (const s of ['', '-', '3.14', '08', '0x', '12abc', '9223372036854775808']) expect(strtoi64(s)).toBeNull();
  });

  it('wraps negative unsigned values like strtoull and refuses values beyond 64 bits', () => {
    expect(strtou64('18446744073709551615')).toBe(2n ** 64n - 1n);
    expect(strtou64('-1')).toBe(2n ** 64n - 1n);
    expect(strtou64('18446744073709551616')).toBeNull();
    expect(strtou64('-18446744073709551616')).toBeNull();
  });

  it('reads finite doubles only', () => {
    expect(strtodFinite('1.5')).toBe(1.5);
    expect(strtodFinite('-2e3')).toBe(-2000);
    expect(strtodFinite('0x1.8p1')).toBe(3);
    for (const s of ['inf', 'nan', '1e999', '1e', 'x', '1e-400']) expect(strtodFinite(s)).toBeNull();
  });

  it('reads sizes with binary suffixes and insists on a suffix for fractions', () => {
    expect(strtosz('0')).toBe(0n);
    expect(strtosz('9007199254740993')).toBe(9007199254740993n);
    expect(strtosz('1k')).toBe(1024n);
    expect(strtosz('1.5M')).toBe(1572864n);
    expect(strtosz('0x10')).toBe(16n);
    for (const s of ['1.5', '1.5B', '-1', '1x', '16E', '0x10k']) expect(strtosz(s)).toBeNull();
  });
});
