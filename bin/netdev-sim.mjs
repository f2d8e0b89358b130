#!/usr/bin/env node
// netdev-sim: runs the bundled CLI (dist-cli/netdev-sim.mjs, built by
// scripts/build-cli.mjs) in this process, so the command a user starts is
// the process that gets the signals. Node's compile cache keeps start-up short.
//
// In a source checkout (src/ beside bin/) the bundle is rebuilt first when
// it is missing or any source is newer than it, so an edit never runs stale
// code. An installed package has no src/ and never builds.
import { existsSync } from 'node:fs';
import module from 'node:module';

module.enableCompileCache?.();
if (existsSync(new URL('../src/cli/main.ts', import.meta.url))) {
  const { buildCli } = await import('../scripts/build-cli.mjs');
  await buildCli();
}
const argv = process.argv.slice(2);
// The stand-in QEMU has its own one-file bundle: it starts sooner.
const cli = await import(argv[0] === 'qemu' ? '../dist-cli/qemu.mjs' : '../dist-cli/netdev-sim.mjs');
const status = await cli.main(argv, cli.nodeIo);
// The stand-in QEMU ends at once, as QEMU does, whatever is still open.
if (argv[0] === 'qemu') process.exit(status);
process.exitCode = status;
