// Entry point of the QAPI tool: load a schema, then ask it questions.
//
//   const r = loadSchema('content/qapi/schema.json', readFile);
//   if (r.ok) effectiveMembers(r.schema, 'NetdevStreamOptions', releaseCond('10.0'));

import type { Schema } from './ir.ts';
import { checkSchema } from './check.ts';
import { parseSchemaFiles, type ReadFile } from './parser.ts';

export type * from './ir.ts';
export type { ReadFile } from './parser.ts';
export * from './query.ts';
export { schemaToJson, schemaFromJson, type SchemaJson } from './schema-json.ts';
export { visitInput, visitCommandArguments, type VisitOptions, type VisitResult } from './input-visitor.ts';
export { parseKeyval, toDottedOptions, type KeyvalObject, type KeyvalResult, type KeyvalValue } from './keyval.ts';
export { qdictKeyOrder } from './qdict-order.ts';

export type LoadResult = { ok: true; schema: Schema } | { ok: false; errors: string[] };

/**
 * Reads `entryFile` (and its includes) through `readFile`, checks it and
 * returns the IR, or every problem found as `file:line:col: message`,
 * ordered by file (in inclusion order) and position.
 */
export function loadSchema(entryFile: string, readFile: ReadFile): LoadResult {
  const parsed = parseSchemaFiles(entryFile, readFile);
  const { schema, errors } = checkSchema(entryFile, parsed);
  if (errors.length) return { ok: false, errors: sortErrors(errors, schema.files) };
  return { ok: true, schema };
}

function sortErrors(errors: string[], files: string[]): string[] {
  const key = (e: string) => {
    const m = /^(.*?):(\d+):(\d+): /.exec(e);
    if (!m) return [files.length, 0, 0] as const;
    const fileIndex = files.indexOf(m[1]!);
    return [fileIndex < 0 ? files.length : fileIndex, Number(m[2]), Number(m[3])] as const;
  };
  const unique = [...new Set(errors)];
  return unique
    .map((e, i) => ({ e, i, k: key(e) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i)
    .map((x) => x.e);
}
