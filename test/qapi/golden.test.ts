// Golden files, like QEMU's tests/qapi-schema: each test/qapi/golden/NAME.json
// must produce exactly the errors in NAME.err; a valid one (empty .err) must
// also produce exactly the IR dump in NAME.out. The project's own schema
// (content/qapi) has its dump in content-qapi.out. Set UPDATE_GOLDEN=1 to
// rewrite the .err and .out files, then review the diff.

import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSchema, schemaFromJson, schemaToJson } from '../../src/qapi/index.ts';
import { dumpSchema } from '../../src/qapi/ir-dump.ts';
import { projectSchema, readerIn, repoRoot } from './helpers.ts';

const update = process.env['UPDATE_GOLDEN'] === '1';
const goldenDir = join(repoRoot, 'test', 'qapi', 'golden');
const cases = readdirSync(goldenDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

/** Compares with a golden file, or rewrites it under UPDATE_GOLDEN=1. */
function expectGolden(file: string, actual: string): void {
  if (update) writeFileSync(file, actual);
  expect(existsSync(file), `${file} is missing; run UPDATE_GOLDEN=1 npx vitest run test/qapi/golden.test.ts`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const isValid = (name: string) => existsSync(join(goldenDir, `${name}.err`)) && readFileSync(join(goldenDir, `${name}.err`), 'utf8') === '';

describe('schema golden files', () => {
  it('has at least 20 malformed schemas to check', () => {
    expect(cases.filter((name) => !isValid(name)).length).toBeGreaterThanOrEqual(20);
  });

  for (const name of cases) {
    const sentence = isValid(name) ? `${name}.json loads without errors and dumps exactly ${name}.out` : `${name}.json reports exactly the errors in ${name}.err`;
    it(sentence, () => {
      const r = loadSchema(`${name}.json`, readerIn(goldenDir));
      expectGolden(join(goldenDir, `${name}.err`), r.ok ? '' : `${r.errors.join('\n')}\n`);
      const outFile = join(goldenDir, `${name}.out`);
      if (r.ok) {
        expectGolden(outFile, dumpSchema(r.schema));
      } else {
        if (update) rmSync(outFile, { force: true });
        expect(existsSync(outFile), `${name} has errors, so it has no IR to keep in ${name}.out`).toBe(false);
      }
    });
  }

  it('the valid ones exercise every construct of the schema language', () => {
    const dumps = cases.filter(isValid).map((name) => readFileSync(join(goldenDir, `${name}.out`), 'utf8'));
    const all = dumps.join('\n');
    const constructs: [string, RegExp][] = [
      ['an enum with a prefix', /^enum \S+\n {4}prefix /m],
      ['an enum value with an if', /^ {4}member \S+\n {8}if /m],
      ['an enum value with a feature', /^ {4}member [^:\n]+\n(?: {8}if .*\n)? {8}feature /m],
      ['a struct with a base', /^object (?!q_obj_)\S+\n {4}base \S+\n {4}member /m],
      ['a member with an if and features', /^ {4}member .*: .*\n {8}if .*\n {8}feature /m],
      ['an array member', /^ {4}member \S+: \[\S+\] /m],
      ['a flat union with a named base', /^object \S+\n {4}base (?!q_obj_)\S+\n {4}tag /m],
      ['a flat union with an inline base', /^object \S+\n {4}base q_obj_\S+-base\n {4}tag /m],
      ['a union branch with an if', /^ {4}case .*\n {8}if /m],
      ['an alternate', /^alternate \S+\n {4}case /m],
      ['a compound condition', /if \{'all': \[.*\{'not': /],
      ['an any condition', /if \{'any': /],
      ['a feature with an if', /^ +feature \S+\n +if /m],
      ['a command without data', /^command \S+ None -> None/m],
      ['a command with inline arguments', /^command \S+ q_obj_\S+-arg -> /m],
      ['a command with boxed data', /^command .*\n {4}.*boxed=true/m],
      ['a command returning a list', /^command .* -> \[\S+\]$/m],
      ['allow-oob', /oob=true/],
      ['allow-preconfig', /preconfig=true/],
      ['coroutine', /coroutine=true/],
      ['success-response false', /success_response=false/],
      ['gen false', /gen=false/],
      ['an event without data', /^event \S+ None$/m],
      ['an event with inline data', /^event \S+ q_obj_\S+-arg$/m],
      ['a boxed event', /^event .*\n {4}boxed=true/m],
      ['a definition with an if', /^ {4}if /m],
      ['an include', /^module inc\//m],
      ['a free-form doc block', /^doc freeform/m],
      ['a doc block with features and sections', /^ {4}feature=[\s\S]*^ {4}section=Since/m],
      ['a Returns: section', /^ {4}section=Returns$/m],
      ['an Errors: section', /^ {4}section=Errors$/m],
      ['a Notes: section', /^ {4}section=Notes$/m],
      ['an Example: section', /^ {4}section=Example$/m],
      ['pragmas', /^pragma command-name-exceptions [\s\S]*^pragma command-returns-exceptions /m],
    ];
    const missing = constructs.filter(([, re]) => !re.test(all)).map(([what]) => what);
    expect(missing).toEqual([]);
  });
});

describe('the project schema', () => {
  it('loads from content/qapi without errors', () => {
    const r = loadSchema('content/qapi/schema.json', readerIn(repoRoot));
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it('dumps exactly the IR in content-qapi.out', () => {
    expectGolden(join(goldenDir, 'content-qapi.out'), dumpSchema(projectSchema()));
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
