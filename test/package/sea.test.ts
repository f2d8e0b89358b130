/**
 * The single executable (scripts/build-exe.mjs), built into a temporary
 * directory and run where no Node can be found: a PATH holding only a
 * shell and the executable, in an otherwise empty environment. It runs
 * `run`, `validate`, `link` and the stand-in QEMU with its native helper
 * (an asset of the executable), and leaves nothing in its TMPDIR.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExe } from '../../scripts/build-exe.mjs';
import { cli } from '../support/cli.ts';
import { cleanUp, peerVisit, run as start } from '../support/standin.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const GUIDED = join(ROOT, 'content/scenarios/server-accepts-then-hangs-up.json');
const SH = '/bin/sh';

let work: string;
let bin: string;
let tmp: string;

/** `sh -c SCRIPT` with only PATH=bin and TMPDIR in the environment. */
const bare = (script: string) => spawnSync('/usr/bin/env', ['-i', `PATH=${bin}`, `TMPDIR=${tmp}`, SH, '-c', script], { encoding: 'utf8' });

beforeAll(async () => {
  work = join(tmpdir(), `nsl-sea-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  bin = join(work, 'bin');
  tmp = join(work, 'tmp');
  mkdirSync(bin, { recursive: true });
  mkdirSync(tmp);
  await buildExe({ out: join(bin, 'netdev-sim') });
  symlinkSync(SH, join(bin, 'sh'));
}, 300_000);

afterAll(() => {
  cleanUp();
  // The executable is a copy of the Node binary (over 100 MB): never left behind.
  if (work) rmSync(work, { recursive: true, force: true });
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function startUp(argv: string[], env: NodeJS.ProcessEnv, runs = 15): { median: number; min: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(argv[0]!, argv.slice(1), { env, stdio: 'ignore' });
    times.push(performance.now() - t0);
    expect(r.status).toBe(0);
  }
  return { median: median(times), min: Math.min(...times) };
}

describe('the single executable', () => {
  it('runs where there is no node at all', () => {
    const none = bare('command -v node; echo "status $?"');
    expect(none.stdout.trim()).toBe('status 127');
    expect(bare('command -v netdev-sim').stdout.trim()).toBe(join(bin, 'netdev-sim'));

    const size = statSync(join(bin, 'netdev-sim')).size;
    const exe = startUp([join(bin, 'netdev-sim'), 'releases'], { PATH: bin });
    const node = startUp([process.execPath, '-e', '0'], {});
    console.log(
      `single executable: ${(size / 1024 / 1024).toFixed(1)} MiB; start-up (netdev-sim releases) median ${exe.median.toFixed(0)} ms (min ${exe.min.toFixed(0)}), node -e 0 median ${node.median.toFixed(0)} ms (min ${node.min.toFixed(0)})`,
    );
  });

  it('runs, validates and links a scenario as the repository does', async () => {
    const ours = await cli('run', GUIDED, '--qemu', '10.0');
    const r = bare(`netdev-sim run '${GUIDED}' --qemu 10.0`);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(ours.out);
    expect(r.stderr).toBe(ours.err);

    const v = bare(`netdev-sim validate '${GUIDED}'`);
    expect(v.stdout).toMatch(/valid scenario \(8 steps, QEMU 11\.1\)/);
    const bad = bare(`netdev-sim validate /etc/hostname`);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/is not valid JSON/);

    const link = await cli('link', GUIDED, '--step', '3', '--base', 'https://example.org/simulator/');
    const l = bare(`netdev-sim link '${GUIDED}' --step 3 --base https://example.org/simulator/`);
    expect(l.stdout).toBe(link.out);
    expect(l.stdout).toMatch(/^https:\/\/example\.org\/simulator\/#s=v1\./);
  });

  it('runs the stand-in QEMU with its native helper: a QMP session sees NETDEV_STREAM_CONNECTED', async () => {
    const dir = join(work, 'sockets');
    mkdirSync(dir, { recursive: true });
    const qmpSock = join(dir, 'qmp.sock');
    const nd = join(dir, 'n0.sock');
    const q = start('/usr/bin/env', ['-i', `PATH=${bin}`, `TMPDIR=${tmp}`, 'netdev-sim', 'qemu', '-M', 'none', '-qmp', `unix:${qmpSock},server=on,wait=off`, '-netdev', `stream,id=n0,server=on,addr.type=unix,addr.path=${nd}`]);
    const visit = await peerVisit(q, qmpSock, nd, {
      startMs: 20_000,
      first: async (qmp) => expect(await qmp.command('query-version')).toMatchObject({ return: { qemu: { major: 11, minor: 1 } } }),
    });
    expect(visit.connected).toEqual({ 'netdev-id': 'n0', addr: { type: 'unix', path: nd } });
    expect(visit.exit).toBe(0);
    expect(visit.stderr).not.toMatch(/native helper unavailable/);
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });
});
