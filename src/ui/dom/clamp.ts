/**
 * A box of bounded height (its CSS sets the bound) whose whole text stays
 * within reach: when what it holds overflows, a button beside it ("More")
 * unfolds the rest and folds it again ("Less"); new content folds it. For
 * text that is usually short but can be long (the stage's caption, a
 * refused link's message), so that it never pushes the controls off the
 * first screen. The box gets `nsl-clamped` while it hides something and
 * `nsl-open` while unfolded.
 */

/** The toggle's words: a visible one, and what it unfolds for screen readers. */
function label(toggle: HTMLButtonElement, open: boolean): void {
  const word = toggle.querySelector('[data-clamp-word]');
  if (word) word.textContent = open ? 'Less' : 'More';
}

export function clampBox(box: HTMLElement, toggle: HTMLButtonElement): void {
  if (box.dataset.clamp !== undefined) return;
  box.dataset.clamp = '';
  const isOpen = () => toggle.getAttribute('aria-expanded') === 'true';
  const fit = () => {
    const open = isOpen();
    const over = open || box.scrollHeight > box.clientHeight + 1;
    toggle.hidden = !over;
    box.classList.toggle('nsl-clamped', over && !open);
  };
  const set = (open: boolean) => {
    toggle.setAttribute('aria-expanded', String(open));
    label(toggle, open);
    box.classList.toggle('nsl-open', open);
    fit();
  };
  toggle.addEventListener('click', () => set(!isOpen()));
  new MutationObserver(() => set(false)).observe(box, { childList: true, subtree: true, characterData: true });
  new ResizeObserver(fit).observe(box);
  fit();
}
