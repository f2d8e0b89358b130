/**
 * What the search dialog hands to Pagefind (src/ui/search/options.ts) and
 * its keyboard shortcut (src/ui/search/shortcut.ts), checked in Node.
 */
import { describe, expect, it } from 'vitest';
import {
  pagefindBundlePath,
  pagefindOptions,
  pagefindTranslations,
  parseTranslations,
  withoutTrailingSlash,
  type PagefindResult,
} from '../../src/ui/search/options.ts';
import { isSearchShortcut } from '../../src/ui/search/shortcut.ts';

describe("Pagefind's strings", () => {
  it("use Starlight's search label as the placeholder and every pagefind.* string under its own key", () => {
    const strings = {
      'search.label': 'Suchen',
      'pagefind.clear_search': 'Löschen',
      'pagefind.zero_results': 'Keine Ergebnisse für [SEARCH_TERM]',
      'themeSelect.dark': 'Dunkel',
      'pagefind.': 'no key',
    };
    expect(pagefindTranslations('Suchen', strings)).toEqual({
      placeholder: 'Suchen',
      clear_search: 'Löschen',
      zero_results: 'Keine Ergebnisse für [SEARCH_TERM]',
    });
  });

  it('survive the trip through the data attribute, and anything unusable there gives Pagefind its own English', () => {
    const t = { placeholder: 'Search', load_more: 'More' };
    expect(parseTranslations(JSON.stringify(t))).toEqual(t);
    expect(parseTranslations(undefined)).toEqual({});
    expect(parseTranslations('{not json')).toEqual({});
    expect(parseTranslations('["placeholder"]')).toEqual({});
    expect(parseTranslations('null')).toEqual({});
    expect(parseTranslations('{"placeholder": 3, "load_more": "More"}')).toEqual({ load_more: 'More' });
  });
});

describe('links in results', () => {
  it('find the Pagefind bundle under the base path', () => {
    expect(pagefindBundlePath('/')).toBe('/pagefind/');
    expect(pagefindBundlePath('/sub/')).toBe('/sub/pagefind/');
    expect(pagefindBundlePath('/sub')).toBe('/sub/pagefind/');
  });

  it('lose their trailing slash, before any fragment, except the root', () => {
    expect(withoutTrailingSlash('/sub/guides/reconnect/')).toBe('/sub/guides/reconnect');
    expect(withoutTrailingSlash('/sub/guides/reconnect/#reconnect-ms')).toBe('/sub/guides/reconnect#reconnect-ms');
    expect(withoutTrailingSlash('/guides/x#a/')).toBe('/guides/x#a/');
    expect(withoutTrailingSlash('/')).toBe('/');
    expect(withoutTrailingSlash('/#top')).toBe('/#top');
  });

  it('are rewritten, page and sections, only for a site without trailing slashes', () => {
    const result = (): PagefindResult => ({ url: '/sub/a/', sub_results: [{ url: '/sub/a/#b' }, { url: '/sub/a/#c' }] });
    const strip = pagefindOptions('#x', { base: '/sub/', stripTrailingSlash: true, translations: {} });
    const r1 = result();
    strip.processResult(r1);
    expect(r1).toEqual({ url: '/sub/a', sub_results: [{ url: '/sub/a#b' }, { url: '/sub/a#c' }] });
    const keep = pagefindOptions('#x', { base: '/sub/', stripTrailingSlash: false, translations: {} });
    const r2 = result();
    keep.processResult(r2);
    expect(r2).toEqual(result());
  });
});

describe('Pagefind options', () => {
  it("start from Starlight's pagefind settings, which cannot move the bundle or the element", () => {
    const user = { ranking: { termFrequency: 0.5 }, bundlePath: '/elsewhere/', element: '#other', showImages: true };
    const o = pagefindOptions('#starlight__search', { base: '/sub/', stripTrailingSlash: false, translations: { placeholder: 'Search' } }, user);
    expect(o).toMatchObject({
      ranking: { termFrequency: 0.5 },
      element: '#starlight__search',
      baseUrl: '/sub/',
      bundlePath: '/sub/pagefind/',
      showImages: false,
      showSubResults: true,
      translations: { placeholder: 'Search' },
    });
  });
});

describe('the keyboard shortcut', () => {
  const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  });

  it('is Ctrl+K or Cmd+K, Caps Lock or not', () => {
    expect(isSearchShortcut(key('k', { ctrlKey: true }))).toBe(true);
    expect(isSearchShortcut(key('k', { metaKey: true }))).toBe(true);
    expect(isSearchShortcut(key('K', { ctrlKey: true }))).toBe(true);
  });

  it('is not K alone, another letter, or K with Alt or Shift', () => {
    expect(isSearchShortcut(key('k'))).toBe(false);
    expect(isSearchShortcut(key('j', { ctrlKey: true }))).toBe(false);
    expect(isSearchShortcut(key('k', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(isSearchShortcut(key('K', { ctrlKey: true, shiftKey: true }))).toBe(false);
  });
});
