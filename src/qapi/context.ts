// What every checking pass is given: the schema's pragmas and a place to
// report problems. Passes collect problems instead of stopping at the first.

import type { Pragmas, SourcePos } from './ir.ts';

export interface CheckContext {
  readonly pragmas: Pragmas;
  report(pos: SourcePos, message: string): void;
}

/** Quotes names for a message: 'a', 'b', 'c'. */
export function quoteList(items: readonly string[]): string {
  return items.map((i) => `'${i}'`).join(', ');
}
