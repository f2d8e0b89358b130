// Pass 1: schema text -> expressions with their doc blocks.
//
// The syntax is QEMU's QAPI schema language: JSON-like objects with
// single-quoted strings, `true`/`false`, `#` comments and `##` doc blocks.
// Includes are read through a caller-supplied readFile, so this module
// stays pure. Errors are returned as `file:line:col: message` strings.

import type { Doc, DocItem, DocSectionTag, Pragmas, SourcePos } from './ir.ts';

export interface PString {
  kind: 'string';
  value: string;
  pos: SourcePos;
}
export interface PBool {
  kind: 'bool';
  value: boolean;
  pos: SourcePos;
}
export interface PEntry {
  key: string;
  keyPos: SourcePos;
  value: PValue;
}
export interface PObject {
  kind: 'object';
  entries: PEntry[];
  pos: SourcePos;
}
export interface PArray {
  kind: 'array';
  items: PValue[];
  pos: SourcePos;
}
export type PValue = PString | PBool | PObject | PArray;

/** A top-level definition expression with the doc block written right before it. */
export interface ParsedExpr {
  expr: PObject;
  doc: Doc | null;
  /** The block before it had an error (already reported). */
  docBroken?: boolean;
}

export interface ParseOutput {
  exprs: ParsedExpr[];
  /** Free-form doc blocks, each with the index in `exprs` of the next expression. */
  freeDocs: { doc: Doc; nextExpr: number }[];
  files: string[];
  pragmas: Pragmas;
  errors: string[];
}

export type ReadFile = (path: string) => string;

export function formatPos(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

export function errorAt(pos: SourcePos, message: string): string {
  return `${formatPos(pos)}: ${message}`;
}

/** Lookup helper for parsed objects. */
export function entryOf(obj: PObject, key: string): PEntry | undefined {
  return obj.entries.find((e) => e.key === key);
}

/** Joins an include name to the directory of the including file, POSIX style. */
export function resolveInclude(fromFile: string, name: string): string {
  const base = name.startsWith('/') ? [] : fromFile.split('/').slice(0, -1);
  const parts = [...base, ...name.split('/')];
  const out: string[] = [];
  for (const part of parts) {
    if (part === '.' || (part === '' && out.length > 0)) continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') {
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out.join('/');
}

class ParseError extends Error {}

interface DocLine {
  text: string;
  line: number;
  /** Column of the first character of `text`. */
  col: number;
}

/** Reads one file's tokens; thrown ParseErrors carry the final message. */
class Lexer {
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
      this.skipSpace();
      const next = this.peek();
      if (next === ',') {
        this.i++;
        continue;
      }
      if (next === '}') {
        this.i++;
        return { kind: 'object', entries, pos };
      }
      if (next === undefined) this.fail('the file ends inside an object');
      this.failStray("expected ',' or '}'");
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
      this.skipSpace();
      const next = this.peek();
      if (next === ',') {
        this.i++;
        continue;
      }
      if (next === ']') {
        this.i++;
        return { kind: 'array', items, pos };
      }
      if (next === undefined) this.fail('the file ends inside an array');
      this.failStray("expected ',' or ']'");
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

  private failStray(expected: string): never {
    const ch = this.src[this.i];
    if (ch === "'") this.fail(`${expected}, found a string`);
    const m = /^[^[\]{}:,\s']+/.exec(this.src.slice(this.i));
    this.fail(`${expected}, found '${m ? m[0] : ch}'`);
  }
}

const SECTION_TAGS: readonly DocSectionTag[] = ['Since', 'Returns', 'Errors', 'Notes', 'Example'];
// Headings other QAPI dialects use; reported so they are not taken for prose.
const NEAR_MISS_TAGS: readonly string[] = ['Note', 'Examples', 'Return', 'Error', 'Feature', 'Arguments', 'Members', 'Values'];

interface OpenItem {
  kind: 'member' | 'feature' | 'section';
  name: string;
  pos: SourcePos;
  lines: string[];
  /** Leading spaces of each continuation line, to dedent them together. */
  cont: { text: string; indent: number }[];
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function finishItemText(item: OpenItem): string {
  const nonBlank = item.cont.filter((c) => c.text.trim() !== '');
  const dedent = nonBlank.length ? Math.min(...nonBlank.map((c) => c.indent)) : 0;
  const lines = [...item.lines, ...item.cont.map((c) => (c.text.trim() === '' ? '' : c.text.slice(dedent)))];
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

/**
 * Parses the lines of a doc block in our dialect (see content/qapi/README.md).
 * Returns the Doc or the first error in it.
 */
export function parseDocBlock(file: string, pos: SourcePos, lines: DocLine[]): { doc: Doc } | { error: string } {
  const at = (l: DocLine, col = l.col): SourcePos => ({ file, line: l.line, col });
  const doc: Doc = { pos, symbol: null, summary: '', body: '', members: [], features: [], sections: [] };
  let k = 0;
  while (k < lines.length && lines[k]!.text === '') k++;
  const first = lines[k];
  const paragraphs: string[][] = [];
  let para: string[] | null = null;
  const flushPara = () => {
    if (para && para.length) paragraphs.push(para);
    para = null;
  };

  if (first && first.text.startsWith('@')) {
    const m = /^@((?:__[A-Za-z0-9.-]+_)?[A-Za-z][A-Za-z0-9_-]*):$/.exec(first.text.trimEnd());
    if (!m) return { error: errorAt(at(first), "a definition's documentation starts with '@Name:' alone on its line") };
    doc.symbol = m[1]!;
    k++;
  }

  let phase: 'text' | 'features' | 'sections' = 'text';
  let item: OpenItem | null = null;
  let blankSinceItem = false;
  const closeItem = () => {
    if (!item) return;
    const text = finishItemText(item);
    if (item.kind === 'member') doc.members.push({ name: item.name, text, pos: item.pos });
    else if (item.kind === 'feature') doc.features.push({ name: item.name, text, pos: item.pos });
    else doc.sections.push({ tag: item.name as DocSectionTag, text, pos: item.pos });
    item = null;
  };

  for (; k < lines.length; k++) {
    const l = lines[k]!;
    const text = l.text;
    if (text.trim() === '') {
      flushPara();
      if (item) {
        blankSinceItem = true;
        item.cont.push({ text: '', indent: 0 });
      }
      continue;
    }
    const indent = indentOf(text);
    if (indent > 0 && item) {
      item.cont.push({ text, indent });
      continue;
    }
    if (indent > 0 && para) {
      para.push(text);
      continue;
    }
    if (doc.symbol !== null) {
      const itemMatch = /^@([^:\s]+):(?:\s+(.*))?$/.exec(text);
      if (itemMatch) {
        closeItem();
        flushPara();
        const name = itemMatch[1]!;
        const kind = phase === 'features' ? 'feature' : 'member';
        if (phase === 'sections') {
          return { error: errorAt(at(l), `'@${name}:' must come before the sections (Since:, Notes:, ...)`) };
        }
        const list: DocItem[] = kind === 'feature' ? doc.features : doc.members;
        if (list.some((d) => d.name === name)) {
          return { error: errorAt(at(l), `'@${name}' is described twice in this documentation block`) };
        }
        item = { kind, name, pos: at(l), lines: itemMatch[2] ? [itemMatch[2]] : [], cont: [] };
        blankSinceItem = false;
        continue;
      }
      if (/^Features:\s*$/.test(text)) {
        closeItem();
        flushPara();
        if (phase !== 'text') {
          return { error: errorAt(at(l), "'Features:' must come after the members and before the sections") };
        }
        phase = 'features';
        continue;
      }
      const sectionMatch = /^([A-Z][A-Za-z]*):(?:\s+(.*))?$/.exec(text);
      if (sectionMatch && (SECTION_TAGS as readonly string[]).includes(sectionMatch[1]!)) {
        closeItem();
        flushPara();
        const tag = sectionMatch[1] as DocSectionTag;
        if (doc.sections.some((s) => s.tag === tag)) {
          return { error: errorAt(at(l), `'${tag}:' appears twice in this documentation block`) };
        }
        phase = 'sections';
        item = { kind: 'section', name: tag, pos: at(l), lines: sectionMatch[2] ? [sectionMatch[2]] : [], cont: [] };
        blankSinceItem = false;
        continue;
      }
      if (sectionMatch && NEAR_MISS_TAGS.includes(sectionMatch[1]!)) {
        return { error: errorAt(at(l), `'${sectionMatch[1]}:' is not a section of this dialect; use one of ${SECTION_TAGS.map((t) => `'${t}:'`).join(', ')}`) };
      }
      if (item && !blankSinceItem) {
        const what = item.kind === 'section' ? `'${item.name}:'` : `'@${item.name}:'`;
        return { error: errorAt(at(l), `continuation lines of ${what} must be indented`) };
      }
      if (phase === 'features') {
        return { error: errorAt(at(l), "only '@feature:' descriptions may follow 'Features:'") };
      }
      if (phase === 'sections') {
        const last = doc.sections[doc.sections.length - 1] ?? (item ? { tag: item.name } : { tag: '?' });
        closeItem();
        return { error: errorAt(at(l), `free text after the '${last.tag}:' section; indent it to continue the section`) };
      }
      closeItem();
    }
    if (!para) para = [];
    para.push(text);
  }
  closeItem();
  flushPara();
  const texts = paragraphs.map((p) => p.join('\n'));
  doc.summary = texts[0] ?? '';
  doc.body = texts.slice(1).join('\n\n');
  return { doc };
}

const PRAGMA_LISTS: Record<string, keyof Pragmas> = {
  'command-name-exceptions': 'commandNameExceptions',
  'command-returns-exceptions': 'commandReturnsExceptions',
  'member-name-exceptions': 'memberNameExceptions',
};

/**
 * Reads the entry file and everything it includes. A syntax error stops the
 * file it is in (its includer goes on); other problems are collected.
 */
export function parseSchemaFiles(entry: string, readFile: ReadFile): ParseOutput {
  const out: ParseOutput = {
    exprs: [],
    freeDocs: [],
    files: [],
    pragmas: { docRequired: false, commandNameExceptions: [], commandReturnsExceptions: [], memberNameExceptions: [] },
    errors: [],
  };
  const seen = new Set<string>();

  const readOrError = (file: string): string | { error: string } => {
    try {
      const text = readFile(file);
      if (typeof text !== 'string') return { error: 'no such file' };
      return text;
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  };

  const doPragma = (obj: PObject) => {
    const value = entryOf(obj, 'pragma')!.value;
    if (obj.entries.length !== 1) {
      const extra = obj.entries.find((e) => e.key !== 'pragma')!;
      out.errors.push(errorAt(extra.keyPos, `a 'pragma' expression has no key '${extra.key}'`));
    }
    if (value.kind !== 'object') {
      out.errors.push(errorAt(value.pos, "'pragma' takes an object of pragma names and values"));
      return;
    }
    for (const e of value.entries) {
      if (e.key === 'doc-required') {
        if (e.value.kind !== 'bool') out.errors.push(errorAt(e.value.pos, "pragma 'doc-required' takes true or false"));
        else out.pragmas.docRequired = e.value.value;
        continue;
      }
      const field = PRAGMA_LISTS[e.key];
      if (!field) {
        out.errors.push(errorAt(e.keyPos, `'${e.key}' is not a known pragma`));
        continue;
      }
      if (e.value.kind !== 'array' || e.value.items.some((v) => v.kind !== 'string')) {
        out.errors.push(errorAt(e.value.pos, `pragma '${e.key}' takes a list of strings`));
        continue;
      }
      (out.pragmas[field] as string[]).push(...e.value.items.map((v) => (v as PString).value));
    }
  };

  const parseFile = (file: string, src: string, chain: string[]) => {
    out.files.push(file);
    const lx = new Lexer(file, src);
    let pendingDoc: Doc | null = null;
    let pendingDocIsFree = false;
    let pendingBroken = false;
    const rejectPendingDefinitionDoc = () => {
      if (pendingDoc && pendingDoc.symbol !== null) {
        out.errors.push(errorAt(pendingDoc.pos, `documentation for '${pendingDoc.symbol}' is not followed by its definition`));
      }
    };
    try {
      for (;;) {
        lx.skipSpace();
        if (lx.atEnd()) break;
        if (lx.atDocStart()) {
          rejectPendingDefinitionDoc();
          const block = lx.readDocBlock();
          const parsed = parseDocBlock(file, block.pos, block.lines);
          if ('error' in parsed) {
            out.errors.push(parsed.error);
            // Remembered so that the definition below is not also reported as undocumented.
            pendingDoc = null;
            pendingDocIsFree = false;
            pendingBroken = true;
            continue;
          }
          pendingDoc = parsed.doc;
          pendingDocIsFree = parsed.doc.symbol === null;
          pendingBroken = false;
          if (pendingDocIsFree) out.freeDocs.push({ doc: parsed.doc, nextExpr: -1 });
          continue;
        }
        if (lx.peek() !== '{') {
          const at = lx.pos();
          lx.value(); // a malformed value reports itself
          throw new ParseError(errorAt(at, "a top-level expression must be an object, starting with '{'"));
        }
        const expr = lx.object();
        for (const fd of out.freeDocs) if (fd.nextExpr === -1) fd.nextExpr = out.exprs.length;
        const includeEntry = entryOf(expr, 'include');
        const isDirective = includeEntry !== undefined || entryOf(expr, 'pragma') !== undefined;
        if (isDirective) {
          rejectPendingDefinitionDoc();
          pendingDoc = null;
          pendingBroken = false;
          if (includeEntry) {
            doInclude(file, expr, includeEntry, chain);
          } else {
            doPragma(expr);
          }
          continue;
        }
        if (pendingDoc && pendingDocIsFree) {
          out.errors.push(errorAt(pendingDoc.pos, 'a free-form documentation block cannot stand right before a definition; give the definition its own block'));
          out.exprs.push({ expr, doc: null, docBroken: true });
        } else {
          out.exprs.push({ expr, doc: pendingDoc, ...(pendingBroken ? { docBroken: true } : {}) });
        }
        pendingDoc = null;
        pendingDocIsFree = false;
        pendingBroken = false;
      }
      rejectPendingDefinitionDoc();
    } catch (e) {
      if (e instanceof ParseError) out.errors.push(e.message);
      else throw e;
    }
  };

  const doInclude = (file: string, expr: PObject, entry: PEntry, chain: string[]) => {
    if (expr.entries.length !== 1) {
      const extra = expr.entries.find((e) => e.key !== 'include')!;
      out.errors.push(errorAt(extra.keyPos, `an 'include' expression has no key '${extra.key}'`));
      return;
    }
    if (entry.value.kind !== 'string') {
      out.errors.push(errorAt(entry.value.pos, "'include' takes a file name string"));
      return;
    }
    const target = resolveInclude(file, entry.value.value);
    if (chain.includes(target)) {
      out.errors.push(errorAt(entry.value.pos, `including '${entry.value.value}' would loop back to ${target}`));
      return;
    }
    if (seen.has(target)) return; // included before: once is enough
    seen.add(target);
    const src = readOrError(target);
    if (typeof src !== 'string') {
      out.errors.push(errorAt(entry.value.pos, `cannot read included file '${entry.value.value}': ${src.error}`));
      return;
    }
    parseFile(target, src, [...chain, target]);
  };

  seen.add(entry);
  const src = readOrError(entry);
  if (typeof src !== 'string') {
    out.errors.push(`${entry}:1:1: cannot read the schema: ${src.error}`);
    return out;
  }
  parseFile(entry, src, [entry]);
  for (const fd of out.freeDocs) if (fd.nextExpr === -1) fd.nextExpr = out.exprs.length;
  return out;
}
