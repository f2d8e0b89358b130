// Where something was written, and how a problem about it reads:
// `file:line:col: message`, the one form every pass reports in.

import type { SourcePos } from './ir.ts';

export function formatPos(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

export function errorAt(pos: SourcePos, message: string): string {
  return `${formatPos(pos)}: ${message}`;
}
