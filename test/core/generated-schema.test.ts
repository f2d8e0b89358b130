import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSchemaJson, GENERATED_SCHEMA } from '../../scripts/build-qapi.ts';

describe('the compiled QAPI schema the engine loads', () => {
  it('is up to date with content/qapi (run npm run gen after editing the schema)', () => {
    expect(readFileSync(GENERATED_SCHEMA, 'utf8')).toBe(buildSchemaJson());
  });
});
