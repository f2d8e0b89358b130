/**
 * Which transcript lines differ between two runs (the core's line diff),
 * compared without their timestamps, as the transcript normalisation does.
 */
import type { TraceEntry } from '../trace/types.ts';

/** An entry's line without its timestamp object. */
export function comparable(e: TraceEntry): string {
  if (e.kind !== 'event') return e.line;
  try {
    const line = JSON.parse(e.line) as { msg?: Record<string, unknown> };
    if (line.msg) delete line.msg.timestamp;
    return JSON.stringify(line);
  } catch {
    return e.line;
  }
}

export { diffLines, type LineDiff } from '../../core/transcript/line-diff.ts';
