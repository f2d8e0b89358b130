/**
 * `netdev-sim qemu` as its own bundle (dist-cli/qemu.mjs, one file, run by
 * bin/netdev-sim.mjs): management software waits for the stand-in's QMP
 * greeting, so it loads the engine and its sockets in one module and
 * nothing of the rest of the command line (scenario schemas, share links,
 * transcript diffs). Same interface as the CLI's bundle (main.ts).
 */
import module from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { nativeHelper } from '../node/native.ts';
import { STAND_IN_RUNTIME_V8_FLAGS } from '../node/node-flags.ts';
import { runQemu } from '../node/qemu.ts';
import { nodeIo, type Io } from './node-io.ts';

export { nodeIo };

/**
 * `argv` as the command line's: argv[0] is "qemu". Once the stand-in has
 * closed its sockets and removed its files, the process ends at once
 * (native helper), as QEMU's does; without the helper the status goes back
 * to the bin, which exits with it.
 */
export async function main(argv: string[], io: Io): Promise<number> {
  // The process is the stand-in's own: it sizes V8's heap for a long run (node-flags.ts).
  for (const flag of STAND_IN_RUNTIME_V8_FLAGS) setFlagsFromString(flag);
  const status = await runQemu(argv.slice(1), { err: io.err, out: io.out });
  // What Node would save at exit (the compile cache), then no teardown.
  module.flushCompileCache?.();
  nativeHelper()?.exitNow(status);
  return status;
}
