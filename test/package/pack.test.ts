/**
 * The npm package as a user gets it: `npm pack` on a copy of this
 * checkout, the tarball installed into an empty directory with
 * `npm install --omit=dev --offline` (so nothing at all comes from the
 * registry), and then, from that directory, the `netdev-sim` command, the
 * stand-in QEMU with its prebuilt native helper, and README's library
 * example, run and type-checked against the package's declarations.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';
import { cleanUp, peerVisit, run as start } from '../support/standin.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const GUIDED = join(ROOT, 'content/scenarios/server-accepts-then-hangs-up.json');
const SITE_ONLY = ['astro', '@astrojs/starlight', 'monaco-editor', 'vitest', 'tsx', 'playwright-core', 'pagefind', 'typescript', 'esbuild'];

let work: string;
let app: string;
let tarball: string;

function du(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? du(p) : statSync(p).size;
  }
  return n;
}

const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  work = join(tmpdir(), `nsl-pack-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  // A copy of the checkout (tracked and new files), so prepack's clean
  // rebuild of dist-cli/ cannot disturb tests running the checkout's bin.
  const src = join(work, 'src');
  const files = run('git', ['ls-files', '-co', '--exclude-standard', '-z'], ROOT).split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue;
    mkdirSync(join(src, f, '..'), { recursive: true });
    cpSync(join(ROOT, f), join(src, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  const name = run('npm', ['pack', '--pack-destination', work, '--silent'], src).trim().split('\n').at(-1)!;
  tarball = join(work, name);
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--omit=dev', '--offline', '--no-audit', '--no-fund', tarball], app);
}, 300_000);

afterAll(() => {
  cleanUp();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('installs from the tarball alone, with nothing of the site', () => {
    const pkg = join(app, 'node_modules/netdev-stream-lab');
    const tgz = statSync(tarball).size;
    const installed = du(join(app, 'node_modules'));
    console.log(`package: tarball ${(tgz / 1024).toFixed(1)} KiB, installed ${(installed / 1024).toFixed(1)} KiB (node_modules)`);
    expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['netdev-stream-lab']);
    for (const name of SITE_ONLY) expect(existsSync(join(app, 'node_modules', name)), name).toBe(false);
    expect(existsSync(join(pkg, 'src')), 'no TypeScript sources').toBe(false);
    expect(existsSync(join(pkg, 'prebuilds/linux-x64/netdev-sim.node'))).toBe(true);
    expect(existsSync(join(pkg, 'dist-cli/types/index.d.ts'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.private).toBeUndefined();
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(tgz).toBeLessThan(400 * 1024);
  });

  it('runs `npx netdev-sim run` with the same output as the repository, and prints a guided scenario', async () => {
    const ours = await cli('run', GUIDED, '--qemu', '7.2');
    const out = run('npx', ['--no-install', 'netdev-sim', 'run', GUIDED, '--qemu', '7.2'], app);
    expect(out).toBe(ours.out);
    expect(out.split('\n').length).toBeGreaterThan(5);
    const example = run('npx', ['--no-install', 'netdev-sim', 'examples', 'server-accepts-then-hangs-up'], app);
    expect(JSON.parse(example)).toEqual(JSON.parse(readFileSync(GUIDED, 'utf8')));
    const bad = spawnSync('npx', ['--no-install', 'netdev-sim', 'validate', join(app, 'package.json')], app);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/package\.json: scenario: missing/);
  });

  it('runs `npx netdev-sim qemu` with its native helper: a QMP session sees NETDEV_STREAM_CONNECTED', async () => {
    const dir = join(work, 'q');
    mkdirSync(dir, { recursive: true });
    const qmpSock = join(dir, 'qmp.sock');
    const nd = join(dir, 'n0.sock');
    const q = start('npx', ['--no-install', 'netdev-sim', 'qemu', '-M', 'none', '-qmp', `unix:${qmpSock},server=on,wait=off`, '-netdev', `stream,id=n0,server=on,addr.type=unix,addr.path=${nd}`, '--release', '10.0'], { cwd: app });
    const visit = await peerVisit(q, qmpSock, nd, { startMs: 30_000 });
    expect(visit.connected).toEqual({ 'netdev-id': 'n0', addr: { type: 'unix', path: nd } });
    expect(visit.exit).toBe(0);
    expect(visit.stderr).not.toMatch(/native helper unavailable/);
  });

  it('runs README’s library example, which also type-checks against the package’s declarations', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /<!-- library-example[^>]*-->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'README has the library example').toBeTruthy();
    expect(example!.trim().split('\n').length).toBeLessThanOrEqual(14);
    writeFileSync(join(app, 'example.mjs'), example!);
    writeFileSync(join(app, 'server.json'), readFileSync(GUIDED));
    const out = run(process.execPath, ['example.mjs'], app);
    const [events, data] = out.split('\n');
    expect(events).toBe('NETDEV_STREAM_CONNECTED NETDEV_STREAM_DISCONNECTED NETDEV_STREAM_CONNECTED NETDEV_STREAM_DISCONNECTED');
    expect(data).toBe("{ 'netdev-id': 'n0', addr: { path: 'n0.sock', type: 'unix' } }");
    expect(existsSync(join(app, 'n0.sock'))).toBe(false);

    // One tsc run over the example and a misuse: only the misuse may fail.
    writeFileSync(join(app, 'misuse.mjs'), "import { runScenario } from 'netdev-stream-lab';\nrunScenario({}).events[0].evnt;\n");
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const flags = ['--noEmit', '--allowJs', '--checkJs', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023'];
    const types = ['--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types')];
    const checked = spawnSync(process.execPath, [tsc, ...flags, ...types, 'example.mjs', 'misuse.mjs'], app);
    const errors = checked.stdout.split('\n').filter((l) => /error TS/.test(l));
    expect(errors).toEqual([expect.stringMatching(/^misuse\.mjs\(2,.*Property 'evnt' does not exist on type 'QmpEvent'/)]);
  });

  it('in a source checkout, runs an edit at once: the bin rebuilds a stale bundle, and only then', () => {
    const checkout = join(work, 'src');
    const bin = join(checkout, 'bin/netdev-sim.mjs');
    const bundle = join(checkout, 'dist-cli/netdev-sim.mjs');
    expect(run(process.execPath, [bin, 'help'], checkout)).toContain('List the QEMU releases the simulator models.');
    const built = statSync(bundle).mtimeMs;
    run(process.execPath, [bin, 'releases'], checkout);
    expect(statSync(bundle).mtimeMs, 'no rebuild without an edit').toBe(built);
    const main = join(checkout, 'src/cli/main.ts');
    writeFileSync(main, readFileSync(main, 'utf8').replace('List the QEMU releases the simulator models.', 'List the QEMU releases (edited).'));
    expect(run(process.execPath, [bin, 'help'], checkout)).toContain('List the QEMU releases (edited).');
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(built);
    // The installed package has no sources and no build scripts: it never builds.
    const pkg = join(app, 'node_modules/netdev-stream-lab');
    expect(existsSync(join(pkg, 'scripts')) || existsSync(join(pkg, 'src'))).toBe(false);
  });
});


function spawnSync(cmd: string, args: string[], cwd: string) {
  try {
    return { status: 0, stdout: run(cmd, args, cwd), stderr: '' };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { status: x.status, stdout: x.stdout, stderr: x.stderr };
  }
}