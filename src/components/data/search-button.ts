/**
 * The one change Search.astro makes to Starlight's search markup, kept
 * pure so a test can check it. Throws when the markup it expects is not
 * there, so a Starlight upgrade cannot silently undo the fix.
 */
export function fixSearchButton(html: string): string {
  const button = /<button\b[^>]*\bdata-open-modal\b[^>]*>[\s\S]*?<\/button>/.exec(html);
  if (!button) throw new Error('Search override: no <button data-open-modal> in Starlight\'s Search markup');
  let b = button[0];
  const open = /^<button\b[^>]*>/.exec(b)![0];
  if (!/\saria-label="[^"]*"/.test(open)) throw new Error('Search override: the search button has no aria-label to remove');
  b = b.replace(open, open.replace(/\saria-label="[^"]*"/, ''));
  // The visible "Search" text: named for everyone, shown from medium width up as before.
  const label = /<span\b([^>]*)\baria-hidden="true"([^>]*)>/.exec(b);
  if (!label || !/sl-hidden/.test(label[0])) throw new Error('Search override: the "Search" text span was not found');
  b = b.replace(label[0], `<span${label[1]}${label[2]}>`.replace(/\bsl-hidden\b/, 'nsl-search-label'));
  // The key hint ("Ctrl K"): visible, but not part of the name.
  const kbd = /<kbd\b(?![^>]*aria-hidden)/.exec(b);
  if (!kbd) throw new Error('Search override: the key hint <kbd> was not found');
  b = b.replace(kbd[0], '<kbd aria-hidden="true"');
  return html.replace(button[0], b);
}
