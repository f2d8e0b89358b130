#!/usr/bin/env node
/**
 * Bundles the package's JavaScript into dist-cli/, dependencies included,
 * needing only Node's builtins at run time:
 *
 *   dist-cli/netdev-sim.mjs   the netdev-sim command (src/cli/main.ts); the
 *                             bin (bin/netdev-sim.mjs) runs it in-process
 *   dist-cli/qemu.mjs         `netdev-sim qemu` alone, in one file (src/cli/
 *                             qemu-entry.ts): the stand-in's start-up loads
 *                             one module and nothing it does not run
 *   dist-cli/lib.mjs          the library entry (src/lib/index.ts)
 *   dist-cli/*-HASH.mjs       code they share, and what `record`, `verify`
 *                             and `qemu` load on demand
 *
 * The stand-in's native helper is loaded at run time if present (see
 * src/node/native.ts). Skips the build when every entry is newer than every
 * source file; --force rebuilds. Each file is written beside its place and
 * renamed into it, chunks before entries, so a process starting during a
 * rebuild reads either the old build or the new one, never half a file.
 */
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(root, 'dist-cli');
export const BUNDLE = join(OUT_DIR, 'netdev-sim.mjs');
export const LIBRARY = join(OUT_DIR, 'lib.mjs');
export const STAND_IN = join(OUT_DIR, 'qemu.mjs');
const ENTRIES = { 'netdev-sim': 'src/cli/main.ts', lib: 'src/lib/index.ts' };
const STAND_IN_ENTRY = 'src/cli/qemu-entry.ts';

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|json|mjs)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function bundleIsCurrent() {
  let built;
  try {
    built = Math.min(statSync(BUNDLE).mtimeMs, statSync(LIBRARY).mtimeMs, statSync(STAND_IN).mtimeMs);
  } catch {
    return false;
  }
  const inputs = Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'content/scenarios')), statSync(fileURLToPath(import.meta.url)).mtimeMs, statSync(join(root, 'package-lock.json')).mtimeMs);
  return built > inputs;
}

/** esbuild options shared with the single executable's build (scripts/build-exe.mjs). */
export const COMMON = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
};

export async function buildCli({ force = false } = {}) {
  if (!force && bundleIsCurrent()) return BUNDLE;
  const esbuild = await import('esbuild');
  const esm = {
    ...COMMON,
    outdir: OUT_DIR,
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    write: false,
    // Bundled CommonJS code, if any, finds require().
    banner: { js: "import { createRequire as __nsCreateRequire } from 'node:module'; const require = __nsCreateRequire(import.meta.url);" },
  };
  const [result, standIn] = await Promise.all([
    esbuild.build({
      ...esm,
      entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, src]) => [name, join(root, src)])),
      splitting: true,
      chunkNames: '[name]-[hash]',
    }),
    esbuild.build({ ...esm, entryPoints: { qemu: join(root, STAND_IN_ENTRY) } }),
  ]);
  mkdirSync(OUT_DIR, { recursive: true });
  const entries = new Set([...Object.keys(ENTRIES).map((name) => join(OUT_DIR, `${name}.mjs`)), STAND_IN]);
  const files = [...result.outputFiles, ...standIn.outputFiles].sort((a, b) => Number(entries.has(a.path)) - Number(entries.has(b.path)));
  for (const f of files) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
  return BUNDLE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli({ force: process.argv.includes('--force') });
  process.stderr.write(`built ${OUT_DIR}\n`);
}
