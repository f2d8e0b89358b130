/**
 * Copies text and says so in a status element. When the browser refuses
 * (no permission, insecure context), the text is offered in a read-only
 * field instead, selected, so nothing is lost.
 */
export async function copyText(text: string, status: Element | null, what: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    if (status) status.textContent = `Copied ${what}.`;
    return true;
  } catch {
    if (status) {
      status.textContent = `Your browser did not let the page copy ${what}; select it here and copy it yourself: `;
      const field = status.ownerDocument.createElement('textarea');
      field.readOnly = true;
      field.value = text;
      field.rows = 3;
      field.setAttribute('aria-label', what);
      status.appendChild(field);
      field.select();
    }
    return false;
  }
}
