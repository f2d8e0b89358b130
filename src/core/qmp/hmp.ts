/**
 * The human monitor behind `human-monitor-command`, as far as it is
 * modelled: `info network` and `info version`, parsed the way
 * monitor/hmp.c parses a command line (handle_hmp_command()), so that
 * mistakes get QEMU's own texts.
 */
import type { Release } from '../releases.ts';

/** What the human monitor reads of the QEMU it belongs to. */
export interface HmpHost {
  readonly release: Release;
  /** The text `info network` prints. */
  infoNetwork(): string;
}

/** A table entry: its name, and its sub-commands or what it prints. */
interface HmpCommand {
  name: string;
  sub?: readonly HmpCommand[];
  run?: (host: HmpHost) => string;
}

/** hmp_info_version(): "%d.%d.%d%s" of the version and the package string, nothing between. */
function infoVersion(host: HmpHost): string {
  const r = host.release;
  return `${r.major}.${r.minor}.${r.build.micro}${r.build.package}\n`;
}

const INFO: readonly HmpCommand[] = [
  { name: 'network', run: (host) => host.infoNetwork() },
  { name: 'version', run: infoVersion },
];

/** Only the modelled part of `info`'s own list (QEMU lists every `info` command). */
const INFO_HELP = 'info network  -- show the network state\ninfo version  -- show the version of QEMU\n';

const COMMANDS: readonly HmpCommand[] = [{ name: 'info', sub: INFO, run: () => INFO_HELP }];

/** qemu_isspace(): C isspace() in the "C" locale. */
const isSpace = (c: string | undefined) => c !== undefined && ' \t\n\v\f\r'.includes(c);

function skipSpaces(line: string, i: number): number {
  while (isSpace(line[i])) i++;
  return i;
}

/**
 * One command line, run as handle_hmp_command() runs it. Every text QEMU
 * prints about the line quotes it from its very start, white space
 * included; a command name ends at white space or '/'.
 */
export function runHmp(host: HmpHost, line: string): string {
  let table = COMMANDS;
  let pos = 0;
  let cmd: HmpCommand | undefined;
  for (;;) {
    // get_command_name()
    const start = skipSpaces(line, pos);
    if (start >= line.length) {
      if (!cmd) return '';
      break;
    }
    let end = start;
    while (end < line.length && line[end] !== '/' && !isSpace(line[end])) end++;
    const name = line.slice(start, end);
    const found = table.find((c) => c.name === name);
    if (!found) return `unknown command: '${line.slice(0, end)}'\n`;
    cmd = found;
    pos = skipSpaces(line, end);
    if (!cmd.sub || pos >= line.length) break;
    table = cmd.sub;
  }
  // monitor_parse_arguments(): the modelled commands take no arguments.
  if (cmd.sub === undefined && pos < line.length) {
    let quoted = pos;
    while (quoted > 0 && isSpace(line[quoted - 1])) quoted--;
    return `${cmd.name}: extraneous characters at the end of line\nTry "help ${line.slice(0, quoted)}" for more information\n`;
  }
  return cmd.run ? cmd.run(host) : '';
}
