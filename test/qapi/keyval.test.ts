// Cases from QEMU's tests/unit/test-keyval.c (behaviour; messages from util/keyval.c).

import { describe, expect, it } from 'vitest';
import { parseKeyval, toDottedOptions } from '../../src/qapi/index.ts';

const ok = (optarg: string, implied: string | null = null) => {
  const r = parseKeyval(optarg, implied);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const error = (optarg: string, implied: string | null = null) => {
  const r = parseKeyval(optarg, implied);
  return r.ok ? null : r.error;
};

describe('parseKeyval', () => {
  it('reads the -netdev form with the implied type key', () => {
    expect(ok('stream,id=n0,server=on,addr.type=unix,addr.path=/tmp/n0.sock', 'type')).toEqual({
      type: 'stream',
      id: 'n0',
      server: 'on',
      addr: { type: 'unix', path: '/tmp/n0.sock' },
    });
  });

  it('keeps the order in which keys first appear', () => {
    expect(Object.keys(ok('b=1,a.x=2,c=3,b=4'))).toEqual(['b', 'a', 'c']);
  });

  it('lets the last of repeated keys win and undoubles commas', () => {
    expect(ok('a=1,b=2,,x,a=3')).toEqual({ a: '3', b: '2,x' });
    expect(ok('x=,,id=bar')).toEqual({ x: ',id=bar' });
    expect(ok('x=y,')).toEqual({ x: 'y' });
  });

  it('refuses empty and invalid keys', () => {
    expect(error('=val')).toBe("Invalid parameter ''");
    expect(error(',')).toBe("Invalid parameter ''");
    expect(error('.')).toBe("Invalid parameter '.'");
    expect(error('key.')).toBe("Invalid parameter 'key.'");
    expect(error('7up=val')).toBe("Invalid parameter '7up'");
    expect(error('key[0]=val')).toBe("Invalid parameter 'key[0]'");
    expect(error('an,noaus')).toBe("Expected '=' after parameter 'an'");
  });

  it('limits key fragments to 127 characters', () => {
    const long = `${'a'.repeat(127)}z`;
    expect(error(`${long}=v`)).toBe(`Parameter '${long}' is too long`);
    expect(error(`k.${long}=v`)).toBe(`Parameter fragment '${long}' is too long`);
    expect(ok(`k.${long.slice(1)}=v`)).toEqual({ k: { [long.slice(1)]: 'v' } });
  });

  it('refuses a key used both as a value and as an object', () => {
    expect(error('a.b=1,a=2')).toBe("Parameters 'a.*' used inconsistently");
    expect(error('a=1,a.b=2')).toBe("Parameters 'a.*' used inconsistently");
    expect(error('a.b=1,a.b.c=2')).toBe("Parameters 'a.b.*' used inconsistently");
  });

  it('handles implied keys as QEMU does', () => {
    expect(ok('an,aus=off,noaus=', 'implied')).toEqual({ implied: 'an', aus: 'off', noaus: '' });
    expect(ok('val', 'eins.zwei')).toEqual({ eins: { zwei: 'val' } });
    expect(error(',', 'implied')).toBe("Invalid parameter ''");
    expect(error(',,,a=1', 'implied')).toBe("Invalid parameter ''");
    expect(error('val,,ue', 'implied')).toBe("Invalid parameter ''");
    expect(error('=val', 'implied')).toBe("Invalid parameter ''");
  });

  it('treats a bare help or ? as a help request', () => {
    expect(error('help')).toBe('Help is not available for this option');
    expect(error('help', 'implied')).toBe('Help is not available for this option');
    expect(parseKeyval('number=42,help,foo=bar', null, { allowHelp: true })).toEqual({ ok: true, value: { number: '42', foo: 'bar' }, help: true });
    expect(parseKeyval('?', null, { allowHelp: true })).toEqual({ ok: true, value: {}, help: true });
    expect(ok('help=on')).toEqual({ help: 'on' });
    expect(error('help.abc')).toBe("Expected '=' after parameter 'help.abc'");
    expect(ok('help.abc', 'implied')).toEqual({ implied: 'help.abc' });
  });

  it('makes arrays of numbered keys, in any order, the last duplicate index winning in QDict order', () => {
    expect(ok('list.0=null,list.2=zwei,list.1=eins')).toEqual({ list: ['null', 'eins', 'zwei'] });
    expect(ok('list.1=goner,list.0=null,list.01=eins,list.2=zwei')).toEqual({ list: ['null', 'eins', 'zwei'] });
    expect(ok('a.list.1=eins,a.list.00=null,a.list.2=zwei')).toEqual({ a: { list: ['null', 'eins', 'zwei'] } });
  });

  it('refuses gaps in arrays and keys that are both indexes and names', () => {
    expect(error('0=1')).toBe("Invalid parameter '0'");
    expect(error('list.1=lonely')).toBe("Parameter 'list.0' missing");
    expect(error('list.0=null,list.2=eins,list.02=zwei')).toBe("Parameter 'list.1' missing");
    expect(error('a.b.c=1,a.b.0=2')).toBe("Parameters 'a.b.*' used inconsistently");
    expect(error('a.0.c=1,a.b.c=2')).toBe("Parameters 'a.*' used inconsistently");
  });
});

describe('toDottedOptions', () => {
  it('writes type first, then id, then the rest in order, as QEMU echoes -netdev', () => {
    const netdev = { id: 'n0', type: 'stream', server: true, addr: { type: 'unix', path: '/tmp/sim/n0.sock' }, reconnect: 1 };
    expect(toDottedOptions(netdev)).toBe('stream,id=n0,server=on,addr.type=unix,addr.path=/tmp/sim/n0.sock,reconnect=1');
  });

  it('doubles commas and writes false as off, so the string parses back', () => {
    const netdev = { type: 'stream', id: 'a', server: false, addr: { type: 'unix', path: '/tmp/a,b' } };
    const text = toDottedOptions(netdev);
    expect(text).toBe('stream,id=a,server=off,addr.type=unix,addr.path=/tmp/a,,b');
    expect(parseKeyval(text, 'type')).toEqual({
      ok: true,
      value: { type: 'stream', id: 'a', server: 'off', addr: { type: 'unix', path: '/tmp/a,b' } },
      help: false,
    });
  });
});
