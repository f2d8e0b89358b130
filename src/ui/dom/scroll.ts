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
