// The schema language's tokens: JSON-like values with single-quoted
// strings, `true`/`false`, `#` comments, and the raw lines of `##` doc
// blocks (their meaning is doc-parser.ts's business). A syntax error ends
// the file it is in: the lexer throws a ParseError carrying the final
// `file:line:col: message`, which parser.ts turns into a reported problem.

import type { SourcePos } from './ir.ts';
import type { PArray, PEntry, PObject, PValue } from './parse-tree.ts';
import { errorAt } from './source.ts';

export class ParseError extends Error {}

/** One line of a doc block, without its leading `# `. */
export interface DocLine {
  text: string;
  line: number;
  /** Column of the first character of `text`. */
  col: number;
}

/** Reads one file's tokens. */
export class Lexer {
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(
    readonly file: string,
    private readonly src: string,
  ) {}

  pos(at = this.i): SourcePos {
    return { file: this.file, line: this.line, col: at - this.lineStart + 1 };
  }

  fail(message: string, at = this.i): never {
    throw new ParseError(errorAt(this.pos(at), message));
  }

  /** Skips white space and ordinary comments; stops at a `##` doc block or a token. */
  skipSpace(): void {
    for (;;) {
      const ch = this.src[this.i];
      if (ch === undefined) return;
      if (ch === '\n') {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v') {
        this.i++;
      } else if (ch === '#') {
        if (this.src[this.i + 1] === '#') return;
        this.skipToEol();
      } else {
        return;
      }
    }
  }

  private skipToEol(): void {
    const nl = this.src.indexOf('\n', this.i);
    this.i = nl < 0 ? this.src.length : nl;
  }

  atEnd(): boolean {
    return this.i >= this.src.length;
  }

  peek(): string | undefined {
    return this.src[this.i];
  }

  atDocStart(): boolean {
    return this.src[this.i] === '#' && this.src[this.i + 1] === '#';
  }

  /** Reads a `##` ... `##` block starting at the cursor. */
  readDocBlock(): { pos: SourcePos; lines: DocLine[] } {
    const start = this.pos();
    const opener = this.restOfLine();
    if (opener.trimEnd() !== '##') {
      this.fail("a documentation block opens with '##' alone on its line", this.i - opener.length + 2);
    }
    const lines: DocLine[] = [];
    for (;;) {
      this.newline();
      // Blank lines inside a block are tolerated, as QEMU does.
      while (this.i < this.src.length) {
        const ch = this.src[this.i];
        if (ch === ' ' || ch === '\t' || ch === '\r') this.i++;
        else if (ch === '\n') this.newline();
        else break;
      }
      if (this.atEnd()) this.fail("documentation block is not closed with '##'");
      if (this.src[this.i] !== '#') {
        this.fail("documentation block is not closed with '##' before this line");
      }
      const at = this.i;
      const text = this.restOfLine().trimEnd();
      if (text.startsWith('##')) {
        if (text !== '##') this.fail("a documentation block closes with '##' alone on its line", at + 2);
        return { pos: start, lines };
      }
      if (text === '#') {
        lines.push({ text: '', line: this.line, col: at - this.lineStart + 2 });
      } else if (text[1] !== ' ') {
        this.fail("'#' in a documentation block must be followed by a space", at + 1);
      } else {
        lines.push({ text: text.slice(2), line: this.line, col: at - this.lineStart + 3 });
      }
    }
  }

  private restOfLine(): string {
    const from = this.i;
    this.skipToEol();
    return this.src.slice(from, this.i);
  }

  private newline(): void {
    if (this.src[this.i] === '\n') {
      this.i++;
      this.line++;
      this.lineStart = this.i;
    }
  }

  /** Parses one value at the cursor. */
  value(): PValue {
    this.skipSpace();
    const pos = this.pos();
    const ch = this.peek();
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === "'") return { kind: 'string', value: this.string(), pos };
    if (this.src.startsWith('true', this.i)) {
      this.i += 4;
      return { kind: 'bool', value: true, pos };
    }
    if (this.src.startsWith('false', this.i)) {
      this.i += 5;
      return { kind: 'bool', value: false, pos };
    }
    if (ch === undefined) this.fail('the file ends where a value was expected');
    if (this.atDocStart()) this.fail('a documentation block cannot stand inside an expression');
    this.failStray("expected a value: a 'string', true, false, an object or an array");
  }

  object(): PObject {
    const pos = this.pos();
    this.i++; // {
    const entries: PEntry[] = [];
    this.skipSpace();
    if (this.peek() === '}') {
      this.i++;
      return { kind: 'object', entries, pos };
    }
    for (;;) {
      this.skipSpace();
      const keyPos = this.pos();
      if (this.peek() !== "'") {
        if (this.peek() === undefined) this.fail('the file ends inside an object');
        this.failStray("expected a 'quoted' key");
      }
      const key = this.string();
      if (entries.some((e) => e.key === key)) throw new ParseError(errorAt(keyPos, `key '${key}' appears twice in this object`));
      this.skipSpace();
      if (this.peek() !== ':') this.failStray(`expected ':' after key '${key}'`);
      this.i++;
      const value = this.value();
      entries.push({ key, keyPos, value });
      if (!this.another('}', 'object')) return { kind: 'object', entries, pos };
    }
  }

  array(): PArray {
    const pos = this.pos();
    this.i++; // [
    const items: PValue[] = [];
    this.skipSpace();
    if (this.peek() === ']') {
      this.i++;
      return { kind: 'array', items, pos };
    }
    for (;;) {
      items.push(this.value());
      if (!this.another(']', 'array')) return { kind: 'array', items, pos };
    }
  }

  private string(): string {
    this.i++; // opening quote
    let out = '';
    for (;;) {
      const ch = this.src[this.i];
      if (ch === undefined || ch === '\n') this.fail('string is not closed on the line where it starts');
      if (ch === "'") {
        this.i++;
        return out;
      }
      if (ch === '\\') {
        const esc = this.src[this.i + 1];
        if (esc !== '\\') this.fail(`'\\${esc ?? ''}' is not a supported escape; only '\\\\' is`);
        out += '\\';
        this.i += 2;
        continue;
      }
      const code = ch.charCodeAt(0);
      if (code < 32 || code > 126) this.fail('strings may only hold printable ASCII characters');
      out += ch;
      this.i++;
    }
  }

  /** After an item of an object or array: true past a ',' (another item follows), false past `close`; anything else fails. */
  private another(close: '}' | ']', inside: 'object' | 'array'): boolean {
    this.skipSpace();
    const next = this.peek();
    if (next === ',' || next === close) {
      this.i++;
      return next === ',';
    }
    if (next === undefined) this.fail(`the file ends inside an ${inside}`);
    this.failStray(`expected ',' or '${close}'`);
  }

  private failStray(expected: string): never {
    const ch = this.src[this.i];
    if (ch === "'") this.fail(`${expected}, found a string`);
    const m = /^[^[\]{}:,\s']+/.exec(this.src.slice(this.i));
    this.fail(`${expected}, found '${m ? m[0] : ch}'`);
  }
}
