/**
 * The site search ranks prose first. Guides, the reference and the home page
 * are indexed by Starlight's Pagefind run (dist/pagefind/); pages built around
 * recordings, guided scenarios and the simulator go into a second index
 * (dist/pagefind-secondary/) that the search dialog merges with a tiny
 * weight, so every guide or reference result comes before any of them.
 *
 * Element weights alone cannot do this: Pagefind adds a boost for a query
 * word found in a page's title, and it outweighs any body text, so
 * "02-server-unix-two-clients-backlog" or "A second client waits in the
 * kernel's backlog" would always beat the guide that explains the backlog.
 * The secondary pages stay findable by their titles and prose.
 */

/** Site paths (without the base) of the pages in the secondary index. */
export const SECONDARY_SECTIONS = ['verified', 'scenarios', 'simulator'] as const;

/** Where the secondary index is written, under the site's root. */
export const SECONDARY_BUNDLE_DIR = 'pagefind-secondary';

/**
 * Scale of secondary scores. Pagefind's scores for this site stay below 100
 * and a matching guide or reference page scores above 0.01 (measured), so a
 * factor of 1/10,000 puts every secondary result after every primary one.
 */
export const SECONDARY_INDEX_WEIGHT = 0.0001;

/** True for a site path (base removed, "/verified/x/") whose page belongs to the secondary index. */
export function inSecondaryIndex(path: string): boolean {
  return SECONDARY_SECTIONS.some((s) => path === `/${s}/` || path.startsWith(`/${s}/`));
}

/** `path` without the site's base ("/sub/guides/x/" -> "/guides/x/" when base is "/sub/"). */
export function withoutBase(path: string, base: string): string {
  const b = base.replace(/\/$/, '');
  return b && (path === b || path.startsWith(`${b}/`)) ? path.slice(b.length) || '/' : path;
}

/** Starlight's `pagefind` setting: its own ranking defaults, plus the secondary index merged in. */
export function pagefindSettings(base: string) {
  const root = base.endsWith('/') ? base : `${base}/`;
  return {
    mergeIndex: [{ bundlePath: `${root}${SECONDARY_BUNDLE_DIR}/`, baseUrl: root, indexWeight: SECONDARY_INDEX_WEIGHT }],
  };
}
