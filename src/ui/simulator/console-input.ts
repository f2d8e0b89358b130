/**
 * The QMP console's input language and its completions. A line is either
 * a whole QMP message (`{"execute": ...}`) or a command name followed by
 * its arguments as JSON (`netdev_del {"id": "n0"}`). What QEMU thinks of
 * the command is not checked here: the simulated monitor answers it.
 */
import type { CommandArg, CommandInfo } from '../engine/protocol.ts';

export type ParsedCommand = { ok: true; qmp: unknown } | { ok: false; message: string };

export function parseConsoleInput(text: string): ParsedCommand {
  const t = text.trim();
  if (t === '') return { ok: false, message: 'Type a QMP command first, e.g. query-version.' };
  if (t.startsWith('{')) {
    try {
      return { ok: true, qmp: JSON.parse(t) as unknown };
    } catch (e) {
      return { ok: false, message: `That is not valid JSON: ${(e as Error).message}` };
    }
  }
  const m = /^([A-Za-z_][\w.-]*)\s*([\s\S]*)$/.exec(t);
  if (!m) return { ok: false, message: 'Start with a command name (e.g. query-version) or a whole QMP message in braces.' };
  const [, name, rest] = m;
  if (rest!.trim() === '') return { ok: true, qmp: { execute: name } };
  try {
    return { ok: true, qmp: { execute: name, arguments: JSON.parse(rest!) as unknown } };
  } catch (e) {
    return { ok: false, message: `The arguments after ${name} are not valid JSON: ${(e as Error).message}` };
  }
}

export interface Completion {
  /** What the option shows. */
  label: string;
  detail: string;
  /** The input's whole new value when chosen. */
  value: string;
}

function placeholder(a: CommandArg): string {
  if (a.name === 'type') return '"stream"';
  switch (a.type) {
    case 'str':
      return '""';
    case 'bool':
      return 'false';
    case 'int':
    case 'int64':
    case 'uint32':
    case 'uint64':
    case 'size':
      return '0';
    default:
      return a.type.startsWith('[') ? '[]' : '{}';
  }
}

/** The arguments a command needs, as a JSON object to fill in. */
export function argumentTemplate(c: CommandInfo): string {
  const required = c.args.filter((a) => !a.optional);
  if (required.length === 0) return '';
  return `{${required.map((a) => `"${a.name}": ${placeholder(a)}`).join(', ')}}`;
}

/** Completions for the text typed so far: command names, then argument names. */
export function completionsFor(text: string, commands: CommandInfo[]): Completion[] {
  const head = /^\s*([A-Za-z_][\w.-]*)?$/.exec(text);
  if (head) {
    const prefix = (head[1] ?? '').toLowerCase();
    return commands
      .filter((c) => c.name.toLowerCase().startsWith(prefix) || (prefix.length > 1 && c.name.toLowerCase().includes(prefix)))
      .slice(0, 12)
      .map((c) => {
        const args = argumentTemplate(c);
        return { label: c.name, detail: c.summary, value: args ? `${c.name} ${args}` : c.name };
      });
  }
  const withArgs = /^\s*([A-Za-z_][\w.-]*)\s+(\{[\s\S]*)$/.exec(text);
  if (!withArgs) return [];
  const cmd = commands.find((c) => c.name === withArgs[1]);
  if (!cmd) return [];
  const body = withArgs[2]!;
  // Offer members not written yet, when the text is where a member name can go.
  if (!/[{,]\s*("[\w-]*)?$/.test(body)) return [];
  const typed = /"([\w-]*)$/.exec(body)?.[1] ?? '';
  const present = new Set([...body.matchAll(/"([\w-]+)"\s*:/g)].map((m) => m[1]));
  const base = text.replace(/"[\w-]*$/, '');
  return cmd.args
    .filter((a) => !present.has(a.name) && a.name.startsWith(typed))
    .map((a) => ({
      label: a.name,
      detail: `${a.type}${a.optional ? ', optional' : ''}`,
      value: `${base}"${a.name}": ${placeholder(a)}`,
    }));
}
