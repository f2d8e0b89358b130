// Doc comments: the lines of one `##` block -> a Doc (summary, body,
// described members and features, tagged sections). Like the QAPIDoc part
// of QEMU's scripts/qapi/parser.py, this only reads the block's shape;
// whether it fits the definition after it is doc-check.ts's pass.
// The dialect is described in content/qapi/README.md.

import type { Doc, DocItem, DocSectionTag, SourcePos } from './ir.ts';
import type { DocLine } from './lexer.ts';
import { errorAt } from './source.ts';

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
