/**
 * The guided scenarios (content/scenarios) as the simulator's library:
 * one page each under /simulator/<name>/, the first one also at
 * /simulator/. The order teaches: a server first, then the rest by title.
 */
import type { Scenario } from '../../core/scenario/schema.ts';
import { GUIDED_FILES } from '../data/sources.ts';
import { withBase } from '../data/paths.ts';
import { readScenario } from '../data/runs.ts';

export const FIRST_SCENARIO = 'server-accepts-then-hangs-up';

export interface LibraryEntry {
  slug: string;
  file: string;
  title: string;
  href: string;
  scenario: Scenario;
}

export function library(): LibraryEntry[] {
  const entries = [...GUIDED_FILES.keys()]
    .filter((f) => /^content\/scenarios\/[^/]+\.json$/.test(f))
    .map((file) => {
      const slug = file.replace(/^.*\//, '').replace(/\.json$/, '');
      const scenario = readScenario(file);
      return { slug, file, title: scenario.title ?? slug, href: withBase(`/simulator/${slug}/`), scenario };
    });
  return entries.sort((a, b) => (a.slug === FIRST_SCENARIO ? -1 : b.slug === FIRST_SCENARIO ? 1 : a.title.localeCompare(b.title)));
}
