/**
 * Just enough HTML reading for the site tests, over markup Astro wrote:
 * start tags with their attributes, ids, and the text of elements found
 * by an attribute. Script and style contents and comments are skipped.
 */
export interface Tag {
  name: string;
  attrs: Map<string, string>;
  /** Offset just after the start tag. */
  end: number;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return NAMED[e.toLowerCase()] ?? all;
  });
}

/** Every start tag, in order. */
export function tags(html: string): Tag[] {
  const out: Tag[] = [];
  const re = /<!--[\s\S]*?-->|<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>|<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
  for (const m of html.matchAll(re)) {
    let name: string;
    let attrText: string;
    if (m[1]) {
      // Keep the script/style start tag itself (its src matters), not its body.
      const start = /^<(\w+)([^>]*)>/.exec(m[0])!;
      name = start[1]!.toLowerCase();
      attrText = start[2]!;
    } else if (m[2]) {
      name = m[2].toLowerCase();
      attrText = m[3] ?? '';
    } else continue;
    const attrs = new Map<string, string>();
    for (const a of attrText.matchAll(/([^\s=>/]+)(?:\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
      attrs.set(a[1]!.toLowerCase(), decodeEntities(a[3] ?? a[4] ?? a[5] ?? ''));
    }
    out.push({ name, attrs, end: m.index + m[0].length });
  }
  return out;
}

/** Every id (and <a name>) a page defines, for checking #fragments. */
export function ids(html: string): Set<string> {
  const out = new Set<string>();
  for (const t of tags(html)) {
    const id = t.attrs.get('id');
    if (id !== undefined) out.add(id);
    if (t.name === 'a' && t.attrs.has('name')) out.add(t.attrs.get('name')!);
  }
  return out;
}

/** Plain text of the inside of the element whose start tag ends at `from`, up to its `</name>`; tags dropped. */
export function innerText(html: string, from: number, name: string): string {
  const close = html.indexOf(`</${name}>`, from);
  if (close < 0) throw new Error(`no </${name}> after offset ${from}`);
  return decodeEntities(html.slice(from, close).replace(/<[^>]*>/g, ''));
}

/** The inner HTML of an element without nested elements of the same name. */
export function innerHtml(html: string, from: number, name: string): string {
  const close = html.indexOf(`</${name}>`, from);
  if (close < 0) throw new Error(`no </${name}> after offset ${from}`);
  return html.slice(from, close);
}
