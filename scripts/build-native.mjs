#!/usr/bin/env node
/**
 * Builds the stand-in's native helper, native/netdev-sim.c and loop.c, into
 * build/native/netdev-sim.node with the system's C compiler and the
 * Node-API headers of the node-api-headers package (no node-gyp, no
 * install script). Linked with -z now: every symbol it takes from Node
 * (Node-API, a few libuv functions) is resolved when it loads, so a Node
 * without one refuses the module at once and the stand-in runs without it. Skips the build when the output is newer than its
 * inputs. Exit status 1, with the compiler's message, when it fails; the
 * stand-in then runs without it (see src/node/native.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE = join(root, 'native/netdev-sim.c');
/** Every file of the helper: the sources compiled together and the header they share. */
export const SOURCES = ['netdev-sim.c', 'loop.c'].map((f) => join(root, 'native', f));
const INPUTS = [...SOURCES, join(root, 'native/netdev-sim.h')];
export const OUTPUT = join(root, 'build/native/netdev-sim.node');
const headers = join(root, 'node_modules/node-api-headers/include');

const mtime = (p) => {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return -1;
  }
};

export function buildNative({ force = false, quiet = false } = {}) {
  if (!force && mtime(OUTPUT) > Math.max(...INPUTS.map(mtime), mtime(import.meta.filename))) return OUTPUT;
  mkdirSync(dirname(OUTPUT), { recursive: true });
  const cc = process.env.CC || 'cc';
  const tmp = `${OUTPUT}.${process.pid}.tmp`;
  execFileSync(cc, ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-Wno-unused-parameter', '-std=gnu11', `-I${headers}`, '-Wl,-z,now', '-o', tmp, ...SOURCES], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  renameSync(tmp, OUTPUT);
  if (!quiet) process.stderr.write(`built ${OUTPUT}\n`);
  return OUTPUT;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    buildNative({ force: process.argv.includes('--force') });
  } catch {
    process.stderr.write('build-native: the C compiler failed (see above); netdev-sim qemu will run without its native helper\n');
    process.exit(1);
  }
}
