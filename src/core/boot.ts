/**
 * QEMU's start-up for `-netdev` options: every option is parsed first
 * (keyval syntax and the QAPI visitor; a failure stops QEMU before its QMP
 * socket exists), then net_init_clients() creates the netdevs in order (a
 * failure stops QEMU after the QMP socket exists, before any greeting).
 */
import { QEMU_BINARY, type Engine } from './engine.ts';
import { visitedStreamOptions, type StreamOptions } from './netdev/stream-logic.ts';
import { idWellFormed } from './qmp/monitor.ts';

export type BootResult =
  | { ok: true; ids: string[] }
  /** QEMU printed `line` and exited with status 1. */
  | { ok: false; line: string; beforeQmpSocket: boolean }
  /** Something the simulator does not model (not a QEMU error). */
  | { ok: 'declined'; index: number; message: string };

export interface ParsedNetdev {
  id: string;
  options: StreamOptions;
  optarg: string;
}

export type ParseResult = { ok: true; netdevs: ParsedNetdev[] } | Exclude<BootResult, { ok: true }>;

const exit = (optarg: string, message: string, beforeQmpSocket: boolean): Exclude<BootResult, { ok: true }> => ({
  ok: false,
  line: `${QEMU_BINARY}: -netdev ${optarg}: ${message}`,
  beforeQmpSocket,
});

export function bootNetdevs(engine: Engine, optargs: readonly string[]): BootResult {
  const parsed = parseNetdevs(engine, optargs);
  if (parsed.ok !== true) return parsed;
  return initNetdevs(engine, parsed.netdevs);
}

/** Phase one, while QEMU reads its command line: syntax and the QAPI visitor. */
export function parseNetdevs(engine: Engine, optargs: readonly string[]): ParseResult {
  const parsed: ParsedNetdev[] = [];
  for (const [index, optarg] of optargs.entries()) {
    const r = engine.checker.commandLineNetdev(engine.release, optarg);
    if (!r.ok) return exit(optarg, r.error, true);
    if (r.value.type !== 'stream') {
      return {
        ok: 'declined',
        index,
        message: `netdev-sim simulates only "stream" netdevs, not ${JSON.stringify(r.value.type)}`,
      };
    }
    const { id, type: _type, ...options } = r.value;
    parsed.push({ id: String(id), options: visitedStreamOptions(options), optarg });
  }
  return { ok: true, netdevs: parsed };
}

/** Phase two, net_init_clients(): identifiers, duplicates, the backend's own checks. */
export function initNetdevs(engine: Engine, parsed: readonly ParsedNetdev[]): BootResult {
  const seen = new Set<string>();
  for (const p of parsed) {
    let problem: string | null;
    if (!idWellFormed(p.id)) problem = "Parameter 'id' expects an identifier";
    else if (seen.has(p.id)) problem = `Duplicate ID '${p.id}'`;
    else problem = engine.optionError(p.options);
    if (problem) return exit(p.optarg, problem, false);
    seen.add(p.id);
    engine.createNetdev(p.id, p.options, true);
  }
  for (const p of parsed) engine.stderrLine(`${QEMU_BINARY}: warning: netdev ${p.id} has no peer`);
  return { ok: true, ids: parsed.map((p) => p.id) };
}
