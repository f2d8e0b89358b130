/**
 * QAPI doc-comment prose to HTML. The text is escaped first; then
 * `@member` becomes code, the name of another definition becomes a link to
 * its page, and blank lines separate paragraphs. Nothing else in the
 * comment is interpreted.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface DocTextOptions {
  /** Site path (base included) of a definition's page, or null when it has none. */
  linkFor: (name: string) => string | null;
  /** Do not link this name (the page's own definition). */
  self?: string;
}

const WORD = /@([A-Za-z][\w-]*)|\b([A-Za-z][A-Za-z0-9_]*(?:[-_][A-Za-z0-9]+)*)\b/g;

function inline(text: string, opts: DocTextOptions): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    out += escapeHtml(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      out += `<code>${escapeHtml(m[1])}</code>`;
      continue;
    }
    const word = m[2]!;
    // Only names that cannot be ordinary words: netdev_add, SocketAddress, NETDEV_STREAM_CONNECTED.
    const nameLike = /[_-]/.test(word) || (word.match(/[A-Z]/g) ?? []).length >= 2;
    const href = word !== opts.self && nameLike ? opts.linkFor(word) : null;
    out += href ? `<a href="${escapeHtml(href)}"><code>${escapeHtml(word)}</code></a>` : escapeHtml(word);
  }
  return out + escapeHtml(text.slice(last));
}

/** Paragraphs of a doc text as HTML (`<p>` each). */
export function docToHtml(text: string, opts: DocTextOptions): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter((p) => p !== '')
    .map((p) => `<p>${inline(p, opts)}</p>`)
    .join('\n');
}
