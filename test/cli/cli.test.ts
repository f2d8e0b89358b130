import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli, tempFiles } from '../support/cli.ts';

const { dir, file } = tempFiles('netdev-sim-cli-');

const good = {
  scenario: 1,
  qemu: '7.2',
  netdevs: [{ id: 'n0', type: 'stream', server: true, addr: { type: 'unix', path: '/tmp/sim/n0.sock' } }],
  steps: [
    { peer: 'a', connect: { type: 'unix', path: '/tmp/sim/n0.sock' } },
    { qmp: { execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } } },
  ],
};

describe('netdev-sim run', () => {
  it('prints the transcript as JSON Lines and exits 0', async () => {
    const r = await cli('run', file('good.json', good));
    expect(r.status).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as { dir: string; msg: Record<string, unknown> });
    expect(lines[0]!.msg).toHaveProperty('QMP');
    expect(lines.some((l) => l.msg.event === 'NETDEV_STREAM_CONNECTED')).toBe(true);
    expect(lines.at(-1)!.msg).toEqual({ return: 'n0: index=0,type=stream,unix:/tmp/sim/n0.sock\r\n' });
    expect(r.err).toContain('warning: netdev n0 has no peer');
  });

  it('models another release with --qemu', async () => {
    const r = await cli('run', file('good.json', good), '--qemu', '10.0', '--quiet');
    expect(r.status).toBe(0);
    expect(r.out).toContain('"major":10');
    expect(r.err).toBe('');
  });

  it('names the bad value by its path and exits 2 for an invalid scenario', async () => {
    const bad = structuredClone(good);
    (bad.steps[0] as { connect: { type: string } }).connect.type = 'tcp';
    const r = await cli('run', file('bad.json', bad));
    expect(r.status).toBe(2);
    expect(r.err).toBe(`netdev-sim: ${join(dir, 'bad.json')}: steps[0].connect.type: expected one of "unix", "inet", "fd", got "tcp"\n`);
    expect(r.out).toBe('');
  });

  it('gives one clear line for a missing file, bad JSON, an unknown release', async () => {
    const missing = await cli('run', join(dir, 'nope.json'));
    expect([missing.status, missing.err]).toEqual([2, `netdev-sim: cannot read scenario ${join(dir, 'nope.json')}: no such file\n`]);
    const json = await cli('run', file('broken.json', '{"scenario": 1,'));
    expect(json.status).toBe(2);
    expect(json.err).toMatch(/^netdev-sim: .*broken\.json is not valid JSON: .*\n$/);
    const release = await cli('run', file('good.json', good), '--qemu', '6.2');
    expect(release.status).toBe(2);
    expect(release.err).toMatch(/^netdev-sim: --qemu: expected one of "7\.2", .*got "6\.2"\n$/);
    const directory = await cli('run', dir);
    expect(directory.err).toBe(`netdev-sim: cannot read scenario ${dir}: it is a directory\n`);
  });

  it('prints the start-up failure line when the command-line netdevs are invalid', async () => {
    const r = await cli('run', file('bad-cmdline.json', { ...good, netdevs: [{ ...good.netdevs[0], reconnect: 1 }] }), '--quiet');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      exit: 1,
      stderr:
        "qemu-system-x86_64: -netdev stream,id=n0,server=on,addr.type=unix,addr.path=/tmp/sim/n0.sock,reconnect=1: Parameter 'reconnect' is unexpected",
    });
  });
});

describe('netdev-sim validate and compare', () => {
  it('validate only checks', async () => {
    const r = await cli('validate', file('good.json', good));
    expect(r).toEqual({ status: 0, out: `${join(dir, 'good.json')}: valid scenario (2 steps, QEMU 7.2)\n`, err: '' });
  });

  it('compare says when a recording is reproduced and shows a diff when it is not', async () => {
    const base = new URL('../../content/conformance/', import.meta.url).pathname;
    const ok = await cli('compare', `${base}scenarios/06-client-unix-peer-closes.json`, `${base}7.2/06-client-unix-peer-closes.jsonl`);
    expect(ok.status).toBe(0);
    const other = await cli('compare', `${base}scenarios/06-client-unix-peer-closes.json`, `${base}10.0/06-client-unix-peer-closes.jsonl`);
    expect(other.status).toBe(1);
    expect(other.out).toContain('+ {"dir":"<-","msg":{"return":"c0: index=0,type=stream,unix:/tmp/sim/p.sock');
  });
});

describe('npx netdev-sim', () => {
  it('runs as a command and never prints a stack trace', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const r = spawnSync('npx', ['netdev-sim', 'run', join(dir, 'missing.json')], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`netdev-sim: cannot read scenario ${join(dir, 'missing.json')}: no such file\n`);
    const ok = spawnSync('npx', ['netdev-sim', 'run', file('good2.json', good), '--quiet'], { cwd: root, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout.split('\n').length).toBeGreaterThan(5);
  });
});
