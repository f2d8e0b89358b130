import { describe, expect, it } from 'vitest';
import { loadSchema, parseKeyval, releaseCond, visitCommandArguments, visitInput, type Schema } from '../../src/qapi/index.ts';
import { projectSchema } from './helpers.ts';

const linux = { CONFIG_LINUX: true };
const at = (release: string, build: Record<string, boolean> = linux) => ({ cond: releaseCond(release, build) });

function netdevAdd(release: string, args: unknown, extra: Partial<Parameters<typeof visitCommandArguments>[3]> = {}) {
  return visitCommandArguments(projectSchema(), 'netdev_add', args, { ...at(release), ...extra });
}

const unixAddr = { type: 'unix', path: '/tmp/sim/x.sock' };

/** A schema written inline for the integer cases the project schema lacks. */
function inlineSchema(text: string): Schema {
  const r = loadSchema('t.json', (p) => {
    if (p !== 't.json') throw new Error('no such file');
    return text;
  });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.schema;
}

const numbers = inlineSchema(`
{ 'struct': 'Inner', 'data': { 'small': 'int8', 'word': 'int32', 'big': 'uint64', 'byte': 'uint8', '*size': 'size', '*ratio': 'number' } }
{ 'struct': 'Outer', 'data': { 'inner': 'Inner', '*list': [ 'uint16' ], '*nothing': 'null', '*blob': 'any' } }
`);
const goodInner = { small: 1, word: 2, big: 3, byte: 4 };

describe('missing members', () => {
  it('names a missing top-level member', () => {
    expect(netdevAdd('10.0', { id: 'e1', type: 'stream' })).toEqual({ ok: false, error: "Parameter 'addr' is missing" });
  });

  it('names a missing nested member with its dotted path', () => {
    expect(netdevAdd('10.0', { id: 'e2', type: 'stream', addr: { type: 'unix' } })).toEqual({ ok: false, error: "Parameter 'addr.path' is missing" });
    expect(netdevAdd('10.0', { id: 'e3', type: 'stream', addr: { type: 'inet', host: '127.0.0.1' } })).toEqual({
      ok: false,
      error: "Parameter 'addr.port' is missing",
    });
  });

  it('reports the first problem in schema order: base members before branch members', () => {
    expect(netdevAdd('10.0', { type: 'stream', addr: { type: 'unix' } })).toEqual({ ok: false, error: "Parameter 'id' is missing" });
  });
});

describe('wrong JSON types', () => {
  it('names the expected type with the full member path', () => {
    expect(netdevAdd('7.2', { id: 'e4', type: 'stream', addr: { type: 'inet', host: '127.0.0.1', port: 5000 } })).toEqual({
      ok: false,
      error: "Invalid parameter type for 'addr.port', expected: string",
    });
    expect(netdevAdd('7.2', { id: 'e5', type: 'stream', server: 'yes', addr: unixAddr })).toEqual({
      ok: false,
      error: "Invalid parameter type for 'server', expected: boolean",
    });
    expect(netdevAdd('10.0', { id: 'e5', type: 'stream', addr: unixAddr, 'reconnect-ms': '5' })).toEqual({
      ok: false,
      error: "Invalid parameter type for 'reconnect-ms', expected: integer",
    });
  });

  it('treats null as a present value of the wrong type', () => {
    expect(netdevAdd('10.0', { id: 'n', type: 'stream', server: null, addr: unixAddr })).toEqual({
      ok: false,
      error: "Invalid parameter type for 'server', expected: boolean",
    });
  });

  it('expects an object where a struct or union goes', () => {
    expect(netdevAdd('10.0', { id: 'n', type: 'stream', addr: 'unix:/tmp/x' })).toEqual({
      ok: false,
      error: "Invalid parameter type for 'addr', expected: object",
    });
  });

  it('refuses a fractional number for an integer', () => {
    const r = visitCommandArguments(projectSchema(), 'human-monitor-command', { 'command-line': 'info network', 'cpu-index': 1.5 }, at('10.0'));
    expect(r).toEqual({ ok: false, error: "Invalid parameter type for 'cpu-index', expected: integer" });
  });

  it('refuses an integer above int64 for int, as QEMU stores it as uint64', () => {
    const r = visitCommandArguments(projectSchema(), 'human-monitor-command', { 'command-line': 'x', 'cpu-index': 2n ** 63n }, at('10.0'));
    expect(r).toEqual({ ok: false, error: "Invalid parameter type for 'cpu-index', expected: integer" });
  });

  it('names list elements with an index and enum errors in lists with null', () => {
    const caps = (enable: unknown) => visitCommandArguments(projectSchema(), 'qmp_capabilities', { enable }, at('10.0'));
    expect(caps(['oob'])).toEqual({ ok: true, value: { enable: ['oob'] } });
    expect(caps(['foo'])).toEqual({ ok: false, error: "Parameter 'null' does not accept value 'foo'" });
    expect(caps(['oob', 1])).toEqual({ ok: false, error: "Invalid parameter type for 'enable[1]', expected: string" });
    expect(caps('oob')).toEqual({ ok: false, error: "Invalid parameter type for 'enable', expected: array" });
  });
});

describe('enum values', () => {
  it('names the member alone, not its path', () => {
    expect(netdevAdd('7.2', { id: 'e7', type: 'stream', addr: { type: 'bogus', path: '/tmp/sim/x.sock' } })).toEqual({
      ok: false,
      error: "Parameter 'type' does not accept value 'bogus'",
    });
    expect(netdevAdd('7.2', { id: 'e9', type: 'streamx', addr: unixAddr })).toEqual({
      ok: false,
      error: "Parameter 'type' does not accept value 'streamx'",
    });
  });

  it('accepts a value only where its condition holds', () => {
    const afXdp = { id: 'x', type: 'af-xdp' };
    expect(netdevAdd('8.1', afXdp, { cond: releaseCond('8.1', { CONFIG_AF_XDP: true }) })).toEqual({
      ok: false,
      error: "Parameter 'type' does not accept value 'af-xdp'",
    });
    expect(netdevAdd('8.2', afXdp, { cond: releaseCond('8.2', {}) })).toEqual({ ok: false, error: "Parameter 'type' does not accept value 'af-xdp'" });
    expect(netdevAdd('8.2', afXdp, { cond: releaseCond('8.2', { CONFIG_AF_XDP: true }) })).toEqual({ ok: true, value: afXdp });
  });
});

describe('unexpected members', () => {
  it('reports a member the schema does not have', () => {
    expect(netdevAdd('7.2', { id: 'e6', type: 'stream', foo: 1, addr: unixAddr })).toEqual({ ok: false, error: "Parameter 'foo' is unexpected" });
  });

  it('finishes a nested object, its own leftovers included, where its member is visited', () => {
    const args = { id: 'n', type: 'stream', server: 'yes', addr: { type: 'unix', path: '/p', bogus: 1 } };
    expect(netdevAdd('10.0', args)).toEqual({ ok: false, error: "Parameter 'addr.bogus' is unexpected" });
  });

  it('reports reconnect-ms first when 7.2 gets both reconnect members (as recorded)', () => {
    const args = { id: 'e1', type: 'stream', server: false, addr: unixAddr, reconnect: 1, 'reconnect-ms': 1000 };
    expect(netdevAdd('7.2', args)).toEqual({ ok: false, error: "Parameter 'reconnect-ms' is unexpected" });
  });

  it('follows the releases of reconnect and reconnect-ms', () => {
    const withReconnect = { id: 'c', type: 'stream', addr: unixAddr, reconnect: 1 };
    const withMs = { id: 'c', type: 'stream', addr: unixAddr, 'reconnect-ms': 1 };
    expect(netdevAdd('7.2', withReconnect)).toEqual({ ok: false, error: "Parameter 'reconnect' is unexpected" });
    expect(netdevAdd('8.0', withReconnect).ok).toBe(true);
    expect(netdevAdd('9.1', withMs)).toEqual({ ok: false, error: "Parameter 'reconnect-ms' is unexpected" });
    expect(netdevAdd('9.2', withMs).ok).toBe(true);
    expect(netdevAdd('10.1', withReconnect).ok).toBe(true);
    expect(netdevAdd('10.2', withReconnect)).toEqual({ ok: false, error: "Parameter 'reconnect' is unexpected" });
    expect(netdevAdd('11.1', { ...withReconnect, 'reconnect-ms': 1000 })).toEqual({ ok: false, error: "Parameter 'reconnect' is unexpected" });
  });

  it('drops Linux-only members from builds without CONFIG_LINUX', () => {
    const args = { id: 'a', type: 'stream', addr: { type: 'unix', path: 'abs', abstract: true } };
    expect(netdevAdd('10.0', args).ok).toBe(true);
    expect(netdevAdd('10.0', args, { cond: releaseCond('10.0', {}) })).toEqual({ ok: false, error: "Parameter 'addr.abstract' is unexpected" });
  });

  it('lets a command without data take only an empty object', () => {
    expect(visitCommandArguments(projectSchema(), 'quit', undefined, at('10.0'))).toEqual({ ok: true, value: {} });
    expect(visitCommandArguments(projectSchema(), 'quit', { now: true }, at('10.0'))).toEqual({ ok: false, error: "Parameter 'now' is unexpected" });
  });
});

describe('integer ranges', () => {
  it('checks uint16 after reading a uint64, naming the member alone', () => {
    const inet = (to: unknown) => netdevAdd('10.0', { id: 'i', type: 'stream', addr: { type: 'inet', host: 'h', port: '1', to } });
    expect(inet(65535).ok).toBe(true);
    expect(inet(65536)).toEqual({ ok: false, error: "Parameter 'to' expects uint16_t" });
    expect(inet(-1)).toEqual({ ok: false, error: "Parameter 'to' expects uint16_t" });
    expect(inet('80')).toEqual({ ok: false, error: "Parameter 'addr.to' expects uint64" });
    expect(inet(1.5)).toEqual({ ok: false, error: "Parameter 'addr.to' expects uint64" });
  });

  it('applies per-release type overrides: reconnect is uint32 in 8.0 to 9.1', () => {
    const overrides = { typeOverrides: { 'NetdevStreamOptions.reconnect': 'uint32' } };
    const client = (reconnect: unknown) => netdevAdd('8.0', { id: 'c', type: 'stream', addr: unixAddr, reconnect }, overrides);
    expect(client(5)).toEqual({ ok: true, value: { id: 'c', type: 'stream', addr: unixAddr, reconnect: 5 } });
    expect(client(-1)).toEqual({ ok: false, error: "Parameter 'reconnect' expects uint32_t" });
    expect(client(4294967296)).toEqual({ ok: false, error: "Parameter 'reconnect' expects uint32_t" });
    expect(client('5')).toEqual({ ok: false, error: "Parameter 'reconnect' expects uint64" });
    // Without the override (9.2 and later) -1 is a valid int, as 10.0 showed.
    expect(netdevAdd('10.0', { id: 'c', type: 'stream', addr: unixAddr, reconnect: -1 }).ok).toBe(true);
  });

  it('names the bare member for signed range errors and the full path for type errors', () => {
    const outer = (inner: unknown) => visitInput(numbers, 'Outer', { inner }, at('10.0'));
    expect(outer({ ...goodInner, small: 128 })).toEqual({ ok: false, error: "Parameter 'small' expects int8_t" });
    expect(outer({ ...goodInner, small: -129 })).toEqual({ ok: false, error: "Parameter 'small' expects int8_t" });
    expect(outer({ ...goodInner, word: 2 ** 31 })).toEqual({ ok: false, error: "Parameter 'word' expects int32_t" });
    expect(outer({ ...goodInner, word: '1' })).toEqual({ ok: false, error: "Invalid parameter type for 'inner.word', expected: integer" });
    expect(outer({ ...goodInner, byte: 256 })).toEqual({ ok: false, error: "Parameter 'byte' expects uint8_t" });
  });

  it('accepts negative uint64 values, wrapped modulo 2^64', () => {
    const r = visitInput(numbers, 'Inner', { ...goodInner, big: -1 }, at('10.0'));
    expect(r).toEqual({ ok: true, value: { ...goodInner, big: 2n ** 64n - 1n } });
    expect(visitInput(numbers, 'Inner', { ...goodInner, big: 2n ** 64n - 1n }, at('10.0')).ok).toBe(true);
    expect(visitInput(numbers, 'Inner', { ...goodInner, big: 2n ** 64n }, at('10.0'))).toEqual({ ok: false, error: "Parameter 'big' expects uint64" });
  });

  it('names list elements "null" in range errors', () => {
    expect(visitInput(numbers, 'Outer', { inner: goodInner, list: [1, 70000] }, at('10.0'))).toEqual({ ok: false, error: "Parameter 'null' expects uint16_t" });
  });

  it('takes any JSON number for number, only null for null, anything for any', () => {
    const r = visitInput(numbers, 'Outer', { inner: { ...goodInner, ratio: 2 }, nothing: null, blob: { a: [1] } }, at('10.0'));
    expect(r).toEqual({ ok: true, value: { inner: { ...goodInner, ratio: 2 }, nothing: null, blob: { a: [1] } } });
    expect(visitInput(numbers, 'Outer', { inner: goodInner, nothing: 0 }, at('10.0'))).toEqual({
      ok: false,
      error: "Invalid parameter type for 'nothing', expected: null",
    });
  });
});

describe('the visited value', () => {
  it('keeps only known members, leaves absent optional members absent and fills in no defaults', () => {
    const r = netdevAdd('10.0', { id: 'st0', type: 'stream', addr: { type: 'unix', path: '/tmp/p.sock' } });
    expect(r).toEqual({ ok: true, value: { id: 'st0', type: 'stream', addr: { type: 'unix', path: '/tmp/p.sock' } } });
    expect(r.ok && Object.keys(r.value as object)).toEqual(['id', 'type', 'addr']);
  });

  it('leaves the identifier check to the backend: "1bad" passes the schema', () => {
    expect(netdevAdd('10.0', { id: '1bad', type: 'stream', addr: unixAddr }).ok).toBe(true);
  });

  it('visits a bare type name, arrays included', () => {
    expect(visitInput(projectSchema(), '[str]', ['a', 'b'], at('10.0'))).toEqual({ ok: true, value: ['a', 'b'] });
    expect(visitInput(projectSchema(), 'SocketAddressType', 'vsock', at('10.0'))).toEqual({ ok: true, value: 'vsock' });
  });
});

describe('keyval (command-line) input', () => {
  const kv = (release: string, optarg: string, build: Record<string, boolean> = linux) => {
    const parsed = parseKeyval(optarg, 'type');
    if (!parsed.ok) return parsed;
    return visitInput(projectSchema(), 'Netdev', parsed.value, { cond: releaseCond(release, build), keyval: true });
  };
  const base = 'stream,id=n0,addr.type=unix,addr.path=/tmp/n0.sock';

  it('turns option strings into typed values', () => {
    expect(kv('10.0', `${base},server=on,reconnect-ms=0x10`)).toEqual({
      ok: true,
      value: { type: 'stream', id: 'n0', addr: { type: 'unix', path: '/tmp/n0.sock' }, server: true, 'reconnect-ms': 16 },
    });
    expect(kv('10.0', `${base},server=off,reconnect-ms=010`)).toMatchObject({ ok: true, value: { server: false, 'reconnect-ms': 8 } });
  });

  it("accepts only 'on' and 'off' for booleans", () => {
    expect(kv('10.0', `${base},server=yes`)).toEqual({ ok: false, error: "Parameter 'server' expects 'on' or 'off'" });
  });

  it('parses integers like strtoll with base 0 and refuses trailing characters', () => {
    expect(kv('10.0', `${base},reconnect-ms=12abc`)).toEqual({ ok: false, error: "Parameter 'reconnect-ms' expects integer" });
    expect(kv('10.0', `${base},reconnect-ms=08`)).toEqual({ ok: false, error: "Parameter 'reconnect-ms' expects integer" });
    expect(kv('10.0', `${base},reconnect-ms=`)).toEqual({ ok: false, error: "Parameter 'reconnect-ms' expects integer" });
    expect(kv('10.0', `${base},reconnect-ms=-5`)).toMatchObject({ ok: true, value: { 'reconnect-ms': -5 } });
  });

  it('wraps a negative unsigned option modulo 2^64 before the range check', () => {
    const inet = 'stream,id=n0,addr.type=inet,addr.host=h,addr.port=1';
    expect(kv('10.0', `${inet},addr.to=-1`)).toEqual({ ok: false, error: "Parameter 'to' expects uint16_t" });
    expect(kv('10.0', `${inet},addr.to=0x50`)).toMatchObject({ ok: true, value: { addr: { to: 80 } } });
    expect(kv('10.0', `${inet},addr.to=eighty`)).toEqual({ ok: false, error: "Parameter 'addr.to' expects integer" });
  });

  it('refuses a nested object where a scalar is expected, and a scalar where an object is', () => {
    expect(kv('10.0', `${base},server.x=on`)).toEqual({ ok: false, error: "Parameters 'server.*' are unexpected" });
    expect(kv('10.0', `${base},addr.path.x=1`.replace('addr.path=/tmp/n0.sock,', ''))).toEqual({ ok: false, error: "Parameters 'addr.path.*' are unexpected" });
    expect(kv('10.0', 'stream,id=n0,addr=/tmp/x')).toEqual({ ok: false, error: "Invalid parameter type for 'addr', expected: object" });
  });

  it('reports missing and unexpected members as for QMP', () => {
    expect(kv('10.0', 'stream,id=n0,addr.type=unix')).toEqual({ ok: false, error: "Parameter 'addr.path' is missing" });
    expect(kv('7.2', `${base},server=on,reconnect=1`)).toEqual({ ok: false, error: "Parameter 'reconnect' is unexpected" });
  });
});
