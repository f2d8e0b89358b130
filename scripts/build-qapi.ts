/**
 * Checks content/qapi and writes the one generated file made from it:
 * src/qapi/generated/qapi-schema.json, the checked schema (the IR of
 * src/qapi, documentation and source positions included) as JSON. The
 * engine's argument checks (src/core/qmp/schema-checker.ts), and through
 * them the CLI, the stand-in QEMU and the simulator's worker (console and
 * editor), load it instead of parsing content/qapi again.
 * Run with `npm run gen`; test/core/generated-schema.test.ts fails when it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSchema, schemaToJson } from '../src/qapi/index.ts';

export const QAPI_DIR = new URL('../content/qapi/', import.meta.url).pathname;
export const REPO_ROOT = new URL('../', import.meta.url).pathname;
export const GENERATED_SCHEMA = new URL('../src/qapi/generated/qapi-schema.json', import.meta.url).pathname;

/** The generated file's text, from content/qapi as it is now. */
export function buildSchemaJson(): string {
  // Read from the repository root, so that positions and the header name content/qapi/...
  const r = loadSchema('content/qapi/schema.json', (p) => readFileSync(join(REPO_ROOT, p), 'utf8'));
  if (!r.ok) throw new Error(`content/qapi has errors:\n${r.errors.join('\n')}`);
  return `${JSON.stringify(schemaToJson(r.schema), null, 1)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(GENERATED_SCHEMA, buildSchemaJson());
  console.log(`wrote ${GENERATED_SCHEMA}`);
}
