// Pass 1: schema files -> expressions with their doc blocks, pragmas and
// the list of files read (like QEMU's QAPISchemaParser).
//
// Includes are read through a caller-supplied readFile, so this module
// stays pure. A syntax error stops the file it is in (its includer goes
// on); other problems are collected. Errors are `file:line:col: message`.

import type { Doc, Pragmas } from './ir.ts';
import { parseDocBlock } from './doc-parser.ts';
import { Lexer, ParseError } from './lexer.ts';
import { entryOf, type ParsedExpr, type PEntry, type PObject, type PString } from './parse-tree.ts';
import { errorAt } from './source.ts';

export interface ParseOutput {
  exprs: ParsedExpr[];
  /** Free-form doc blocks, each with the index in `exprs` of the next expression. */
  freeDocs: { doc: Doc; nextExpr: number }[];
  files: string[];
  pragmas: Pragmas;
  errors: string[];
}

export type ReadFile = (path: string) => string;

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
