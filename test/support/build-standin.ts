/**
 * Vitest global setup: the stand-in's bundle (scripts/build-cli.mjs) and
 * native helper (scripts/build-native.mjs) are built before any test runs
 * bin/netdev-sim.mjs, so tests see the current sources. The native build
 * failing fails the run: the stand-in's backlog and pid-file tests need it.
 */
import { buildCli } from '../../scripts/build-cli.mjs';
import { buildNative } from '../../scripts/build-native.mjs';

export default async function setup(): Promise<void> {
  buildNative({ quiet: true });
  await buildCli();
}
