/**
 * What the search dialog hands to Pagefind's UI, worked out without a DOM
 * so that tests can check it in Node. Search.astro computes the translations
 * at build time; the lazy module (pagefind-ui.ts) builds the options when the
 * dialog opens for the first time, so none of this is in a page's first load.
 */

/** The options of `new PagefindUI(...)` that we set; Starlight's `pagefind` settings are spread under them. */
export interface PagefindOptions {
  element: HTMLElement | string;
  baseUrl: string;
  bundlePath: string;
  showImages: false;
  showSubResults: true;
  translations: Record<string, string>;
  processResult: (result: PagefindResult) => void;
}

/** The part of a Pagefind result whose links we adjust. */
export interface PagefindResult {
  url: string;
  sub_results?: { url: string }[];
}

const PREFIX = 'pagefind.';

/**
 * Pagefind's UI strings from Starlight's: the input's placeholder is
 * Starlight's "search.label", and every "pagefind.<key>" string a site or
 * locale defines becomes Pagefind's "<key>".
 */
export function pagefindTranslations(searchLabel: string, strings: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = { placeholder: searchLabel };
  for (const [key, value] of Object.entries(strings)) {
    if (typeof value === 'string' && key.startsWith(PREFIX) && key.length > PREFIX.length) out[key.slice(PREFIX.length)] = value;
  }
  return out;
}

/** Where Pagefind's bundle lives for a site served under `base` ("/" or "/sub/"). */
export function pagefindBundlePath(base: string): string {
  return `${base.endsWith('/') ? base : `${base}/`}pagefind/`;
}

/**
 * A page link without its trailing slash, for sites built with
 * `trailingSlash: 'never'`: "/sub/guides/x/#h" becomes "/sub/guides/x#h".
 * The site's root ("/") keeps its slash.
 */
export function withoutTrailingSlash(url: string): string {
  const hash = url.indexOf('#');
  const path = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  return (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path) + fragment;
}

export interface SearchSettings {
  /** The site's base path, import.meta.env.BASE_URL. */
  base: string;
  /** True when the site links to pages without a trailing slash. */
  stripTrailingSlash: boolean;
  translations: Record<string, string>;
}

/** Pagefind UI options: Starlight's configuration first, then what this site needs. */
export function pagefindOptions(
  element: HTMLElement | string,
  settings: SearchSettings,
  userConfig: Record<string, unknown> = {},
): Record<string, unknown> & PagefindOptions {
  const link = settings.stripTrailingSlash ? withoutTrailingSlash : (url: string) => url;
  return {
    ...userConfig,
    element,
    baseUrl: settings.base,
    bundlePath: pagefindBundlePath(settings.base),
    showImages: false,
    showSubResults: true,
    translations: settings.translations,
    processResult: (result) => {
      result.url = link(result.url);
      for (const sub of result.sub_results ?? []) sub.url = link(sub.url);
    },
  };
}

/** The translations Search.astro put in a data attribute; nothing usable gives Pagefind's English. */
export function parseTranslations(json: string | undefined): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(json ?? '{}');
  } catch {
    return {};
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
