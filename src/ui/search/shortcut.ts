/**
 * The search's keyboard shortcut. A module of its own: it is all the page's
 * search script needs before the dialog opens (Pagefind's options, in
 * options.ts, arrive with the lazy UI).
 */

/** Ctrl+K, or Cmd+K on Apple devices, with no other modifier: opens or closes the search. */
export function isSearchShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';
}
