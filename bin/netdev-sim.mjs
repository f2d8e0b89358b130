#!/usr/bin/env node
// netdev-sim: runs the bundled CLI (dist-cli/netdev-sim.mjs, built by
// scripts/build-cli.mjs) in this process, so the command a user starts is
// the process that gets the signals. Node's compile cache keeps start-up short.
import module from 'node:module';

module.enableCompileCache?.();
let cli;
try {
  cli = await import('../dist-cli/netdev-sim.mjs');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist-cli')) throw e;
  // A source checkout that was never built: build the bundle once.
  const { buildCli } = await import('../scripts/build-cli.mjs');
  await buildCli();
  cli = await import('../dist-cli/netdev-sim.mjs');
}
const argv = process.argv.slice(2);
const status = await cli.main(argv, cli.nodeIo);
// The stand-in QEMU ends at once, as QEMU does, whatever is still open.
if (argv[0] === 'qemu') process.exit(status);
process.exitCode = status;
