/**
 * A scenario's `description` as elements: paragraphs, lists, `code`,
 * **strong**, *emphasis* and links to https or site pages. Descriptions can
 * come from a link or the editor, so nothing is ever parsed as HTML: the
 * text goes into text nodes, and a link that is not https or site-relative
 * stays plain text.
 */
import { h, type Child, type VNode } from '../dom/h.ts';

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|(?<![\p{L}\p{N}])_[^_\s][^_]*_(?![\p{L}\p{N}]))|(\[[^\]]+\]\([^)\s]+\))/gu;

function safeHref(url: string): string | null {
  if (/^https:\/\//i.test(url)) return url;
  if (/^\/(?!\/)/.test(url) || /^#[\w-]+$/.test(url)) return url;
  return null;
}

function inline(text: string): Child[] {
  const out: Child[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const t = m[0];
    if (m[1]) out.push(h('code', null, t.slice(1, -1)));
    else if (m[2]) out.push(h('strong', null, t.slice(2, -2)));
    else if (m[3]) out.push(h('em', null, t.slice(1, -1)));
    else {
      const [, label, url] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(t)!;
      const href = safeHref(url!);
      out.push(href ? h('a', { href }, label) : `${label} (${url})`);
    }
    last = m.index + t.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const ITEM = /^\s*(?:(\d+)[.)]|[-*+])\s+/;

export function markdownView(text: string): VNode[] {
  const out: VNode[] = [];
  for (const block of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    if (ITEM.test(lines[0]!)) {
      const ordered = /^\s*\d/.test(lines[0]!);
      const items: string[] = [];
      for (const l of lines) {
        if (ITEM.test(l)) items.push(l.replace(ITEM, ''));
        else items[items.length - 1] += ` ${l.trim()}`;
      }
      out.push(h(ordered ? 'ol' : 'ul', null, items.map((i) => h('li', null, inline(i)))));
    } else if (/^#{1,6}\s/.test(lines[0]!)) {
      out.push(h('p', null, h('strong', null, inline(lines.join(' ').replace(/^#+\s*/, '')))));
    } else {
      out.push(h('p', null, inline(lines.map((l) => l.trim()).join(' '))));
    }
  }
  return out;
}
