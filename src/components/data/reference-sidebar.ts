/**
 * The Reference group of the sidebar: an overview link, then one collapsed
 * group per kind (Events, Commands, Types) listing every definition.
 * Called by astro.config.mjs, which passes a file reader over content/qapi.
 */
import type { ReadFile } from '../../qapi/index.ts';
import { GROUP_ORDER, GROUP_TITLES, groupedDefinitions, loadSiteSchema, referencePath } from './reference-index.ts';

export function referenceSidebar(readFile: ReadFile) {
  const groups = groupedDefinitions(loadSiteSchema(readFile));
  return {
    label: 'Reference',
    items: [
      { label: 'Overview', link: '/reference/' },
      ...GROUP_ORDER.map((g) => ({
        label: GROUP_TITLES[g],
        collapsed: g === 'types',
        items: groups[g].map((d) => ({ label: d.name, link: referencePath(d.meta, d.name) })),
      })),
    ],
  };
}
