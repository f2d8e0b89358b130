/**
 * The v1 link format, pinned: links made today must open the same way in
 * every later version (src/share/README.md is the specification).
 */
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from '../../src/share/base64url.ts';
import { decodeLink, encodeLink, fragmentOf, linkTextOf, readShareHash } from '../../src/share/link.ts';
import { SAMPLE_ARP_FRAME_HEX } from '../../src/core/net/sample-frame.ts';

/** Made by encodeLink on 2026-11-26; never regenerate it: it stands for links already shared. */
const V1_FIXTURE =
  'https://netdev-stream-lab.example/simulator/#s=v1.fZJBbtswEEWvQvxFV2N5pNhOqgZZ9gJdGkJDS1RMxCJlknJtGAJ8h3aZXs4nKajIgI205WowHM77_DPLBSHlhEH4nGQgfNX70DmVC7VT7iB2qfBBtaK2rgHhm3I75cSz4ecvQopWKSdKa4wqgyfhlak8ibU0L150rTiffonz6W3b2aD8-fRbfBKPqydjg1iHZvM4XT2J89tP0PIIXSGHiTLCoVXI4YNTMiL9gEQeXKcIsqoc8uOlqjN6D0Irwxo5pqFpp143U8OJt-Ur-r6g5RLrrpFm0lijg3WT0jaNNBXoiDGcbLSJ3bSprTAq_LDuFfEpShAkCB3oY_eCMmZawo9F9dWZZ_MZc5rdzeYLfuAFM6f8wMwLnsX45l4yc8YZX52Y4oxTRBVuBLxfZbKuh_R-SMdoA8IKBA1Cmt0nnHCSgjC7Z-ahwqhQqd13WQ3_Htwu_-d2LTf-o93aqADC2vqA_IbUWhdT78Ce4NS4FpPGI0-ZefBz2yl3mOyU89oaFHTEtmkjQO1V2YXI2HY6MqLE-74fZ1BG1X-d-WDCygcny3BZkqBf1mH8Q18Mcx60RNC_VoVu2veEuNvIUeGiQV1pqKvoVYgFd-iLovgD';

const FIXTURE_SCENARIO = {
  scenario: 1,
  title: 'Fixture: every v1 step form',
  description: 'Server `n0`; a peer connects, sends, hangs up — “quotes” & <b>not html</b> ✓',
  qemu: '10.0',
  netdevs: [{ id: 'n0', type: 'stream', server: true, addr: { type: 'unix', path: '/tmp/sim/n0.sock' } }],
  steps: [
    { qmp: { execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } } },
    { peer: 'a', connect: { type: 'unix', path: '/tmp/sim/n0.sock' } },
    { wait: 200 },
    { peer: 'a', send: SAMPLE_ARP_FRAME_HEX },
    { peer: 'a', 'send-raw': '0000002aff' },
    { peer: 'a', close: true },
    { peer: 'b', listen: { type: 'inet', host: '127.0.0.1', port: '47000' } },
    {
      qmp: {
        execute: 'netdev_add',
        arguments: { id: 'c0', type: 'stream', server: false, addr: { type: 'inet', host: '127.0.0.1', port: '47000' }, 'reconnect-ms': 1000 },
      },
    },
    { qmp: { execute: 'query-version' } },
    { qmp: { execute: 'quit', id: 7 } },
    { peer: 'c', connect: { type: 'unix', path: 'x', abstract: true, tight: false } },
    { connect: { path: '/tmp/sim/n0.sock', type: 'unix' }, peer: 'd' },
    { peer: 'e', connect: { type: 'fd', str: '3' } },
  ],
};

/** The fixture's steps as a v1 record writes them: short forms where they rebuild a step exactly. */
const FIXTURE_RECORD_STEPS = [
  ['human-monitor-command', { 'command-line': 'info network' }],
  ['c', 'a', 'u', '/tmp/sim/n0.sock'],
  200,
  ['s', 'a', SAMPLE_ARP_FRAME_HEX],
  ['r', 'a', '0000002aff'],
  ['x', 'a'],
  ['l', 'b', 'i', '127.0.0.1', '47000'],
  ['netdev_add', FIXTURE_SCENARIO.steps[7]!.qmp!.arguments],
  ['query-version'],
  { qmp: { execute: 'quit', id: 7 } },
  ['c', 'c', { type: 'unix', path: 'x', abstract: true, tight: false }],
  { connect: { path: '/tmp/sim/n0.sock', type: 'unix' }, peer: 'd' },
  ['c', 'e', { type: 'fd', str: '3' }],
];

/** A v1 link written by hand from the README: record -> JSON -> deflate-raw -> base64url. */
function handMade(record: unknown): string {
  return `v1.${deflateRawSync(Buffer.from(JSON.stringify(record), 'utf8')).toString('base64url')}`;
}

describe('v1 links keep opening as they did', () => {
  it('opens the fixed v1 link to its scenario, release 9.2 and step 6, key order included', async () => {
    const opened = await decodeLink(V1_FIXTURE);
    expect(opened).toEqual({ ok: true, scenario: FIXTURE_SCENARIO, release: '9.2', step: 6, version: 1 });
    if (!opened.ok) return;
    expect(JSON.stringify(opened.scenario)).toBe(JSON.stringify(FIXTURE_SCENARIO));
  });

  it('opens the fixed minimal v1 link (no title, no netdevs, release from the scenario)', async () => {
    expect(await decodeLink('s=v1.izbQUTLXM1LSySvNyUEiomN1omNjAQ')).toEqual({
      ok: true,
      scenario: { scenario: 1, qemu: '7.2', netdevs: [], steps: [] },
      release: '7.2',
      step: 0,
      version: 1,
    });
  });

  it('opens the example link printed in the README', async () => {
    const readme = await import('node:fs').then((fs) => fs.readFileSync(new URL('../../src/share/README.md', import.meta.url), 'utf8'));
    const link = /is the link `(v1\.[A-Za-z0-9_-]+)`/.exec(readme)?.[1];
    expect(link).toBeDefined();
    expect(await decodeLink(link!)).toEqual({
      ok: true,
      scenario: {
        scenario: 1,
        title: 'Hi',
        qemu: '10.0',
        netdevs: [],
        steps: [{ peer: 'a', connect: { type: 'unix', path: '/tmp/sim/n0.sock' } }, { wait: 200 }, { qmp: { execute: 'query-version' } }],
      },
      release: '10.0',
      step: 2,
      version: 1,
    });
  });

  it('reads every documented step form from a record written by hand', async () => {
    const opened = await decodeLink(
      handMade([
        13,
        '10.0',
        '9.2',
        FIXTURE_SCENARIO.title,
        FIXTURE_SCENARIO.description,
        FIXTURE_SCENARIO.netdevs,
        FIXTURE_RECORD_STEPS,
      ]),
    );
    expect(opened).toEqual({ ok: true, scenario: FIXTURE_SCENARIO, release: '9.2', step: 13, version: 1 });
  });

  it('writes the fixture scenario as the short forms where they rebuild a step exactly, objects elsewhere', async () => {
    const link = await encodeLink(FIXTURE_SCENARIO as never, { step: 6, release: '9.2' });
    const bytes = fromBase64url(link.slice('s=v1.'.length));
    expect(bytes.ok).toBe(true);
    if (!bytes.ok) return;
    const { inflateRawSync } = await import('node:zlib');
    const record = JSON.parse(inflateRawSync(bytes.bytes).toString('utf8')) as unknown[];
    expect(record.slice(0, 6)).toEqual([6, '10.0', '9.2', FIXTURE_SCENARIO.title, FIXTURE_SCENARIO.description, FIXTURE_SCENARIO.netdevs]);
    expect(record[6]).toEqual(FIXTURE_RECORD_STEPS);
  });

  it('writes null for a release that is the scenario\'s own, and for a missing title and description', async () => {
    const link = await encodeLink({ scenario: 1, qemu: '11.1', netdevs: [], steps: [{ wait: 5 }] }, { step: 1 });
    const bytes = fromBase64url(link.slice('s=v1.'.length));
    if (!bytes.ok) throw new Error('not base64url');
    const { inflateRawSync } = await import('node:zlib');
    expect(JSON.parse(inflateRawSync(bytes.bytes).toString('utf8'))).toEqual([1, '11.1', null, null, null, [], [5]]);
  });
});

describe('where a link is found', () => {
  const fragment = 's=v1.izbQUTLXM1LSySvNyUEiomN1omNjAQ';

  it('finds the fragment of a URL or path after the first "#", and none without one', () => {
    expect(fragmentOf(`https://h.example/simulator/?x=1#${fragment}`)).toBe(fragment);
    expect(fragmentOf(`/simulator/#${fragment}`)).toBe(fragment);
    expect(fragmentOf('https://h.example/simulator/')).toBe('');
  });

  it('opens the same link given as a URL, a path, location.hash, a fragment, a bare link or with spaces around', async () => {
    const forms = [
      `https://h.example/simulator/#${fragment}`,
      `/simulator/#${fragment}`,
      `#${fragment}`,
      fragment,
      fragment.slice(2),
      `  ${fragment}\n`,
      `#other=1&${fragment}`,
    ];
    for (const form of forms) expect(await decodeLink(form), form).toMatchObject({ ok: true, release: '7.2', step: 0 });
    expect(linkTextOf(`#a=b&${fragment}&c=d`)).toBe(fragment.slice(2));
  });

  it('puts the link after the base, replacing any fragment the base had', async () => {
    const scenario = { scenario: 1 as const, qemu: '7.2', netdevs: [], steps: [] };
    expect(await encodeLink(scenario, { step: 0, base: 'https://h.example/simulator/' })).toBe(`https://h.example/simulator/#${fragment}`);
    expect(await encodeLink(scenario, { step: 0, base: '/simulator/#old' })).toBe(`/simulator/#${fragment}`);
    expect(await encodeLink(scenario, { step: 0 })).toBe(fragment);
  });

  it('tells the page there is nothing to open when location.hash holds no link', async () => {
    expect(await readShareHash('')).toBeNull();
    expect(await readShareHash('#')).toBeNull();
    expect(await readShareHash('#step-3')).toBeNull();
    expect(await readShareHash(`#${fragment}`)).toMatchObject({ ok: true, step: 0 });
    expect(await readShareHash('#s=v1.!')).toMatchObject({ ok: false, code: 'bad-characters' });
  });
});

describe('base64url', () => {
  it('matches Node\'s base64url for every length and byte', () => {
    for (let n = 0; n < 300; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
      const text = toBase64url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64url(text)).toEqual({ ok: true, bytes });
    }
  });

  it('names the first character outside the alphabet, whole code points included', () => {
    expect(fromBase64url('AB=C')).toEqual({ ok: false, reason: 'bad-character', index: 2, char: '=' });
    expect(fromBase64url('AB+C')).toEqual({ ok: false, reason: 'bad-character', index: 2, char: '+' });
    expect(fromBase64url('A😀')).toEqual({ ok: false, reason: 'bad-character', index: 1, char: '😀' });
    expect(fromBase64url('A B')).toEqual({ ok: false, reason: 'bad-character', index: 1, char: ' ' });
  });

  it('refuses a text that ends inside a byte, and decodes a cut text to a prefix of the bytes', () => {
    expect(fromBase64url('ABCDE')).toEqual({ ok: false, reason: 'ends-inside-a-byte' });
    const bytes = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    const text = toBase64url(bytes);
    for (const cut of [2, 3, 4, 6, 7]) {
      const r = fromBase64url(text.slice(0, cut));
      expect(r.ok && [...r.bytes]).toEqual([...bytes.subarray(0, Math.floor((cut * 3) / 4))]);
    }
  });
});
