#!/usr/bin/env node
/**
 * Bundles the netdev-sim command (src/cli/main.ts and all it imports,
 * dependencies included) into one ES module, dist-cli/netdev-sim.mjs, that
 * needs only Node's builtins and, for `netdev-sim qemu`, the native helper
 * (build/native/netdev-sim.node, loaded at run time if present). The bin
 * (bin/netdev-sim.mjs) runs it in-process: no TypeScript compiled at run
 * time, no child process. Skips the build when the bundle is newer than
 * every source file; --force rebuilds.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = join(root, 'dist-cli/netdev-sim.mjs');

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
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    return false;
  }
  const inputs = Math.max(newestSource(join(root, 'src')), statSync(fileURLToPath(import.meta.url)).mtimeMs, statSync(join(root, 'package-lock.json')).mtimeMs);
  return built > inputs;
}

export async function buildCli({ force = false } = {}) {
  if (!force && bundleIsCurrent()) return BUNDLE;
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    logLevel: 'warning',
    // Bundled CommonJS code, if any, finds require().
    banner: { js: "import { createRequire as __nsCreateRequire } from 'node:module'; const require = __nsCreateRequire(import.meta.url);" },
  });
  return BUNDLE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli({ force: process.argv.includes('--force') });
  process.stderr.write(`built ${BUNDLE}\n`);
}
