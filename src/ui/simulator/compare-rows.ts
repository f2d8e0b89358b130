/**
 * Two runs of one scenario lined up row by row for compare mode: lines
 * both runs have (by a longest common subsequence, timestamps aside) share
 * a row; the others are marked as differing, paired when both sides have
 * one at the same place. And a one-line summary of what differs, in the
 * reader's words ("2 lines differ: info network while listening"). Pure.
 */
import type { Trace, TraceEntry } from '../trace/types.ts';
import { comparable, diffLines } from '../views/diff.ts';

export interface Row {
  /** Index of the line on each side, null where that side has none. */
  a: number | null;
  b: number | null;
  differs: boolean;
}

/** Lines in order, common ones side by side, differing ones paired where both sides have one. */
export function alignRows(a: readonly string[], b: readonly string[]): Row[] {
  const d = diffLines(a, b);
  const rows: Row[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const ai = i < a.length && d.a.has(i);
    const bj = j < b.length && d.b.has(j);
    if (ai && bj) rows.push({ a: i++, b: j++, differs: true });
    else if (ai || (i < a.length && j >= b.length)) rows.push({ a: i++, b: null, differs: true });
    else if (bj || (j < b.length && i >= a.length)) rows.push({ a: null, b: j++, differs: true });
    else rows.push({ a: i++, b: j++, differs: false });
  }
  return rows;
}

/** The transcript entries of both runs up to a position, aligned. */
export function transcriptRows(a: readonly TraceEntry[], b: readonly TraceEntry[]): Row[] {
  return alignRows(a.map(comparable), b.map(comparable));
}

/** `info network` text as lines (QEMU ends them with \r\n). */
export function infoLines(text: string): string[] {
  const t = text.replace(/\r\n/g, '\n').replace(/\n$/, '');
  return t === '' ? [] : t.split('\n');
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

function commandLine(e: TraceEntry | undefined): string | null {
  if (!e || e.kind !== 'command') return null;
  try {
    const msg = (JSON.parse(e.line) as { msg?: unknown }).msg;
    const args = isObject(msg) && isObject(msg.arguments) ? msg.arguments : {};
    return typeof args['command-line'] === 'string' ? args['command-line'] : null;
  } catch {
    return null;
  }
}

/** The netdevs' states at a position in short words: "listening", "connected and waiting". */
function statesWord(trace: Trace, position: number): string {
  const p = trace.positions[Math.min(position, trace.last)];
  const words = [...new Set((p?.netdevs ?? []).map((n) => n.state.split('.').pop()!))];
  if (words.length === 0) return 'with no netdev';
  return `while ${words.join(' and ')}`;
}

/** What a transcript line is, for the summary: "the greeting", "info network while listening", "NETDEV_STREAM_CONNECTED". */
export function lineTopic(entries: readonly TraceEntry[], i: number, trace: Trace): string {
  const e = entries[i]!;
  const command = entries.slice(0, i).reverse().find((x) => x.kind === 'command');
  switch (e.kind) {
    case 'greeting':
      return 'the greeting';
    case 'event':
      return e.label;
    case 'exit':
      return "QEMU's exit at start-up";
    case 'command':
      return `the command ${e.label}`;
    case 'return':
    case 'error': {
      const hmp = commandLine(command);
      const what = hmp !== null ? hmp : command ? `the reply to ${command.label}` : 'a reply';
      const tail = hmp !== null ? ` ${statesWord(trace, e.step)}` : '';
      return `${e.kind === 'error' ? `an error (${e.label}) for ` : ''}${what}${tail}`;
    }
  }
}

/** "2 lines differ: the greeting, info network while listening" or "no line differs". */
export function compareSummary(rows: readonly Row[], a: readonly TraceEntry[], b: readonly TraceEntry[], ta: Trace, tb: Trace): string {
  const differing = rows.filter((r) => r.differs);
  if (differing.length === 0) return 'No line differs (timestamps aside)';
  const topics: string[] = [];
  for (const r of differing) {
    const t = r.a !== null ? lineTopic(a, r.a, ta) : lineTopic(b, r.b!, tb);
    if (!topics.includes(t)) topics.push(t);
  }
  const shown = topics.slice(0, 3).join(', ');
  const more = topics.length > 3 ? ` and ${topics.length - 3} more` : '';
  return `${differing.length} line${differing.length === 1 ? '' : 's'} differ${differing.length === 1 ? 's' : ''}: ${shown}${more}`;
}
