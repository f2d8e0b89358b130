import { describe, expect, it } from 'vitest';
import { loadSchema, type Doc } from '../../src/qapi/index.ts';
import { resolveInclude } from '../../src/qapi/parser.ts';

function docOf(text: string, nameOfDef: string): Doc {
  const r = loadSchema('t.json', () => text);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  const d = r.schema.definitions.find((x) => x.name === nameOfDef);
  if (!d?.doc) throw new Error('no doc');
  return d.doc;
}

describe('doc blocks', () => {
  const doc = docOf(
    `##
# @Point:
#
# A point on a plane.
# Second line of the summary.
#
# More about points.
#
# @x: distance from the left,
#     in pixels.
#
#     A second paragraph about x.
#
# @y: distance from the top.
#
# Text after the members belongs to the body.
#
# Features:
#
# @deprecated: do not use @y.
#
# Notes: first note line
#     continues here.
#
# Since: 9.2
##
{ 'struct': 'Point', 'data': { 'x': 'int', 'y': { 'type': 'int', 'features': [ 'deprecated' ] } } }
`,
    'Point',
  );

  it('splits the summary from the body paragraphs', () => {
    expect(doc.symbol).toBe('Point');
    expect(doc.summary).toBe('A point on a plane.\nSecond line of the summary.');
    expect(doc.body).toBe('More about points.\n\nText after the members belongs to the body.');
  });

  it('collects member text with indented continuation lines, dedented', () => {
    expect(doc.members.map((m) => [m.name, m.text])).toEqual([
      ['x', 'distance from the left,\nin pixels.\n\nA second paragraph about x.'],
      ['y', 'distance from the top.'],
    ]);
  });

  it('knows where each item was written', () => {
    expect(doc.pos).toEqual({ file: 't.json', line: 1, col: 1 });
    expect(doc.members[0]!.pos).toEqual({ file: 't.json', line: 9, col: 3 });
  });

  it('collects features and sections', () => {
    expect(doc.features).toEqual([{ name: 'deprecated', text: 'do not use @y.', pos: { file: 't.json', line: 20, col: 3 } }]);
    expect(doc.sections.map((s) => [s.tag, s.text])).toEqual([
      ['Notes', 'first note line\ncontinues here.'],
      ['Since', '9.2'],
    ]);
  });

  it('refuses a block that names another definition than the one after it', () => {
    const r = loadSchema('t.json', () => `{ 'pragma': { 'doc-required': false } }\n##\n# @E:\n#\n# @a: first.\n#\n# Since: 1.0\n##\n{ 'enum': 'Ee', 'data': [ 'a' ] }\n`);
    expect(r.ok ? [] : r.errors).toEqual(["t.json:2:1: this documentation block is for 'E', but the definition after it is 'Ee'"]);
  });
});

describe('include paths', () => {
  it('resolve against the including file', () => {
    expect(resolveInclude('content/qapi/schema.json', 'net.json')).toBe('content/qapi/net.json');
    expect(resolveInclude('a/b/c.json', '../d.json')).toBe('a/d.json');
    expect(resolveInclude('c.json', 'inc/./d.json')).toBe('inc/d.json');
    expect(resolveInclude('a/c.json', '/abs/d.json')).toBe('/abs/d.json');
  });
});

describe('errors as values', () => {
  it('never throws when the reader fails', () => {
    const r = loadSchema('missing.json', () => {
      throw new Error('no such file');
    });
    expect(r).toEqual({ ok: false, errors: ['missing.json:1:1: cannot read the schema: no such file'] });
  });

  it('says where an object or an array goes wrong after an item: a missing comma, or the end of the file', () => {
    const error = (text: string) => {
      const r = loadSchema('t.json', () => text);
      return r.ok ? null : r.errors;
    };
    expect(error("{ 'enum': 'Colour' 'data': [] }")).toEqual(["t.json:1:20: expected ',' or '}', found a string"]);
    expect(error("{ 'enum': 'Colour', 'data': [ 'red' x ] }")).toEqual(["t.json:1:37: expected ',' or ']', found 'x'"]);
    expect(error("{ 'enum': 'Colour', 'data': [ 'red', 'blue' ] ")).toEqual(['t.json:1:47: the file ends inside an object']);
    expect(error("{ 'enum': 'Colour', 'data': [ 'red'\n")).toEqual(['t.json:2:1: the file ends inside an array']);
  });

  it('reports problems in several files, each with its position, file by file in the order they were read', () => {
    const files: Record<string, string> = {
      'main.json': "{ 'include': 'sub.json' }\n{ 'struct': 'Bad_Name', 'data': {} }\n",
      'sub.json': "\n\n{ 'enum': 'Colour', 'data': [ 'Red' ] }\n",
    };
    const r = loadSchema('main.json', (p) => files[p]!);
    expect(r).toEqual({
      ok: false,
      errors: [
        "main.json:2:13: struct name 'Bad_Name' must be CamelCase",
        "sub.json:3:31: enum value 'Red' must be lower case with '-' between words (or list 'Colour' in pragma 'member-name-exceptions')",
      ],
    });
  });
});
