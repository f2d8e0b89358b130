/// <reference types="astro/client" />
/**
 * Content collections of the docs site.
 *
 * - docs: our hand-written pages in src/content/docs (Starlight's place).
 * - scenarios: the guided scenarios in content/scenarios/*.json (scenario
 *   v1 with a Markdown `description`), when that folder exists. Each
 *   description is rendered here so its page can show it; the scenario
 *   itself is run by the engine on the page.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { defineCollection } from 'astro:content';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import type { Loader } from 'astro/loaders';

const guidedDir = new URL('../content/scenarios/', import.meta.url);

const guidedScenarios: Loader = {
  name: 'netdev-lab-guided-scenarios',
  // eslint-disable-next-line @typescript-eslint/unbound-method -- Astro documents its loader context for destructuring
  async load({ store, renderMarkdown, generateDigest, logger }) {
    store.clear();
    if (!existsSync(guidedDir)) {
      logger.info('content/scenarios does not exist yet: no guided scenario pages');
      return;
    }
    const files = readdirSync(guidedDir).filter((f) => f.endsWith('.json')).sort();
    for (const f of files) {
      const text = readFileSync(new URL(f, guidedDir), 'utf8');
      const data = JSON.parse(text) as Record<string, unknown>;
      const description = typeof data.description === 'string' ? data.description : '';
      store.set({
        id: f.replace(/\.json$/, ''),
        data: { file: `content/scenarios/${f}`, title: typeof data.title === 'string' ? data.title : f, qemu: data.qemu },
        digest: generateDigest(text),
        rendered: await renderMarkdown(description),
      });
    }
  },
};

export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }),
  scenarios: defineCollection({ loader: guidedScenarios }),
};
