/**
 * A strict JSON parser that also remembers where every value is, so that a
 * scenario issue's path ("steps[3].connect.type") can be shown at the right
 * place in the editor. Syntax errors say where and what, in plain words.
 */
import { formatPath } from '../../core/scenario/schema.ts';

export interface Span {
  /** Start of the member's key (or of the value, for array items and the root). */
  offset: number;
  length: number;
}

export type Located =
  | { ok: true; value: unknown; spans: Map<string, Span> }
  | { ok: false; offset: number; message: string };

class Fail extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseLocated(text: string): Located {
  const spans = new Map<string, Span>();
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const what = () => (i >= text.length ? 'the end of the text' : JSON.stringify(text[i]));
  const string = (): string => {
    const start = i;
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) throw new Fail(start, 'This string is never closed (a " is missing).');
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c < ' ') throw new Fail(i, 'A string cannot contain a raw line break or control character; write \\n or \\u escapes.');
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else throw new Fail(i, 'Unknown escape in a string.');
      } else {
        out += c;
        i++;
      }
    }
  };
  const value = (path: (string | number)[], keyStart: number | null): unknown => {
    ws();
    const start = i;
    const c = text[i];
    let v: unknown;
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          ws();
          if (text[i] !== '"') throw new Fail(i, `Expected a member name in double quotes, found ${what()}.`);
          const ks = i;
          const key = string();
          ws();
          if (text[i] !== ':') throw new Fail(i, `Expected ":" after the member name "${key}", found ${what()}.`);
          i++;
          obj[key] = value([...path, key], ks);
          ws();
          if (text[i] === ',') {
            i++;
            ws();
            if (text[i] === '}') throw new Fail(i - 1, 'A comma before "}" is not allowed in JSON.');
            continue;
          }
          if (text[i] === '}') {
            i++;
            break;
          }
          throw new Fail(i, `Expected "," or "}" after a member, found ${what()}.`);
        }
      }
      v = obj;
    } else if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') i++;
      else {
        for (;;) {
          arr.push(value([...path, arr.length], null));
          ws();
          if (text[i] === ',') {
            i++;
            ws();
            if (text[i] === ']') throw new Fail(i - 1, 'A comma before "]" is not allowed in JSON.');
            continue;
          }
          if (text[i] === ']') {
            i++;
            break;
          }
          throw new Fail(i, `Expected "," or "]" after an item, found ${what()}.`);
        }
      }
      v = arr;
    } else if (c === '"') {
      v = string();
    } else {
      const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
      if (!m) throw new Fail(i, i >= text.length ? 'The text ends where a value should be.' : `Expected a value (object, array, string, number, true, false or null), found ${what()}.`);
      i += m[0].length;
      v = m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'null' ? null : Number(m[0]);
    }
    const from = keyStart ?? start;
    spans.set(formatPath(path), { offset: from, length: i - from });
    return v;
  };
  try {
    const v = value([], null);
    ws();
    if (i < text.length) throw new Fail(i, `Unexpected ${what()} after the end of the JSON value.`);
    return { ok: true, value: v, spans };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, offset: e.offset, message: e.message };
    throw e;
  }
}

/** Where a path is in the text: itself, or its nearest enclosing value that exists. */
export function locate(spans: Map<string, Span>, path: string): Span {
  let p = path;
  for (;;) {
    const s = spans.get(p);
    if (s) return s;
    if (p === '') return { offset: 0, length: 1 };
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
}
