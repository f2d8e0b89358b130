/// <reference types="vite/client" />
/**
 * Pagefind's search UI, loaded by the search dialog (site-search.ts) with a
 * dynamic import the first time it opens, never before. Its stylesheet,
 * pagefind-ui.css, is fetched by the dialog alongside this module.
 */
import { PagefindUI } from '@pagefind/default-ui';
import { pagefindUserConfig } from 'virtual:starlight/pagefind-config';
import { pagefindOptions, parseTranslations } from './options.ts';

/**
 * Renders Pagefind's UI (search box and results) into `element`.
 * `translationsJson` is what Search.astro wrote into data-translations.
 */
export function mountPagefindUi(element: HTMLElement, settings: { stripTrailingSlash: boolean; translationsJson: string | undefined }): void {
  const translations = parseTranslations(settings.translationsJson);
  const options = pagefindOptions(element, { base: import.meta.env.BASE_URL, stripTrailingSlash: settings.stripTrailingSlash, translations }, pagefindUserConfig);
  new PagefindUI(options);
  // Pagefind names its search box only by a title (axe: label-title-only); name it as it reads.
  const input = element.querySelector('input');
  const name = input?.getAttribute('placeholder');
  if (input && name) input.setAttribute('aria-label', name);
}
