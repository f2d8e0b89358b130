/**
 * Checks content/qapi and writes the checked schema as JSON for the engine
 * and the browser (src/core/qmp/qapi-schema.generated.json).
 * Run with `npm run gen`; a test fails when the file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSchema, schemaToJson } from '../src/qapi/index.ts';

export const QAPI_DIR = new URL('../content/qapi/', import.meta.url).pathname;
export const GENERATED_SCHEMA = new URL('../src/core/qmp/qapi-schema.generated.json', import.meta.url).pathname;

/**
 * The engine needs types, members, conditions and features; documentation
 * and source positions stay with the docs site, keeping the browser bundle small.
 */
export function buildSchemaJson(): string {
  const r = loadSchema('schema.json', (p) => readFileSync(join(QAPI_DIR, p), 'utf8'));
  if (!r.ok) throw new Error(`content/qapi has errors:\n${r.errors.join('\n')}`);
  const json = schemaToJson(r.schema);
  const stripped = JSON.parse(JSON.stringify(json), (key, value: unknown) => {
    if (key === 'pos') return undefined;
    if (key === 'doc') return typeof value === 'string' ? '' : null;
    if (key === 'freeDocs') return [];
    return value;
  }) as typeof json;
  stripped.generated = `${json.generated} Documentation and source positions are left out.`;
  return `${JSON.stringify(stripped)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(GENERATED_SCHEMA, buildSchemaJson());
  console.log(`wrote ${GENERATED_SCHEMA}`);
}
