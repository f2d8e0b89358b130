// The docs site: Astro + Starlight, built to static files in dist/.
//
//   BASE_PATH=/sub/  serve the site under a sub-path (Astro's `base`);
//   SITE_URL=https://example.org  absolute URL for the sitemap and canonical links.
//
// The Reference part of the sidebar lists every definition of the QAPI
// schema in content/qapi, read here so the menu cannot drift from the pages.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { referenceSidebar } from './src/components/data/reference-sidebar.ts';
import { monacoCssOnDemand } from './src/ui/editor/monaco-css-plugin.ts';
import { pagefindSettings } from './src/components/data/search-tiers.ts';
import { secondarySearchIndex } from './src/integrations/secondary-search-index.ts';
import { cspSettings } from './src/integrations/csp.ts';

const base = process.env.BASE_PATH || '/';
const qapiDir = new URL('./content/qapi/', import.meta.url);
const guidedDir = new URL('./content/scenarios/', import.meta.url);

/** Guided scenarios (content/scenarios), listed once the folder has any. */
function guidedSidebar() {
  const files = existsSync(guidedDir) ? readdirSync(guidedDir).filter((f) => f.endsWith('.json')).sort() : [];
  if (files.length === 0) return [];
  const items = files.map((f) => {
    const id = f.replace(/\.json$/, '');
    const title = JSON.parse(readFileSync(new URL(f, guidedDir), 'utf8')).title;
    return { label: typeof title === 'string' ? title : id, link: `/scenarios/${id}/` };
  });
  return [{ label: 'Scenarios', collapsed: true, items: [{ label: 'All scenarios', link: '/scenarios/' }, ...items] }];
}

export default defineConfig({
  // Monaco's styles load with the editor, not with the simulator page.
  vite: { plugins: [monacoCssOnDemand()] },
  base,
  site: process.env.SITE_URL || undefined,
  trailingSlash: 'always',
  // A Content-Security-Policy meta tag on every page (src/integrations/csp.ts).
  security: { csp: cspSettings() },
  build: { format: 'directory' },
  integrations: [
    starlight({
      title: 'Netdev Stream Lab',
      description:
        "Learn, document and test how QEMU's -netdev stream backend connects, disconnects and reports it over QMP.",
      customCss: ['./src/styles/site.css'],
      // Search ranks prose first: see src/components/data/search-tiers.ts.
      pagefind: pagefindSettings(base),
      routeMiddleware: './src/route-data.ts',
      components: {
        Search: './src/components/Search.astro',
        PageTitle: './src/components/PageTitle.astro',
      },
      lastUpdated: false,
      pagination: true,
      sidebar: [
        { label: 'Guides', items: [{ autogenerate: { directory: 'guides' } }] },
        ...guidedSidebar(),
        referenceSidebar((file) => readFileSync(new URL(file, qapiDir), 'utf8')),
        { label: 'Verified against QEMU', link: '/verified/' },
        { label: 'Simulator', link: '/simulator/' },
      ],
    }),
    secondarySearchIndex(),
  ],
});
