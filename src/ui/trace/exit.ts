/**
 * QEMU's end as the stage tells it: the exit status a transcript's last
 * line records, in words (a status above 128 is the shell's way of saying
 * a signal killed the process, as QEMU's crash on a freed netdev does:
 * 139, SIGSEGV), and whether QEMU has gone by a given position.
 */
import type { Trace } from './types.ts';

const SIGNALS: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 11: 'SIGSEGV', 13: 'SIGPIPE', 15: 'SIGTERM' };

/** The signal a status above 128 stands for, or null. */
export function signalOf(status: number): string | null {
  return status > 128 ? (SIGNALS[status - 128] ?? `signal ${status - 128}`) : null;
}

/** One sentence for the caption. */
export function exitSentence(status: number): string {
  const signal = signalOf(status);
  return signal ? `QEMU crashes: killed by ${signal} (exit status ${status})` : `QEMU exits with status ${status}`;
}

/** A few words for the picture's title. */
export function exitWords(status: number): string {
  const signal = signalOf(status);
  return signal ? `crashed (${signal})` : `exited (status ${status})`;
}

/** QEMU's exit status, and the first position at which it has happened. */
export interface QemuExit {
  status: number;
  position: number;
}

/** QEMU's exit in this trace; null when it runs to the end. */
export function exitOf(trace: Trace): QemuExit | null {
  const i = trace.transcript.findIndex((e) => e.kind === 'exit');
  if (i < 0) return null;
  const position = trace.positions.findIndex((p) => p.transcript > i);
  if (position < 0) return null;
  const line = JSON.parse(trace.transcript[i]!.line) as { exit?: unknown };
  return { status: typeof line.exit === 'number' ? line.exit : 1, position };
}
