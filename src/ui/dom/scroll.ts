/**
 * Scrolls a scrollable box so that one of its descendants is visible,
 * without scrolling the page or any other ancestor (scrollIntoView would).
 */
export function revealInBox(box: HTMLElement, el: HTMLElement): void {
  const b = box.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  if (r.top < b.top) box.scrollTop -= b.top - r.top;
  else if (r.bottom > b.bottom) box.scrollTop += Math.min(r.bottom - b.bottom, r.top - b.top);
}

/**
 * Scrolls the page so that something just opened starts in view, under
 * `sticky` (a bar stuck to the top of the window, such as the player's
 * controls), unless its top is already in the upper half of the window.
 */
export function revealUnder(el: HTMLElement, sticky: HTMLElement | null): void {
  const covered = sticky ? (parseFloat(getComputedStyle(sticky).top) || 0) + sticky.offsetHeight : 0;
  const top = el.getBoundingClientRect().top;
  if (top >= covered && top < window.innerHeight / 2) return;
  window.scrollBy({ top: top - covered - 8 });
}
