/**
 * Builds the secondary search index (see src/components/data/search-tiers.ts)
 * after Starlight has built the main one: every page under /verified/,
 * /scenarios/ and /simulator/, read from its <main> element. Those pages carry
 * no data-pagefind-body (src/route-data.ts turns Starlight's indexing off for
 * them), so the main index leaves them out.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';
import { SECONDARY_BUNDLE_DIR, SECONDARY_SECTIONS } from '../components/data/search-tiers.ts';

function check<T extends { errors: string[] }>(what: string, r: T): T {
  if (r.errors.length > 0) throw new Error(`Pagefind (${what}): ${r.errors.join('; ')}`);
  return r;
}

export function secondarySearchIndex(): AstroIntegration {
  return {
    name: 'nsl:secondary-search-index',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const site = fileURLToPath(dir);
        try {
          const { index } = check('create', await pagefind.createIndex({ rootSelector: 'main' }));
          if (!index) throw new Error('Pagefind created no index');
          const glob = `{${SECONDARY_SECTIONS.join(',')}}/**/*.html`;
          const { page_count } = check('add', await index.addDirectory({ path: site, glob }));
          if (page_count === 0) throw new Error(`no pages matched ${glob} in ${site}`);
          check('write', await index.writeFiles({ outputPath: fileURLToPath(new URL(`./${SECONDARY_BUNDLE_DIR}/`, dir)) }));
          logger.info(`Secondary search index: ${page_count} pages (recordings, scenarios, simulator).`);
        } finally {
          await pagefind.close();
        }
      },
    },
  };
}
