// The checked schema as JSON, so the browser can load it without parsing the
// schema sources again. The IR is plain data; this adds a header that says
// what the file is and from what it was made.

import type { Schema } from './ir.ts';

export const SCHEMA_JSON_FORMAT = 'netdev-stream-lab/qapi-ir';
export const SCHEMA_JSON_VERSION = 1;

export interface SchemaJson {
  format: typeof SCHEMA_JSON_FORMAT;
  version: typeof SCHEMA_JSON_VERSION;
  /** Says the file is generated and from what, since JSON has no comments. */
  generated: string;
  schema: Schema;
}

export function schemaToJson(schema: Schema): SchemaJson {
  return {
    format: SCHEMA_JSON_FORMAT,
    version: SCHEMA_JSON_VERSION,
    generated: `Generated from ${schema.files.join(', ')} by src/qapi (schemaToJson). Do not edit.`,
    schema: JSON.parse(JSON.stringify(schema)) as Schema,
  };
}

export type SchemaFromJsonResult = { ok: true; schema: Schema } | { ok: false; error: string };

/** Accepts what schemaToJson produced (after a JSON round trip). */
export function schemaFromJson(json: unknown): SchemaFromJsonResult {
  if (typeof json !== 'object' || json === null) return { ok: false, error: 'not a JSON object' };
  const j = json as Partial<SchemaJson>;
  if (j.format !== SCHEMA_JSON_FORMAT) return { ok: false, error: `format is not '${SCHEMA_JSON_FORMAT}'` };
  if (j.version !== SCHEMA_JSON_VERSION) return { ok: false, error: `version ${String(j.version)} is not supported (expected ${SCHEMA_JSON_VERSION})` };
  const s = j.schema;
  if (typeof s !== 'object' || s === null || !Array.isArray(s.definitions) || !Array.isArray(s.files) || typeof s.entry !== 'string') {
    return { ok: false, error: 'schema member is malformed' };
  }
  return { ok: true, schema: s };
}
