// The doc pass hands each description to the IR's members and values, so
// that visitors (the reference pages, the editor's hover text) read it there.

import { describe, expect, it } from 'vitest';
import { loadSchema, type Definition, type Schema } from '../../src/qapi/index.ts';
import { readerIn, repoRoot } from './helpers.ts';

function load(file: string): Schema {
  const r = loadSchema(file, readerIn(`${repoRoot}/test/qapi/golden`));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.schema;
}

const def = (s: Schema, name: string): Definition => s.definitions.find((d) => d.name === name)!;

describe('descriptions in the IR', () => {
  const s = load('ok-docs.json');

  it('go to enum values', () => {
    const level = def(s, 'Level');
    expect(level.meta === 'enum' && level.values.map((v) => [v.name, v.doc])).toEqual([
      ['quiet', 'hardly heard.'],
      ['loud', 'heard next door;\ncontinued on an indented line.'],
    ]);
  });

  it('go to struct members, paragraphs kept', () => {
    const sound = def(s, 'Sound');
    expect(sound.meta === 'struct' && sound.members.map((m) => [m.name, m.doc])).toEqual([
      ['level', 'how loud it is.\n\nA second paragraph about @level.'],
      ['pitch', 'in hertz.'],
    ]);
  });

  it("go to the members of a command's, an event's and a union's implicit types", () => {
    const members = (name: string) => {
      const d = def(s, name);
      return d.meta === 'struct' ? d.members.map((m) => [m.name, m.doc]) : null;
    };
    expect(members('q_obj_play-arg')).toEqual([
      ['sound', 'what to play.'],
      ['repeat', 'how many times.'],
    ]);
    expect(members('q_obj_PLAYED-arg')).toEqual([['sound', 'the sound.']]);
    expect(members('q_obj_Voice-base')).toEqual([
      ['kind', 'which branch.'],
      ['volume', 'shared by every branch.'],
    ]);
  });

  it('stay empty where nothing describes them', () => {
    const plain = load('ok-types.json');
    const point = def(plain, 'Point');
    expect(point.meta === 'struct' && point.members.map((m) => m.doc)).toEqual(['', '']);
  });
});
