/**
 * How a numeric IPv4 host is read (glibc's inet_aton_exact(), used by
 * getaddrinfo()), and which listener an IPv4-mapped connect reaches. The
 * table was checked with getaddrinfo(AI_NUMERICHOST) of glibc 2.36 on this
 * project's machine; QEMU 7.2, 10.0 and 11.1 connected a client netdev
 * for every accepted spelling.
 */
import { describe, expect, it } from 'vitest';
import { getaddrinfo } from '../../src/core/net/address.ts';
import { formatIPv4, inetAtonExact } from '../../src/core/net/ip.ts';
import { emptyNetwork, Network } from '../../src/core/net/network.ts';

const aton = (text: string) => {
  const v = inetAtonExact(text);
  return v === null ? null : formatIPv4(v);
};

describe('numeric IPv4 hosts', () => {
  it('accepts the short, decimal, octal and hexadecimal forms', () => {
    const table: [string, string][] = [
      ['127.1', '127.0.0.1'],
      ['2130706433', '127.0.0.1'],
      ['0x7f.0.0.1', '127.0.0.1'],
      ['0X7F.1', '127.0.0.1'],
      ['0177.0.0.1', '127.0.0.1'],
      ['127.000.000.001', '127.0.0.1'],
      ['1.2.65535', '1.2.255.255'],
      ['1.16777215', '1.255.255.255'],
      ['4294967295', '255.255.255.255'],
      ['0x1.0x2.0x3.0x4', '1.2.3.4'],
      ['00', '0.0.0.0'],
    ];
    for (const [text, ip] of table) expect(aton(text), text).toBe(ip);
  });

  it('refuses trailing white space, bad digits, parts too large for their place, and empty parts', () => {
    for (const text of ['127.0.0.1 ', ' 127.0.0.1', '0x', '08', '1.2.3.256', '1.2.65536', '1.16777216', '4294967296', '.1', '1.', '1..1', '1.2.3.4.5', '']) {
      expect(aton(text), JSON.stringify(text)).toBeNull();
    }
  });

  it('so getaddrinfo() resolves "127.1" to 127.0.0.1 and calls "127.0.0.1 " a name it does not know', () => {
    const opts = { family: 'unspec', passive: false, numericHost: false, v4mapped: false } as const;
    expect(getaddrinfo('127.1', '80', opts)).toEqual({ ok: true, value: [{ family: 'inet4', ip: '127.0.0.1', port: 80 }] });
    expect(getaddrinfo('127.0.0.1 ', '80', opts)).toEqual({ ok: false, gai: 'EAI_NONAME' });
  });
});

describe('IPv4-mapped connects', () => {
  it('never reach a v6-only listener on ::, but reach a dual-stack one', () => {
    const net = new Network(emptyNetwork([]), () => {});
    const only6 = net.listenInet({ kind: 'peer', name: 'p' }, 'inet6', '::', 5000, true, 16);
    expect(only6.ok).toBe(true);
    const target = { family: 'inet6', ip: '::ffff:127.0.0.1', port: 5000 } as const;
    expect(net.connect({ kind: 'peer', name: 'c' }, target)).toEqual({ ok: false, errno: 'ECONNREFUSED' });
    expect(net.connect({ kind: 'peer', name: 'c' }, { family: 'inet6', ip: '::1', port: 5000 }).ok).toBe(true);
    const dual = net.listenInet({ kind: 'peer', name: 'q' }, 'inet6', '::', 5001, false, 16);
    expect(dual.ok).toBe(true);
    expect(net.connect({ kind: 'peer', name: 'd' }, { ...target, port: 5001 }).ok).toBe(true);
  });
});
