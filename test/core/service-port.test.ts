/**
 * getaddrinfo()'s reading of a numeric service (src/core/net/address.ts),
 * as glibc does it; the expectations were checked against glibc 2.36 on
 * this project's machine and agree with QEMU 10.0 and 11.1's
 * `info network` texts (a port "-1" fails to resolve).
 */
import { describe, expect, it } from 'vitest';
import { getaddrinfo, parsePort } from '../../src/core/net/address.ts';

describe('numeric services', () => {
  it('reads decimal numbers with leading white space or a plus sign, truncated to 16 bits', () => {
    expect(parsePort('80')).toBe(80);
    expect(parsePort(' 80')).toBe(80);
    expect(parsePort('\t7')).toBe(7);
    expect(parsePort('+80')).toBe(80);
    expect(parsePort('70000')).toBe(4464);
    expect(parsePort('2147483647')).toBe(65535);
    expect(parsePort('4294967296')).toBe(0);
    expect(parsePort('-0')).toBe(0);
  });

  it('takes the empty text as port 0 but white space or a lone sign as a name', () => {
    expect(parsePort('')).toBe(0);
    expect(parsePort(' ')).toBeNull();
    expect(parsePort('+')).toBeNull();
    expect(parsePort('-')).toBeNull();
  });

  it('looks up as a name any number that is negative as a C int: negative numbers, 2^31 and up, overflow', () => {
    for (const text of ['-1', '-5', '-65535', '2147483648', '4294967295', '18446744073709551615', '18446744073709551616']) {
      expect(parsePort(text), text).toBeNull();
    }
  });

  it('looks up as a name anything with trailing characters', () => {
    for (const text of ['80 ', '5\n', '0x50', 'http', 'nosuchservice']) expect(parsePort(text), text).toBeNull();
  });

  it('so getaddrinfo() fails with EAI_SERVICE for such a port', () => {
    const opts = { family: 'unspec', passive: false, numericHost: false, v4mapped: false } as const;
    expect(getaddrinfo('127.0.0.1', '-1', opts)).toEqual({ ok: false, gai: 'EAI_SERVICE' });
    expect(getaddrinfo('127.0.0.1', '', opts)).toEqual({ ok: true, value: [{ family: 'inet4', ip: '127.0.0.1', port: 0 }] });
  });
});
