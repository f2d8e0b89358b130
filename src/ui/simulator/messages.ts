/**
 * Status messages of the simulator's tools. A message says what the last
 * action did or why it could not; the next action clears it, so nothing
 * stale stays on the page. Messages are plain text (never markup): they
 * can quote a scenario from a link.
 *
 * Elements marked `data-transient` hold such messages; state that stays
 * true until something changes (the release note, the compare summary,
 * the editor's status) is written with `say` too but not marked.
 */
import { h, renderInto } from '../dom/h.ts';

export type MessageKind = 'error' | 'info' | 'ok';

/** Writes a message (plain text, optionally a list of details) into a message element. */
export function say(el: Element | null, kind: MessageKind, text: string, details: string[] = []): void {
  if (!el) return;
  el.className = `nsl-msg nsl-msg-${kind}`;
  renderInto(el, [h('p', null, text), details.length > 0 ? h('ul', null, details.map((d) => h('li', null, d))) : '']);
}

export function clear(el: Element | null): void {
  if (!el) return;
  el.className = 'nsl-msg';
  el.replaceChildren();
}

/** Clears every transient message under `root`, and the results shown beside things in the picture. */
export function clearTransient(root: ParentNode): void {
  for (const el of root.querySelectorAll('[data-transient]')) {
    if (el.childNodes.length > 0) clear(el);
  }
  for (const el of root.querySelectorAll('[data-result-note]')) el.remove();
}
