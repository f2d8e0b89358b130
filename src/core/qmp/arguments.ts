/**
 * The monitor's argument checks: the QAPI schema decides what a command
 * accepts and how QEMU words a refusal. The engine only talks to this
 * interface, so the checks stay one visitor of the schema.
 */
import type { Release } from '../releases.ts';
import type { Checked } from './types.ts';

export interface ArgumentChecker {
  /**
   * Visits `args` as QMP delivers them to `command` (JSON types are
   * strict). Returns the visited arguments or QEMU's error text.
   */
  command(release: Release, command: string, args: Record<string, unknown>): Checked<Record<string, unknown>>;
  /**
   * A `-netdev` option string from the command line, parsed and visited as
   * QEMU does at start-up (keyval syntax, every scalar a string).
   */
  commandLineNetdev(release: Release, optarg: string): Checked<Record<string, unknown>>;
  /** Writes a netdev object as QEMU's dotted `-netdev` option string. */
  dottedOptions(netdev: Record<string, unknown>): string;
}
