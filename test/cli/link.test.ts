/** `netdev-sim link` and `netdev-sim open`: share links from the command line. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempFiles } from '../support/cli.ts';
import { decodeLink } from '../../src/share/link.ts';
import { SAMPLE_ARP_FRAME_HEX } from '../../src/core/net/sample-frame.ts';

const { dir, file: write } = tempFiles('netdev-sim-link-');
const file = (name: string, content: unknown) => write(name, content, 1);


const scenario = {
  scenario: 1,
  title: 'Two clients',
  qemu: '10.0',
  netdevs: [{ id: 'n0', type: 'stream', server: true, addr: { type: 'unix', path: '/tmp/sim/n0.sock' } }],
  steps: [
    { peer: 'a', connect: { type: 'unix', path: '/tmp/sim/n0.sock' } },
    { peer: 'a', send: SAMPLE_ARP_FRAME_HEX },
    { peer: 'a', close: true },
    { wait: 200 },
    { qmp: { execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } } },
  ],
};

/** One line on stderr, in the CLI's error style. */
const oneErrorLine = /^netdev-sim: [^\n]+\n$/;

describe('netdev-sim link', () => {
  it('prints a /simulator/ link that opens the scenario before its first step, in its own release', async () => {
    const r = await cli('link', file('s.json', scenario));
    expect(r).toMatchObject({ status: 0, err: '' });
    expect(r.out).toMatch(/^\/simulator\/#s=v1\.[A-Za-z0-9_-]+\n$/);
    expect(await decodeLink(r.out)).toEqual({ ok: true, scenario, release: '10.0', step: 0, version: 1 });
  });

  it('carries --step and --qemu, and puts the link after --base', async () => {
    const r = await cli('link', file('s.json', scenario), '--step', '5', '--qemu', '9.2', '--base', 'https://h.example/simulator/');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^https:\/\/h\.example\/simulator\/#s=v1\.[A-Za-z0-9_-]+\n$/);
    expect(await decodeLink(r.out)).toMatchObject({ ok: true, release: '9.2', step: 5 });
  });

  it('refuses a step outside the scenario with one line naming the range', async () => {
    for (const step of ['6', 'x', '1.5', '']) {
      const r = await cli('link', file('s.json', scenario), '--step', step);
      expect(r.status, step).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toBe(`netdev-sim: --step: expected a whole number from 0 to 5 (the scenario's steps), got ${JSON.stringify(step)}\n`);
    }
  });

  it('refuses an unknown release, a missing file, an invalid scenario and a missing argument, one line each', async () => {
    const cases: [string[], string][] = [
      [['link', file('s.json', scenario), '--qemu', '6.2'], '--qemu: expected one of'],
      [['link', join(dir, 'nope.json')], 'cannot read scenario'],
      [['link', file('bad.json', { ...scenario, steps: [{ wait: -1 }] })], 'bad.json: steps[0].wait: expected a wait of 0 ms or more'],
      [['link'], 'link takes exactly one scenario file'],
      [['link', file('s.json', scenario), '--nope'], "Unknown option '--nope'"],
    ];
    for (const [argv, text] of cases) {
      const r = await cli(...argv);
      expect(r.status, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(oneErrorLine);
      expect(r.err).toContain(text);
    }
  });
});

describe('netdev-sim open', () => {
  it('prints the scenario as 2-space JSON and the release and step on stderr', async () => {
    const link = (await cli('link', file('s.json', scenario), '--step', '3')).out.trim();
    const r = await cli('open', link);
    expect(r.status).toBe(0);
    expect(r.out).toBe(`${JSON.stringify(scenario, null, 2)}\n`);
    expect(r.err).toBe('QEMU 10.0, step 3 of 5\n');
  });

  it('says when the link asks for another release than the scenario names', async () => {
    const link = (await cli('link', file('s.json', scenario), '--qemu', '7.2', '--step', '5')).out.trim();
    expect((await cli('open', `https://h.example${link}`)).err).toBe('QEMU 7.2 (the scenario names 10.0), step 5 of 5\n');
  });

  it('gives what the link decoder says about a bad link as one line, exit 2, nothing on stdout', async () => {
    const link = (await cli('link', file('s.json', scenario))).out.trim();
    const cases: [string, string][] = [
      [link.slice(0, -8), 'netdev-sim: The link is cut short: its data ends in the middle (was it copied completely?)\n'],
      [link.replace('v1.', 'v2.'), 'netdev-sim: This link was made by a newer version of Netdev Stream Lab (link format v2) and this version reads only up to v1; open it on the current site.\n'],
      ['hello', 'netdev-sim: This is not a Netdev Stream Lab link: the part after "#s=" should start with "v1.".\n'],
    ];
    for (const [input, err] of cases) expect(await cli('open', input)).toEqual({ status: 2, out: '', err });
  });

  it('takes exactly one link', async () => {
    for (const argv of [['open'], ['open', 'a', 'b']]) {
      expect(await cli(...argv)).toEqual({ status: 2, out: '', err: 'netdev-sim: open takes exactly one link\n' });
    }
  });

  it('lists link and open in the help', async () => {
    const r = await cli('help');
    expect(r.out).toContain('netdev-sim link FILE.json [--step N] [--qemu X.Y] [--base URL]');
    expect(r.out).toContain('netdev-sim open LINK');
  });
});

describe('bin/netdev-sim.mjs', () => {
  const bin = new URL('../../bin/netdev-sim.mjs', import.meta.url).pathname;
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

  it('waits for link and open and exits with their status', () => {
    const made = run('link', file('s.json', scenario), '--step', '2');
    expect(made.status).toBe(0);
    const opened = run('open', made.stdout.trim());
    expect(opened.status).toBe(0);
    expect(JSON.parse(opened.stdout)).toEqual(scenario);
    expect(opened.stderr).toBe('QEMU 10.0, step 2 of 5\n');
    const bad = run('open', made.stdout.trim().slice(0, -5));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(oneErrorLine);
  });
});
