/**
 * Starlight route middleware (astro.config.mjs `routeMiddleware`), run for
 * every page before it renders:
 *
 * - pages of the secondary search index (recordings, scenarios, simulator;
 *   src/components/data/search-tiers.ts) are left out of Starlight's index;
 * - sidebar labels that are long identifiers may wrap after an underscore
 *   (NETDEV_STREAM_/DISCONNECTED) or between CamelCase words instead of
 *   anywhere; a zero-width space marks the place, because a label is text,
 *   not HTML.
 */
import { defineRouteMiddleware, type StarlightRouteData } from '@astrojs/starlight/route-data';
import { withIdentifierBreaks } from './components/data/break-points.ts';
import { inSecondaryIndex, withoutBase } from './components/data/search-tiers.ts';

type SidebarEntry = StarlightRouteData['sidebar'][number];

function breakLabels(entries: SidebarEntry[]): void {
  for (const e of entries) {
    if (e.type === 'link') e.label = withIdentifierBreaks(e.label);
    else breakLabels(e.entries);
  }
}

export const onRequest = defineRouteMiddleware((context) => {
  // Typed by Starlight's global App.Locals in Astro's own type check; plain tsc does not load that file.
  const route = (context.locals as { starlightRoute: StarlightRouteData }).starlightRoute;
  if (inSecondaryIndex(withoutBase(context.url.pathname, import.meta.env.BASE_URL))) (route.entry as { data: { pagefind?: boolean } }).data.pagefind = false;
  breakLabels(route.sidebar);
});
