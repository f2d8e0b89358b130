// Errors are values: whatever the input, the tool answers instead of throwing.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSchema, parseKeyval, releaseCond, visitCommandArguments } from '../../src/qapi/index.ts';
import { projectSchema } from './helpers.ts';

const schemaText = fc.oneof(
  fc.string(),
  fc.array(fc.constantFrom("{ 'struct': 'Foo', 'data': { 'a': 'int' } }", "{ 'enum': 'E', 'data': [ 'x' ] }", '##\n# @Foo:\n#\n# Since: 1.0\n##', "{ 'include': 'x.json' }", "{ 'union': 'U', 'base': { 'type': 'E' }, 'discriminator': 'type', 'data': { 'x': 'Foo' } }", '{', "'", '#', '[', "'if'", ':', ','), { maxLength: 12 }).map((parts) => parts.join('\n')),
);

describe('robustness', () => {
  it('loadSchema never throws and every error carries file:line:col', () => {
    fc.assert(
      fc.property(schemaText, (text) => {
        const r = loadSchema('t.json', (p) => (p === 't.json' ? text : "{ 'struct': 'Inc', 'data': {} }"));
        if (!r.ok) for (const e of r.errors) expect(e).toMatch(/^[^:]+:\d+:\d+: /);
      }),
      { numRuns: 500 },
    );
  });

  it('visitCommandArguments never throws on JSON input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('7.2', '10.0', '11.1'), (args, release) => {
        const r = visitCommandArguments(projectSchema(), 'netdev_add', args, { cond: releaseCond(release) });
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('parseKeyval never throws', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(typeof parseKeyval(s, 'type').ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
