/** Transcript lines in the v1 JSON Lines format. */
import type { TranscriptEntry } from '../qmp/types.ts';

export interface TranscriptLine {
  dir?: '->' | '<-';
  msg?: unknown;
  exit?: number;
  stderr?: string;
}

/** The line as the spec writes it (no simulated time, no step index). */
export function toLine(e: TranscriptEntry): TranscriptLine {
  if ('exit' in e) return e.stderr === undefined ? { exit: e.exit } : { exit: e.exit, stderr: e.stderr };
  return { dir: e.dir, msg: e.msg };
}

export function formatTranscript(entries: readonly TranscriptEntry[]): string {
  return entries.map((e) => `${JSON.stringify(toLine(e))}\n`).join('');
}

export type ParsedTranscript = { ok: true; lines: TranscriptLine[] } | { ok: false; error: string };

/** Reads a JSON Lines transcript; blank lines are ignored. */
export function parseTranscript(text: string): ParsedTranscript {
  const lines: TranscriptLine[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.trim();
    if (row === '') continue;
    try {
      const v: unknown = JSON.parse(row);
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return { ok: false, error: `line ${i + 1}: not a JSON object` };
      lines.push(v);
    } catch (e) {
      return { ok: false, error: `line ${i + 1}: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return { ok: true, lines };
}
