/**
 * QEMU's JSON streamer and parser (qobject/json-streamer.c,
 * json-parser.c), fed one token at a time.
 *
 * The streamer counts braces and brackets; a message ends when both counts
 * are back to zero or one goes negative, and is then parsed. QEMU parses
 * the queued tokens by recursive descent; here the same descent runs as the
 * tokens arrive (an explicit stack instead of recursion), so a message
 * never sits in memory twice and no token list grows with the input. The
 * first error wins, in the order QEMU's descent would meet it, and is
 * reported when the message ends, as QEMU does.
 */
import { decodeModifiedUtf8, modUtf8Codepoint, isValidCodepoint } from './mod-utf8.ts';
import { JsonLexer, MAX_TOKEN_SIZE, Tok, type StringPrefix } from './json-lexer.ts';

export type StreamItem = { ok: true; value: unknown } | { ok: false; error: string };

/** QEMU's limits on one message (json-streamer.c). */
export const MAX_MESSAGE_SIZE = MAX_TOKEN_SIZE;
export const MAX_TOKEN_COUNT = 2 << 20;
export const MAX_NESTING = 1 << 10;

type Obj = Record<string, unknown>;

type Frame =
  | { kind: 'object'; value: Obj; step: 'first' | 'key' | 'colon' | 'value' | 'separator'; key: string }
  | { kind: 'array'; value: unknown[]; step: 'first' | 'value' | 'separator' };

class ParseError extends Error {}

/** One message's parse, token by token. */
class MessageParser {
  private stack: Frame[] = [];
  private result: { value: unknown } | null = null;
  private error: string | null = null;

  token(type: Tok, bytes: Uint8Array, prefix: StringPrefix | null = null): void {
    if (this.error !== null) return;
    try {
      this.step(type, bytes, prefix);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.error = e.message;
    }
  }

  finish(): StreamItem {
    if (this.error !== null) return { ok: false, error: this.error };
    if (this.result === null) return { ok: false, error: 'JSON parse error, premature EOI' };
    return { ok: true, value: this.result.value };
  }

  private step(type: Tok, bytes: Uint8Array, prefix: StringPrefix | null): void {
    const top = this.stack[this.stack.length - 1];
    if (top?.kind === 'object') {
      if (top.step === 'first' && type === Tok.RCurly) return this.close();
      if (top.step === 'colon') {
        if (type !== Tok.Colon) fail('missing : in object pair');
        top.step = 'value';
        return;
      }
      if (top.step === 'separator') {
        if (type === Tok.RCurly) return this.close();
        if (type !== Tok.Comma) fail('expected separator in dict');
        top.step = 'key';
        return;
      }
      if (top.step === 'first') top.step = 'key';
    } else if (top?.kind === 'array') {
      if (top.step === 'first' && type === Tok.RSquare) return this.close();
      if (top.step === 'separator') {
        if (type === Tok.RSquare) return this.close();
        if (type !== Tok.Comma) fail('expected separator in list');
        top.step = 'value';
        return;
      }
      top.step = 'value';
    } else if (this.result !== null) {
      // The streamer ends a message when its first value does.
      fail('expecting value');
    }
    this.startValue(type, bytes, prefix);
  }

  /** parse_value(): the token starts a value. */
  private startValue(type: Tok, bytes: Uint8Array, prefix: StringPrefix | null): void {
    switch (type) {
      case Tok.LCurly:
        this.stack.push({ kind: 'object', value: {}, step: 'first', key: '' });
        return;
      case Tok.LSquare:
        this.stack.push({ kind: 'array', value: [], step: 'first' });
        return;
      case Tok.String:
        return this.done(parseString(bytes, prefix));
      case Tok.Integer:
        return this.done(parseInteger(latin1(bytes)));
      case Tok.Float:
        return this.done(Number(latin1(bytes)));
      case Tok.Keyword: {
        const word = latin1(bytes);
        if (word === 'true') return this.done(true);
        if (word === 'false') return this.done(false);
        if (word === 'null') return this.done(null);
        return fail(`invalid keyword '${word}'`);
      }
      default:
        return fail('expecting value');
    }
  }

  private close(): void {
    const frame = this.stack.pop()!;
    this.done(frame.value);
  }

  /** A value is complete: it goes to the container being read, or is the message. */
  private done(value: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.result = { value };
      return;
    }
    if (top.kind === 'array') {
      top.value.push(value);
      top.step = 'separator';
      return;
    }
    if (top.step === 'key') {
      if (typeof value !== 'string') fail('key is not a string in object');
      top.key = value;
      top.step = 'colon';
      return;
    }
    if (Object.hasOwn(top.value, top.key)) fail('duplicate key');
    Object.defineProperty(top.value, top.key, { value, enumerable: true, writable: true, configurable: true });
    top.step = 'separator';
  }
}

function fail(message: string): never {
  throw new ParseError(`JSON parse error, ${message}`);
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** int64 if it fits, else uint64, else a double (json-parser.c parse_literal). */
function parseInteger(text: string): number | bigint {
  const n = Number(text);
  if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
  const b = BigInt(text);
  if (b >= INT64_MIN && b <= INT64_MAX) return b;
  if (b >= 0n && b <= UINT64_MAX) return b;
  return n;
}

function hex4(bytes: Uint8Array, at: number): number {
  let cp = 0;
  for (let i = 0; i < 4; i++) {
    const c = at + i < bytes.length ? bytes[at + i]! : 0;
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x41 + 10;
    else return -1;
    cp = (cp << 4) | d;
  }
  return cp;
}

const SIMPLE_ESCAPES: Readonly<Record<number, string>> = {
  0x22: '"',
  0x27: "'",
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

const ascii = new TextDecoder('utf-8');

/** parse_string(): escapes, \u with surrogate pairs, modified UTF-8. */
function parseString(bytes: Uint8Array, prefix: StringPrefix | null): string {
  const end = bytes.length - 1;
  const parts: string[] = [];
  let run: number[] = [];
  const flush = () => {
    if (run.length > 0) parts.push(String.fromCodePoint(...run));
    run = [];
  };
  // The lexer decoded a plain-ASCII start as it arrived.
  if (prefix) parts.push(prefix.text);
  let i = 1 + (prefix?.bytes ?? 0);
  while (i < end) {
    const b = bytes[i]!;
    if (b === 0x5c) {
      const begin = i;
      const e = bytes[i + 1] ?? 0;
      i += 2;
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        run.push(simple.charCodeAt(0));
      } else if (e === 0x75) {
        let cp = hex4(bytes, i);
        i += 4;
        if (cp >= 0xd800 && cp <= 0xdbff && bytes[i] === 0x5c && bytes[i + 1] === 0x75) {
          const low = hex4(bytes, i + 2);
          if (low >= 0xdc00 && low <= 0xdfff) {
            cp = 0x10000 + ((cp & 0x3ff) << 10) + (low & 0x3ff);
            i += 6;
          } else {
            cp = -1;
          }
        }
        if (cp < 0 || !isValidCodepoint(cp)) {
          const text = decodeModifiedUtf8(bytes.subarray(begin, Math.min(i, bytes.length)));
          fail(`${text} is not a valid Unicode character`);
        }
        run.push(cp);
      } else {
        fail('invalid escape sequence in string');
      }
    } else if (b >= 0x20 && b < 0x80) {
      // A run of plain ASCII: decoded in one go.
      let j = i + 1;
      while (j < end && bytes[j]! >= 0x20 && bytes[j]! < 0x80 && bytes[j] !== 0x5c) j++;
      flush();
      parts.push(ascii.decode(bytes.subarray(i, j)));
      i = j;
      continue;
    } else {
      const r = modUtf8Codepoint(bytes, i, Math.min(i + 6, bytes.length));
      if (r.cp < 0) fail('invalid UTF-8 sequence in string');
      run.push(r.cp);
      i = r.end;
    }
    if (run.length >= 4096) flush();
  }
  flush();
  return parts.length === 1 ? parts[0]! : parts.join('');
}

/**
 * json-streamer.c: counts brackets, enforces QEMU's limits, and hands each
 * complete message (or its error) to `emit`.
 */
export class JsonMessageStream {
  private readonly lexer: JsonLexer;
  private parser = new MessageParser();
  private braces = 0;
  private brackets = 0;
  private size = 0;
  private count = 0;

  constructor(private readonly emit: (item: StreamItem) => void) {
    this.lexer = new JsonLexer((type, bytes, prefix) => this.token(type, bytes, prefix));
  }

  feed(bytes: Uint8Array, from = 0, to = bytes.length): void {
    this.lexer.feed(bytes, from, to);
  }

  /** A new client: nothing of the previous one's input survives (monitor_qmp_event). */
  reset(): void {
    this.lexer.reset();
    this.clear();
  }

  private clear(): void {
    this.parser = new MessageParser();
    this.braces = 0;
    this.brackets = 0;
    this.size = 0;
    this.count = 0;
  }

  private out(item: StreamItem): void {
    this.clear();
    this.emit(item);
  }

  private token(type: Tok, bytes: Uint8Array, prefix: StringPrefix | null): void {
    switch (type) {
      case Tok.LCurly:
        this.braces++;
        break;
      case Tok.RCurly:
        this.braces--;
        break;
      case Tok.LSquare:
        this.brackets++;
        break;
      case Tok.RSquare:
        this.brackets--;
        break;
      case Tok.Error:
        return this.out({ ok: false, error: `JSON parse error, stray '${decodeModifiedUtf8(untilNul(bytes))}'` });
      default:
        break;
    }
    if (this.size + bytes.length + 1 > MAX_MESSAGE_SIZE) return this.out({ ok: false, error: 'JSON token size limit exceeded' });
    if (this.count + 1 > MAX_TOKEN_COUNT) return this.out({ ok: false, error: 'JSON token count limit exceeded' });
    if (this.braces + this.brackets > MAX_NESTING) return this.out({ ok: false, error: 'JSON nesting depth limit exceeded' });
    this.size += bytes.length;
    this.count++;
    this.parser.token(type, bytes, prefix);
    if ((this.braces > 0 || this.brackets > 0) && this.braces >= 0 && this.brackets >= 0) return;
    this.out(this.parser.finish());
  }
}

/** QEMU prints the token as a C string: up to its first NUL byte. */
function untilNul(bytes: Uint8Array): Uint8Array {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

