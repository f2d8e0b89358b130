/**
 * The QMP JSON stream reader (src/core/qmp/json-stream.ts) on its own:
 * bytes in, in any chunks, complete messages or QEMU's parse errors out,
 * and the reader carries on after an error as QEMU's does.
 */
import { describe, expect, it } from 'vitest';
import { QmpJsonStream, type StreamItem } from '../../src/core/qmp/json-stream.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Everything the reader completes when `text` arrives `chunk` bytes at a time. */
function read(text: string, chunk = Infinity): StreamItem[] {
  const bytes = utf8(text);
  const stream = new QmpJsonStream();
  const out: StreamItem[] = [];
  const step = Number.isFinite(chunk) ? chunk : bytes.length || 1;
  for (let at = 0; at < bytes.length; at += step) out.push(...stream.feed(bytes, at, Math.min(bytes.length, at + step)));
  return out;
}

const value = (v: unknown): StreamItem => ({ ok: true, value: v });
const error = (e: string): StreamItem => ({ ok: false, error: e });

describe('the QMP JSON stream reader', () => {
  it('gives one message for one object', () => {
    expect(read('{"execute": "qmp_capabilities"}')).toEqual([value({ execute: 'qmp_capabilities' })]);
  });

  it('gives every message of a chunk in order, with or without whitespace between them', () => {
    expect(read('{"execute": "a"}{"execute": "b"}\r\n\t {"execute": "c"}')).toEqual([
      value({ execute: 'a' }),
      value({ execute: 'b' }),
      value({ execute: 'c' }),
    ]);
  });

  it('waits for the rest of a message that arrived in part, and gives nothing for whitespace alone', () => {
    const s = new QmpJsonStream();
    expect(s.feed('{"execute": "quit", "argu')).toEqual([]);
    expect(s.feed('ments": {}}')).toEqual([value({ execute: 'quit', arguments: {} })]);
    expect(s.feed('  \r\n')).toEqual([]);
  });

  it('gives the same messages whatever the chunks the bytes arrive in, a multi-byte character split included', () => {
    const text = '{"execute": "human-monitor-command", "arguments": {"command-line": "info network é€"}} {"execute": "x"}';
    const whole = read(text);
    expect(whole).toHaveLength(2);
    for (const chunk of [1, 2, 3, 7]) expect(read(text, chunk), `${chunk}-byte chunks`).toEqual(whole);
  });

  it('reads nested objects and arrays, numbers, literals and escapes', () => {
    expect(read('{"a": [1, -2.5, 3e2, true, false, null, {"b": "\\u00e9\\n\\"\\\\"}]}')).toEqual([
      value({ a: [1, -2.5, 300, true, false, null, { b: 'é\n"\\' }] }),
    ]);
  });

  it("accepts QEMU's single-quoted strings", () => {
    expect(read("{'execute': 'query-version'}")).toEqual([value({ execute: 'query-version' })]);
  });

  it('passes top-level values that are not objects on, for the monitor to refuse', () => {
    expect(read('42 "text" [1]')).toEqual([value(42), value('text'), value([1])]);
  });

  it('reports a syntax error with QEMU\'s text and reads the next message', () => {
    expect(read('{"a": }{"execute": "after"}')).toEqual([error('JSON parse error, expecting value'), value({ execute: 'after' })]);
  });

  it('reports a stray control character and reads the message after it', () => {
    expect(read('\u0001{"execute": "after"}')).toEqual([error("JSON parse error, stray '\u0001'"), value({ execute: 'after' })]);
  });

  it('forgets a partial message on reset (a new client connects)', () => {
    const s = new QmpJsonStream();
    expect(s.feed('{"execute": "half')).toEqual([]);
    s.reset();
    expect(s.feed('{"execute": "fresh"}')).toEqual([value({ execute: 'fresh' })]);
  });

  it('takes nesting up to 1024 levels and refuses the 1025th, as QEMU does', () => {
    const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const deep = read(nested(1024));
    expect(deep).toHaveLength(1);
    expect(deep[0]!.ok).toBe(true);
    const tooDeep = read(`${nested(1025)}{"execute": "after"}`);
    expect(tooDeep[0]).toEqual(error('JSON nesting depth limit exceeded'));
    expect(tooDeep.at(-1)).toEqual(value({ execute: 'after' }));
  });
});
