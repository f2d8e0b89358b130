/**
 * Every way a link can be wrong gets its own plain sentence, and decoding a
 * bad link never throws.
 */
import { deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkScenario, type Scenario } from '../../src/core/scenario/schema.ts';
import { classifyInflateError, inflateRaw } from '../../src/share/deflate.ts';
import {
  decodeLink,
  encodeLink,
  LinkEncodeError,
  MAX_NESTING,
  MAX_PAYLOAD_CHARS,
  MAX_RECORD_BYTES,
  type DecodedLink,
} from '../../src/share/link.ts';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const packed = (text: string | Uint8Array) => `#s=v1.${b64(deflateRawSync(typeof text === 'string' ? Buffer.from(text, 'utf8') : text))}`;
const recordLink = (record: unknown) => packed(JSON.stringify(record));

const scenario: Scenario = {
  scenario: 1,
  qemu: '10.0',
  netdevs: [{ id: 'n0', type: 'stream', server: true, addr: { type: 'unix', path: '/tmp/sim/n0.sock' } }],
  steps: [{ peer: 'a', connect: { type: 'unix', path: '/tmp/sim/n0.sock' } }, { wait: 200 }, { peer: 'a', close: true }],
};

function rejected(r: DecodedLink) {
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r).slice(0, 200)}`);
  return r;
}

describe('links that hold nothing or something else', () => {
  it('says an address without "#s=" holds no shared scenario', async () => {
    for (const input of ['', '   ', '#', 'https://h.example/simulator/', '/simulator/#s=', '#intro']) {
      expect(rejected(await decodeLink(input)), input).toEqual({
        ok: false,
        code: 'empty',
        error: 'This address holds no shared scenario: there is nothing after "#s=".',
      });
    }
  });

  it('says text that does not start with "v1." after "#s=" is not a Netdev Stream Lab link', async () => {
    for (const input of ['hello', '#s=hello', '#s=V1.abc', '#s=v01.abc', '#s=v0.abc', '#s=v1abc', '#s=.v1.abc']) {
      expect(rejected(await decodeLink(input)), input).toEqual({
        ok: false,
        code: 'not-a-link',
        error: 'This is not a Netdev Stream Lab link: the part after "#s=" should start with "v1.".',
      });
    }
  });

  it('says a v2 link was made by a newer version of Netdev Stream Lab', async () => {
    expect(rejected(await decodeLink('/simulator/#s=v2.AAAA'))).toEqual({
      ok: false,
      code: 'newer-version',
      error: 'This link was made by a newer version of Netdev Stream Lab (link format v2) and this version reads only up to v1; open it on the current site.',
    });
    const huge = rejected(await decodeLink(`#s=v${'9'.repeat(500)}.x`));
    expect(huge.code).toBe('newer-version');
    expect(huge.error).toContain('(link format v999999…)');
  });
});

describe('links whose data is damaged', () => {
  it('names a character that no link contains and where it is', async () => {
    const link = await encodeLink(scenario, { step: 1 });
    const broken = `${link.slice(0, 12)}%20${link.slice(12)}`;
    expect(rejected(await decodeLink(broken))).toEqual({
      ok: false,
      code: 'bad-characters',
      error: 'The link contains "%" (character 8 of its data), which no Netdev Stream Lab link contains; was it changed when it was copied?',
    });
    expect(rejected(await decodeLink('#s=v1.AB\u0000C')).error).toContain('"\\u0000" (character 3 of its data)');
  });

  it('says a link cut anywhere after "v1." is cut short', async () => {
    const link = await encodeLink(scenario, { step: 1, base: '/simulator/' });
    const start = link.indexOf('v1.') + 3;
    for (let end = start; end < link.length; end++) {
      expect(rejected(await decodeLink(link.slice(0, end))), `cut at ${end}`).toEqual({
        ok: false,
        code: 'truncated',
        error: 'The link is cut short: its data ends in the middle (was it copied completely?)',
      });
    }
  });

  it('says data the inflater refuses is damaged: a reserved block type, bytes after the end', async () => {
    const message = 'The link is damaged: its data cannot be unpacked (was it changed after it was made?)';
    expect(rejected(await decodeLink(`#s=v1.${b64(Uint8Array.of(0xff, 0xff, 0xff))}`))).toEqual({ ok: false, code: 'corrupt', error: message });
    const whole = deflateRawSync(Buffer.from(JSON.stringify([0, '7.2', null, null, null, [], []])));
    expect(rejected(await decodeLink(`#s=v1.${b64(Buffer.concat([whole, Buffer.from([1, 2, 3])]))}`))).toEqual({
      ok: false,
      code: 'corrupt',
      error: message,
    });
  });

  it('tells a cut stream from a bad one the standard way (write or close fails) and by zlib\'s code in Node', () => {
    expect(classifyInflateError(new TypeError('no more input'), 'close-failed')).toBe('truncated');
    expect(classifyInflateError(new TypeError('bad block'), 'write-failed')).toBe('corrupt');
    expect(classifyInflateError(Object.assign(new TypeError(''), { code: 'Z_BUF_ERROR' }), 'close-failed')).toBe('truncated');
    expect(classifyInflateError(Object.assign(new TypeError(''), { code: 'Z_DATA_ERROR' }), 'close-failed')).toBe('corrupt');
    expect(classifyInflateError(Object.assign(new TypeError(''), { code: 'ERR_TRAILING_JUNK_AFTER_STREAM_END' }), 'close-failed')).toBe('corrupt');
  });

  it('says data that unpacks to something other than a v1 record is damaged, and what it is instead', async () => {
    const cases: [string, string][] = [
      [packed('not json at all'), 'it is not JSON'],
      [packed(Uint8Array.of(0x5b, 0xc3, 0x28, 0x5d)), 'it is not text'],
      [recordLink({ step: 0 }), 'it is not a list of 7 items'],
      [recordLink([0, '7.2', null, null, null, []]), 'it is not a list of 7 items'],
      [recordLink(['0', '7.2', null, null, null, [], []]), 'its step is not a number'],
      [recordLink([0, '7.2', 10, null, null, [], []]), 'its release is not text'],
      [recordLink([0, '7.2', null, null, null, [], {}]), 'its steps are not a list'],
      [recordLink([0, '7.2', null, null, null, [], [['z', 'a']]]), 'step 1 is in a form this version does not know'],
      [recordLink([0, '7.2', null, null, null, [], [5, ['c', 'a', 'u']]]), 'step 2 is in a form this version does not know'],
      [recordLink([0, '7.2', null, null, null, [], [['x', 'a', true]]]), 'step 1 is in a form this version does not know'],
      [recordLink([0, '7.2', null, null, null, [], [['quit', {}, 7]]]), 'step 1 is in a form this version does not know'],
      [recordLink([0, '7.2', null, null, null, [], [[]]]), 'step 1 is in a form this version does not know'],
    ];
    for (const [link, detail] of cases) {
      expect(rejected(await decodeLink(link)), detail).toEqual({
        ok: false,
        code: 'bad-data',
        error: `The link is damaged: its data unpacks but is not a Netdev Stream Lab scenario (${detail}).`,
      });
    }
  });
});

describe('links that are too big', () => {
  it('refuses a payload longer than a 1 MiB record could need without decoding it', async () => {
    const r = rejected(await decodeLink(`#s=v1.${'A'.repeat(MAX_PAYLOAD_CHARS + 1)}`));
    expect(r).toEqual({
      ok: false,
      code: 'too-large',
      error: 'This link holds more than 1 MiB of scenario data, more than Netdev Stream Lab accepts.',
    });
  });

  it('refuses a small link that unpacks past 1 MiB (a zip bomb)', async () => {
    const bomb = `[0,"7.2",null,"${'a'.repeat(8 * MAX_RECORD_BYTES)}",null,[],[]]`;
    const link = packed(bomb);
    expect(link.length).toBeLessThan(20_000);
    expect(rejected(await decodeLink(link)).code).toBe('too-large');
  });

  it('stops inflating soon after the output passes the cap instead of unpacking everything', async () => {
    const zeros = new Uint8Array(deflateRawSync(Buffer.alloc(64 * 1024 * 1024)));
    const r = await inflateRaw(zeros, MAX_RECORD_BYTES);
    expect(r).toMatchObject({ ok: false, reason: 'too-large' });
    if (r.ok) return;
    expect(r.inflated).toBeGreaterThan(MAX_RECORD_BYTES);
    expect(r.inflated).toBeLessThan(MAX_RECORD_BYTES + 2 * 1024 * 1024);
  });

  it('accepts a record of exactly the cap', async () => {
    const head = '[0,"7.2",null,"';
    const tail = '",null,[],[]]';
    const record = `${head}${'t'.repeat(MAX_RECORD_BYTES - head.length - tail.length)}${tail}`;
    expect(record.length).toBe(MAX_RECORD_BYTES);
    expect(await decodeLink(packed(record))).toMatchObject({ ok: true });
    expect(rejected(await decodeLink(packed(record.replace('"t', '"tt')))).code).toBe('too-large');
  });

  it(`refuses arrays and objects nested more than ${MAX_NESTING} deep`, async () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_NESTING; i++) deep = { a: deep };
    const r = rejected(await decodeLink(recordLink([0, '7.2', null, null, null, [{ id: 'n0', deep }], []])));
    expect(r).toEqual({
      ok: false,
      code: 'too-deep',
      error: `The link's scenario nests lists and objects more than ${MAX_NESTING} levels deep, more than Netdev Stream Lab reads.`,
    });
    let shallower: unknown = 1;
    for (let i = 0; i < MAX_NESTING - 3; i++) shallower = { a: shallower };
    expect(await decodeLink(recordLink([0, '7.2', null, null, null, [{ id: 'n0', deep: shallower }], []]))).toMatchObject({ ok: true });
  });
});

describe('links whose scenario, release or step cannot be opened', () => {
  it('names a release this version does not model, from the link or from the scenario', async () => {
    expect(rejected(await decodeLink(recordLink([0, '7.2', '6.2', null, null, [], []])))).toEqual({
      ok: false,
      code: 'unknown-release',
      error: 'The link asks for QEMU "6.2", which this version of Netdev Stream Lab does not model (it models 7.2 to 11.1).',
    });
    expect(rejected(await decodeLink(recordLink([0, '12.0', null, null, null, [], []]))).error).toContain('QEMU "12.0"');
  });

  it('reports the first problem of an invalid scenario with its path, and lists them all', async () => {
    const r = rejected(
      await decodeLink(recordLink([0, '7.2', null, null, null, [], [['c', 'a', { type: 'vsock' }], { wait: -1 }, ['s', 'a', 'xyz']]])),
    );
    expect(r.code).toBe('invalid-scenario');
    expect(r.error).toBe(
      'The link\'s scenario is not valid: steps[0].connect.type: expected one of "unix", "inet", "fd", got "vsock" (and 2 more problems).',
    );
    expect(r.issues?.map((i) => i.path)).toEqual(['steps[0].connect.type', 'steps[1].wait', 'steps[2].send']);
  });

  it('shortens a problem whose path is a long member name taken from the link', async () => {
    const key = 'k'.repeat(10_000);
    const r = rejected(await decodeLink(recordLink([0, '7.2', null, null, null, [{ id: 'n0', [key]: null }], []])));
    expect(r.code).toBe('invalid-scenario');
    expect(r.error.length).toBeLessThan(400);
    expect(r.error).toMatch(/^The link's scenario is not valid: netdevs\[0\]\.k+…\.$/);
    expect(r.issues?.[0]?.path).toBe(`netdevs[0].${key}`);
  });

  it('says which step the link points at and which steps exist', async () => {
    for (const step of [4, -1, 1.5, 1e300]) {
      expect(rejected(await decodeLink(recordLink([step, '10.0', null, null, null, [], [10, 20, 30]]))), String(step)).toEqual({
        ok: false,
        code: 'bad-step',
        error: `The link points at step "${step}", but its scenario has steps 0 to 3 only.`,
      });
    }
  });
});

describe('a link is data, never code', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('returns markup and addresses in a scenario as the same plain strings and fetches nothing', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const html = '<img src=x onerror="alert(1)"><script>fetch("https://evil.example/")</script>';
    const link = await encodeLink(
      { ...scenario, title: html, description: '[x](javascript:alert(1)) https://evil.example/a.json' },
      { step: 0 },
    );
    const r = await decodeLink(link);
    expect(r).toMatchObject({ ok: true, scenario: { title: html, description: '[x](javascript:alert(1)) https://evil.example/a.json' } });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('treats a "__proto__" member as data, as checkScenario does for a file, and pollutes no prototype', async () => {
    const record = '[0,"7.2",null,null,null,[{"id":"n0","__proto__":{"polluted":true}}],[{"qmp":{"execute":"x","__proto__":{"polluted":true}}}]]';
    const r = await decodeLink(packed(record));
    const file = checkScenario(
      JSON.parse('{"scenario":1,"qemu":"7.2","netdevs":[{"id":"n0","__proto__":{"polluted":true}}],"steps":[{"qmp":{"execute":"x","__proto__":{"polluted":true}}}]}'),
    );
    expect(r.ok && file.ok).toBe(true);
    if (!r.ok || !file.ok) return;
    expect(r.scenario).toEqual(file.scenario);
    expect(Object.hasOwn((r.scenario.steps[0] as { qmp: object }).qmp, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((r.scenario.netdevs[0] as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('encoding refuses what decoding would refuse', () => {
  async function refusal(s: unknown, opts: { step: number; release?: string }) {
    try {
      await encodeLink(s as Scenario, opts);
    } catch (e) {
      expect(e).toBeInstanceOf(LinkEncodeError);
      return { code: (e as LinkEncodeError).code, message: (e as Error).message };
    }
    throw new Error('encodeLink accepted it');
  }

  it('refuses an invalid scenario, an unknown release, a step outside the scenario, and an oversized or over-deep one', async () => {
    expect(await refusal({ ...scenario, steps: [{ wait: 'soon' }] }, { step: 0 })).toEqual({
      code: 'invalid-scenario',
      message: 'The scenario is not valid: steps[0].wait: expected milliseconds, got "soon".',
    });
    expect(await refusal(scenario, { step: 0, release: '6.2' })).toEqual({
      code: 'unknown-release',
      message: 'The link would ask for QEMU "6.2", which this version of Netdev Stream Lab does not model (it models 7.2 to 11.1).',
    });
    expect(await refusal(scenario, { step: 4 })).toEqual({
      code: 'bad-step',
      message: 'The link would point at step "4", but its scenario has steps 0 to 3 only.',
    });
    expect((await refusal(scenario, { step: 0.5 })).code).toBe('bad-step');
    expect((await refusal({ ...scenario, description: 'x'.repeat(MAX_RECORD_BYTES) }, { step: 0 })).code).toBe('too-large');
    let deep: unknown = 1;
    for (let i = 0; i < MAX_NESTING; i++) deep = [deep];
    expect((await refusal({ ...scenario, steps: [{ qmp: deep }] }, { step: 0 })).code).toBe('too-deep');
  });
});
