/// <reference types="vite/client" />
/**
 * <nsl-search>: the search button in the header and its modal dialog
 * (markup in Search.astro). Pagefind's UI, about 26 KB gzipped, and its
 * stylesheet are fetched the first time the dialog opens, not while the
 * page loads.
 *
 * The button or Ctrl+K (Cmd+K on Apple devices) opens the dialog; Ctrl+K
 * again, Escape, the Cancel button, a click on the backdrop or following a
 * result link closes it.
 */
import { isSearchShortcut } from './shortcut.ts';
// A URL, not a CSS import: Astro would link an imported stylesheet from
// every page's <head>, even one imported only by a lazy module.
import stylesheetUrl from './pagefind-ui.css?url';

/** Adds the search's stylesheet to the page, once; resolves when it applies. */
function loadStylesheet(href: string): Promise<void> {
  // Added by an earlier opening whose script then failed (a stylesheet that fails removes its link).
  if (document.querySelector('link[data-search-styles]')) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.dataset.searchStyles = '';
    link.onload = () => resolve();
    link.onerror = () => {
      link.remove();
      reject(new Error(`could not load ${href}`));
    };
    document.head.append(link);
  });
}

/** Defines <nsl-search>, upgrading the one in the header. */
export function defineSiteSearch(): void {
  if (customElements.get('nsl-search')) return;

  class SiteSearch extends HTMLElement {
    #wired = false;
    #dialog!: HTMLDialogElement;
    #container: HTMLElement | null = null;
    /** Pagefind's UI, loading or loaded; null until the first opening and after a failed load. */
    #ui: Promise<void> | null = null;
    /** Where the last press began, so that dragging out of the dialog does not close it. */
    #pressedOn: EventTarget | null = null;

    #onKey = (e: KeyboardEvent) => {
      if (!isSearchShortcut(e)) return;
      e.preventDefault();
      if (this.#dialog.open) this.#dialog.close();
      else this.open();
    };

    connectedCallback(): void {
      window.addEventListener('keydown', this.#onKey);
      if (this.#wired) return;
      this.#wired = true;
      const openButton = this.querySelector<HTMLButtonElement>('button[data-open-modal]')!;
      this.#dialog = this.querySelector('dialog')!;
      this.#container = this.querySelector<HTMLElement>('#starlight__search');
      openButton.addEventListener('click', () => this.open());
      this.querySelector('button[data-close-modal]')!.addEventListener('click', () => this.#dialog.close());
      this.#dialog.addEventListener('pointerdown', (e) => (this.#pressedOn = e.target));
      this.#dialog.addEventListener('click', (e) => {
        const target = e.target as Element;
        // The frame fills the dialog, so only the backdrop hits the dialog itself.
        const onBackdrop = target === this.#dialog && this.#pressedOn === this.#dialog;
        if (onBackdrop || target.closest('a[href]')) this.#dialog.close();
      });
      this.#dialog.addEventListener('close', () => document.body.removeAttribute('data-search-modal-open'));
      openButton.disabled = false;
    }

    disconnectedCallback(): void {
      window.removeEventListener('keydown', this.#onKey);
    }

    open(): void {
      if (this.#dialog.open) return;
      this.#dialog.showModal();
      document.body.setAttribute('data-search-modal-open', '');
      const focusInput = () => {
        if (this.#dialog.open) this.#container?.querySelector('input')?.focus();
      };
      focusInput();
      if (this.#container && !this.#ui) {
        this.#ui = this.#load(this.#container);
        this.#ui.then(focusInput, (e: unknown) => console.error('Search could not be loaded:', e));
      }
    }

    /** Fetches Pagefind's UI and renders it; on failure says so, and the next opening tries again. */
    async #load(container: HTMLElement): Promise<void> {
      const error = this.querySelector<HTMLElement>('[data-search-error]');
      container.setAttribute('aria-busy', 'true');
      if (error) error.hidden = true;
      try {
        // Both at once; the UI is drawn only once its styles apply, so it never shows unstyled.
        const [{ mountPagefindUi }] = await Promise.all([import('./pagefind-ui.ts'), loadStylesheet(stylesheetUrl)]);
        mountPagefindUi(container, {
          stripTrailingSlash: this.dataset.stripTrailingSlash !== undefined,
          translationsJson: this.dataset.translations,
        });
      } catch (e) {
        this.#ui = null;
        if (error) error.hidden = false;
        throw e;
      } finally {
        container.removeAttribute('aria-busy');
      }
    }
  }

  customElements.define('nsl-search', SiteSearch);
}
