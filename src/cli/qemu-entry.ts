/**
 * `netdev-sim qemu` as its own bundle (dist-cli/qemu.mjs, one file, run by
 * bin/netdev-sim.mjs): management software waits for the stand-in's QMP
 * greeting, so it loads the engine and its sockets in one module and
 * nothing of the rest of the command line (scenario schemas, share links,
 * transcript diffs). Same interface as the CLI's bundle (main.ts).
 */
import { runQemu } from '../node/qemu.ts';
import { nodeIo, type Io } from './node-io.ts';

export { nodeIo };

/** `argv` as the command line's: argv[0] is "qemu". */
export function main(argv: string[], io: Io): Promise<number> {
  return runQemu(argv.slice(1), { err: io.err, out: io.out });
}
