import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSchemaJson, GENERATED_SCHEMA } from '../../scripts/build-qapi.ts';
import { QAPI_SCHEMA } from '../../src/core/qmp/schema-checker.ts';
import { projectSchema } from '../qapi/helpers.ts';

describe('the compiled QAPI schema (src/qapi/generated/qapi-schema.json)', () => {
  it('is up to date with content/qapi (run npm run gen after editing the schema)', () => {
    expect(readFileSync(GENERATED_SCHEMA, 'utf8')).toBe(buildSchemaJson());
  });

  it('is what the engine checks arguments with, documentation included', () => {
    expect(QAPI_SCHEMA).toEqual(projectSchema());
    expect(QAPI_SCHEMA.definitions.find((d) => d.name === 'NetdevStreamOptions')?.doc?.summary).toMatch(/stream backend/);
  });
});
