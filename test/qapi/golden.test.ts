// Golden files: each test/qapi/golden/NAME.json must produce exactly the
// errors in NAME.err (empty for a valid schema). Set UPDATE_GOLDEN=1 to
// rewrite the .err files and the generated schema JSON, then review the diff.

import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSchema, schemaFromJson, schemaToJson } from '../../src/qapi/index.ts';
import { projectSchema, readerIn, repoRoot } from './helpers.ts';

const update = process.env['UPDATE_GOLDEN'] === '1';
const goldenDir = join(repoRoot, 'test', 'qapi', 'golden');
const cases = readdirSync(goldenDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .filter((name) => update || existsSync(join(goldenDir, `${name}.err`)))
  .sort();

describe('schema error golden files', () => {
  it('has at least 20 malformed schemas to check', () => {
    const malformed = cases.filter((name) => readFileSync(join(goldenDir, `${name}.err`), 'utf8').trim() !== '');
    expect(malformed.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of cases) {
    it(`${name}.json reports exactly the errors in ${name}.err`, () => {
      const r = loadSchema(`${name}.json`, readerIn(goldenDir));
      const actual = r.ok ? '' : `${r.errors.join('\n')}\n`;
      const errFile = join(goldenDir, `${name}.err`);
      if (update) writeFileSync(errFile, actual);
      expect(actual).toBe(readFileSync(errFile, 'utf8'));
    });
  }
});

describe('the project schema', () => {
  it('loads from content/qapi without errors', () => {
    const r = loadSchema('content/qapi/schema.json', readerIn(repoRoot));
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it('is committed as generated JSON that matches content/qapi', () => {
    const file = join(repoRoot, 'src', 'qapi', 'generated', 'qapi-schema.json');
    const text = `${JSON.stringify(schemaToJson(projectSchema()), null, 1)}\n`;
    if (update) {
      mkdirSync(join(repoRoot, 'src', 'qapi', 'generated'), { recursive: true });
      writeFileSync(file, text);
    }
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('comes back from its JSON form unchanged', () => {
    const json = JSON.parse(JSON.stringify(schemaToJson(projectSchema()))) as unknown;
    const back = schemaFromJson(json);
    expect(back.ok && back.schema).toEqual(projectSchema());
  });

  it('refuses JSON of another format or version', () => {
    expect(schemaFromJson({ format: 'something-else', version: 1, schema: {} }).ok).toBe(false);
    const json = { ...schemaToJson(projectSchema()), version: 99 };
    expect(schemaFromJson(json)).toEqual({ ok: false, error: 'version 99 is not supported (expected 1)' });
  });
});
