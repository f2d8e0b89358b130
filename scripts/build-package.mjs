#!/usr/bin/env node
/**
 * Everything `npm pack` ships that is built (run as `prepack`):
 *
 *   dist-cli/                 the command and the library, bundled afresh
 *                             (scripts/build-cli.mjs)
 *   dist-cli/types/*.d.ts     the library's declarations (tsc, tsconfig.lib.json),
 *                             checked to stand alone
 *   prebuilds/linux-x64/      the stand-in's native helper, built here when
 *                             this machine is linux-x64 (scripts/build-native.mjs)
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli, OUT_DIR } from './build-cli.mjs';
import { buildNative } from './build-native.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (t) => process.stderr.write(`build-package: ${t}\n`);

export async function buildPackage() {
  rmSync(OUT_DIR, { recursive: true, force: true });
  await buildCli({ force: true });
  say('bundled dist-cli/');

  const emitted = join(root, 'build/types');
  rmSync(emitted, { recursive: true, force: true });
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.lib.json')], { stdio: 'inherit', cwd: root });
  const typesDir = join(OUT_DIR, 'types');
  mkdirSync(typesDir, { recursive: true });
  const libTypes = join(emitted, 'lib');
  for (const f of readdirSync(libTypes).filter((n) => n.endsWith('.d.ts'))) {
    // Import specifiers name the .js a consumer's TypeScript maps to these .d.ts files.
    const text = readFileSync(join(libTypes, f), 'utf8').replace(/(from\s+'\.\/[\w-]+)\.ts'/g, "$1.js'");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      const spec = m[1];
      if (!/^\.\/[\w-]+\.js$/.test(spec) && !spec.startsWith('node:')) {
        throw new Error(`dist-cli/types/${f} imports ${spec}: the declarations must stand alone (use the types in src/lib/types.ts)`);
      }
    }
    writeFileSync(join(typesDir, f), text);
  }
  say('wrote dist-cli/types/');

  const prebuilds = join(root, 'prebuilds');
  rmSync(prebuilds, { recursive: true, force: true });
  if (process.platform === 'linux' && process.arch === 'x64') {
    const built = buildNative({ force: true, quiet: true });
    mkdirSync(join(prebuilds, 'linux-x64'), { recursive: true });
    copyFileSync(built, join(prebuilds, 'linux-x64/netdev-sim.node'));
    say('built prebuilds/linux-x64/netdev-sim.node');
  } else {
    say(`warning: this is ${process.platform}-${process.arch}; the package gets no prebuilt native helper (the stand-in runs without it)`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildPackage();
