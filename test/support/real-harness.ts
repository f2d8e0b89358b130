/**
 * Drives `netdev-sim qemu` the way the recordings drove real QEMU, with the
 * project's recorder (src/node/recorder): a real QMP client and real socket
 * peers follow a scenario on the recordings' timeline, in real time, in a
 * private directory with free ports, and the transcript is what crossed
 * the QMP socket, mapped back to the scenario's names.
 */
import type { Scenario } from '../../src/core/scenario/schema.ts';
import type { TranscriptLine } from '../../src/core/transcript/format.ts';
import { parseCommand, type QemuCommand } from '../../src/node/recorder/command.ts';
import { record } from '../../src/node/recorder/record.ts';

const BIN = new URL('../../bin/netdev-sim.mjs', import.meta.url).pathname;

export interface RealRun {
  lines: TranscriptLine[];
  stderr: string;
  /** The stand-in did not exit on quit and had to be killed. */
  stuck?: boolean;
}

/** The stand-in as a QEMU command for the recorder. */
export function standInCommand(release: string): QemuCommand {
  return parseCommand(`'${process.execPath}' '${BIN}' qemu --release ${release}`);
}

export async function runOnRealSockets(scenario: Scenario, release = scenario.qemu): Promise<RealRun> {
  const r = await record(scenario, { command: standInCommand(release) });
  return { lines: r.lines, stderr: r.stderr, stuck: r.notes.some((n) => n.includes('was killed')) };
}
