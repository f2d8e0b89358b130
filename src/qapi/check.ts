// Parsed expressions -> checked, normalised IR, in passes like QEMU's
// scripts/qapi: each expression on its own (expr.ts, with names.ts and
// expr-parts.ts), then the schema as a whole with its references resolved
// (schema.ts), then the doc blocks against the definitions (doc-check.ts).
// Every pass reports problems as `file:line:col: message` and goes on.

import type { Schema } from './ir.ts';
import type { CheckContext } from './context.ts';
import { checkDocs, placeFreeDocs } from './doc-check.ts';
import { checkExpressions } from './expr.ts';
import type { ParseOutput } from './parser.ts';
import { buildSchema } from './schema.ts';
import { errorAt } from './source.ts';

export interface CheckOutput {
  schema: Schema;
  errors: string[];
}

export function checkSchema(entry: string, parsed: ParseOutput): CheckOutput {
  const errors: string[] = [...parsed.errors];
  const ctx: CheckContext = { pragmas: parsed.pragmas, report: (pos, message) => errors.push(errorAt(pos, message)) };
  const checked = checkExpressions(ctx, parsed.exprs);
  const { definitions, byName } = buildSchema(ctx, checked);
  checkDocs(ctx, checked.exprs, byName);
  const freeDocs = placeFreeDocs(parsed.freeDocs, parsed.exprs);
  return { schema: { entry, files: parsed.files, pragmas: parsed.pragmas, definitions, freeDocs }, errors };
}
