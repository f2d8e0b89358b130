/**
 * The editor's JSON reading (src/ui/editor/json-locate.ts, on jsonc-parser):
 * strict JSON only, the first error in plain words at its offset, and a
 * scenario issue's path found in the text.
 */
import { describe, expect, it } from 'vitest';
import { locate, parseLocated, pathSegments } from '../../src/ui/editor/json-locate.ts';

const error = (text: string) => {
  const r = parseLocated(text);
  if (r.ok) throw new Error(`${text} parsed`);
  return `${r.offset}: ${r.message}`;
};

describe('reading the editor text as JSON', () => {
  it('reads valid JSON as JSON.parse does', () => {
    const text = '{"scenario": 1, "a": [1, 2.5e3, "x\\u0041", true, null], "a": 2}';
    const r = parseLocated(text);
    expect(r.ok && r.value).toEqual(JSON.parse(text));
  });

  it('says what is wrong and where, in words', () => {
    expect(error('{"scenario": 1, "qemu": "11.1" "steps": []}')).toBe('31: Expected "," or "}" after a member, found "\\"".');
    expect(error('{"a": [1 2]}')).toBe('9: Expected "," or "]" after an item, found "2".');
    expect(error('{"a": 1,}')).toBe('8: A comma before "}" is not allowed in JSON.');
    expect(error('[1,]')).toBe('3: A comma before "]" is not allowed in JSON.');
    expect(error('{"a" 1}')).toBe('5: Expected ":" after the member name, found "1".');
    expect(error('{"a": "x')).toBe('6: This string is never closed (a " is missing).');
    expect(error('{"a": "\\q"}')).toBe('6: Unknown escape in a string.');
    expect(error('// note\n{}')).toBe('0: Comments are not allowed in JSON.');
    expect(error('')).toBe('0: The text ends where a value should be.');
    expect(error('{"a": ')).toBe('6: The text ends where a value should be.');
  });

  it('reads scenario issue paths, odd keys included', () => {
    expect(pathSegments('steps[3].connect.type')).toEqual(['steps', 3, 'connect', 'type']);
    expect(pathSegments('netdevs[0]["odd key"].x')).toEqual(['netdevs', 0, 'odd key', 'x']);
    expect(pathSegments('')).toEqual([]);
  });

  it('finds a member with its key, an item, or the nearest enclosing value that exists', () => {
    const text = '{"scenario": 1, "steps": [{"peer": "", "close": true}]}';
    const r = parseLocated(text);
    if (!r.ok) throw new Error(r.message);
    const at = (p: string) => {
      const s = locate(r.tree, p);
      return text.slice(s.offset, s.offset + s.length);
    };
    expect(at('steps[0].peer')).toBe('"peer": ""');
    expect(at('steps[0]')).toBe('{"peer": "", "close": true}');
    expect(at('steps[0].connect.type')).toBe('{"peer": "", "close": true}');
    expect(at('qemu')).toBe(text);
  });
});
