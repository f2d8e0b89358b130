/**
 * netdev-sim as a single executable (Node's single executable
 * applications; built by scripts/build-exe.mjs): this script, bundled with
 * everything it imports into one CommonJS file, runs inside a copy of the
 * Node binary, so a machine without Node runs it.
 *
 * The stand-in's native helper travels as the SEA asset "netdev-sim.node".
 * For `qemu` it is written to a private temporary directory, loaded with
 * process.dlopen and the file removed at once (the loaded library stays
 * mapped); when that fails the stand-in runs without it, as on a platform
 * without a prebuilt helper.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAsset, isSea } from 'node:sea';
import { main, nodeIo } from '../cli/main.ts';
import { main as qemuMain } from '../cli/qemu-entry.ts';
import { provideNativeHelper, type NativeHelper } from '../node/native.ts';

function loadNativeAsset(): void {
  let dir: string | null = null;
  try {
    const bytes = getAsset(ASSET);
    dir = mkdtempSync(join(tmpdir(), 'netdev-sim-'));
    const path = join(dir, ASSET);
    writeFileSync(path, new Uint8Array(bytes), { mode: 0o500 });
    const mod = { exports: {} as NativeHelper };
    process.dlopen(mod, path);
    provideNativeHelper(mod.exports);
  } catch {
    // No asset or no loading it: the stand-in says so and runs without.
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

const ASSET = 'netdev-sim.node';

async function start(): Promise<void> {
  // A single executable's own arguments start at argv[2], as under node.
  const argv = process.argv.slice(2);
  if (argv[0] === 'qemu' && isSea() && process.env.NETDEV_SIM_NATIVE === undefined) loadNativeAsset();
  // `qemu` goes through the stand-in's own entry: its V8 sizing and its quick exit.
  const status = await (argv[0] === 'qemu' ? qemuMain : main)(argv, nodeIo);
  // The stand-in QEMU ends at once, as QEMU does, whatever is still open.
  if (argv[0] === 'qemu') process.exit(status);
  process.exitCode = status;
}

void start();
