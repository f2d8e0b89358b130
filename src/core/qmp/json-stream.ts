/**
 * QMP input as QEMU reads it (qobject/json-lexer.c, json-streamer.c,
 * json-parser.c): a byte stream split into JSON values by counting braces
 * and brackets, each parsed on its own. Lexical and syntax errors become
 * QEMU's "JSON parse error, ..." texts; the stream carries on after them.
 *
 * QEMU's lexer also takes single-quoted strings, which this reader does too.
 */

export type StreamItem = { ok: true; value: unknown } | { ok: false; error: string };

type Token =
  | { t: '{' | '}' | '[' | ']' | ':' | ',' }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number; text: string }
  | { t: 'kw'; v: string };

/** QEMU's limits on one message. */
const MAX_TOKEN_SIZE = 64 << 20;
const MAX_TOKEN_COUNT = 2 << 20;
const MAX_NESTING = 1 << 10;

export class QmpJsonStream {
  private buf = '';
  private pos = 0;
  private tokens: Token[] = [];
  private depth = 0;
  private size = 0;

  /** Feeds text; returns the values (or errors) completed by it. */
  feed(text: string): StreamItem[] {
    this.buf = this.buf.slice(this.pos) + text;
    this.pos = 0;
    const out: StreamItem[] = [];
    for (;;) {
      const r = this.nextToken();
      if (r === null) break;
      if ('error' in r) {
        this.reset();
        out.push({ ok: false, error: r.error });
        continue;
      }
      const tok = r.token;
      if (tok.t === '{' || tok.t === '[') this.depth++;
      if (tok.t === '}' || tok.t === ']') this.depth--;
      this.tokens.push(tok);
      this.size += r.length;
      if (this.depth <= 0) {
        out.push(parseTokens(this.tokens));
        this.reset();
      } else if (this.size > MAX_TOKEN_SIZE) {
        this.reset();
        out.push({ ok: false, error: 'JSON token size limit exceeded' });
      } else if (this.tokens.length > MAX_TOKEN_COUNT) {
        this.reset();
        out.push({ ok: false, error: 'JSON token count limit exceeded' });
      } else if (this.depth > MAX_NESTING) {
        this.reset();
        out.push({ ok: false, error: 'JSON nesting depth limit exceeded' });
      }
    }
    return out;
  }

  private reset(): void {
    this.tokens = [];
    this.depth = 0;
    this.size = 0;
  }

  /** The next complete token, null when more input is needed. */
  private nextToken(): { token: Token; length: number } | { error: string } | null {
    const s = this.buf;
    let i = this.pos;
    while (i < s.length && ' \t\r\n'.includes(s[i]!)) i++;
    this.pos = i;
    if (i >= s.length) return null;
    const c = s[i]!;
    if ('{}[]:,'.includes(c)) {
      this.pos = i + 1;
      return { token: { t: c as '{' }, length: 1 };
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let v = '';
      while (j < s.length && s[j] !== c) {
        if (s[j] === '\\') {
          if (j + 1 >= s.length) return null;
          const e = s[j + 1]!;
          const simple: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e in simple) {
            v += simple[e];
            j += 2;
          } else if (e === 'u') {
            if (j + 6 > s.length) return null;
            const hex = s.slice(j + 2, j + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) return this.stray(i, j + 2);
            v += String.fromCharCode(parseInt(hex, 16));
            j += 6;
          } else {
            return this.stray(i, j + 2);
          }
        } else if (s.charCodeAt(j) < 0x20) {
          return this.stray(i, j + 1);
        } else {
          v += s[j];
          j++;
        }
      }
      if (j >= s.length) return null;
      this.pos = j + 1;
      return { token: { t: 'str', v }, length: j + 1 - i };
    }
    const num = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i, i + 400));
    if (num && num[0] !== '-') {
      const end = i + num[0].length;
      if (end >= s.length) return null; // a number may go on in the next chunk
      this.pos = end;
      return { token: { t: 'num', v: Number(num[0]), text: num[0] }, length: num[0].length };
    }
    const kw = /^[a-zA-Z]+/.exec(s.slice(i, i + 64));
    if (kw) {
      const end = i + kw[0].length;
      if (end >= s.length) return null;
      this.pos = end;
      return { token: { t: 'kw', v: kw[0] }, length: kw[0].length };
    }
    return this.stray(i, i + 1);
  }

  private stray(from: number, to: number): { error: string } {
    const text = this.buf.slice(from, to);
    this.pos = to;
    return { error: `JSON parse error, stray '${text}'` };
  }
}

class SyntaxErr extends Error {}

function parseTokens(tokens: readonly Token[]): StreamItem {
  let i = 0;
  const fail = (msg: string): never => {
    throw new SyntaxErr(`JSON parse error, ${msg}`);
  };
  const value = (): unknown => {
    const tok = tokens[i];
    if (!tok) return fail('premature end of input');
    switch (tok.t) {
      case '{': {
        i++;
        const obj: Record<string, unknown> = {};
        if (tokens[i]?.t === '}') {
          i++;
          return obj;
        }
        for (;;) {
          const k = tokens[i];
          if (!k || k.t !== 'str') return fail('key is not a string in object');
          i++;
          if (tokens[i]?.t !== ':') return fail('missing : in object pair');
          i++;
          obj[k.v] = value();
          const sep = tokens[i];
          i++;
          if (sep?.t === '}') return obj;
          if (sep?.t !== ',') return fail('expected separator in dict');
        }
      }
      case '[': {
        i++;
        const list: unknown[] = [];
        if (tokens[i]?.t === ']') {
          i++;
          return list;
        }
        for (;;) {
          list.push(value());
          const sep = tokens[i];
          i++;
          if (sep?.t === ']') return list;
          if (sep?.t !== ',') return fail('expected separator in list');
        }
      }
      case 'str':
        i++;
        return tok.v;
      case 'num':
        i++;
        return tok.v;
      case 'kw':
        i++;
        if (tok.v === 'true') return true;
        if (tok.v === 'false') return false;
        if (tok.v === 'null') return null;
        return fail(`invalid keyword '${tok.v}'`);
      default:
        return fail('expecting value');
    }
  };
  try {
    const v = value();
    if (i < tokens.length) return { ok: false, error: 'JSON parse error, expecting value' };
    return { ok: true, value: v };
  } catch (e) {
    if (e instanceof SyntaxErr) return { ok: false, error: e.message };
    throw e;
  }
}

/**
 * QEMU's JSON output (qobject/json-writer.c, compact form): ", " and ": "
 * separators, non-ASCII and control characters as \uXXXX.
 */
export function qemuJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(qemuJson).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${quote(k)}: ${qemuJson(v)}`)
    .join(', ')}}`;
}

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
        else if (code > 0x7f && code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
        else if (code > 0xffff) {
          const v = code - 0x10000;
          out += `\\u${(0xd800 + (v >> 10)).toString(16)}\\u${(0xdc00 + (v & 0x3ff)).toString(16)}`;
        } else out += ch;
    }
  }
  return `${out}"`;
}
