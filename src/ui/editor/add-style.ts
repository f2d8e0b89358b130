/** Adds CSS text to the document once (for styles that load with lazy code). */
const added = new Set<string>();

export function addStyle(css: string): void {
  if (typeof document === 'undefined' || added.has(css)) return;
  added.add(css);
  const style = document.createElement('style');
  style.dataset.lazyStyle = '';
  style.textContent = css;
  document.head.append(style);
}
