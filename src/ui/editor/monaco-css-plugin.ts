/**
 * Build step: Monaco's modules import their CSS, which Astro would link
 * from the simulator page's <head> (about 175 KB, fetched before anyone
 * opens the editor). This Vite plugin turns each of those imports into a
 * module that adds the CSS as a <style> element when the editor's code
 * runs, so Monaco's styles arrive with Monaco, on demand. Relative url()
 * references (the codicon font) become Vite asset imports.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Plugin } from 'vite';

// A virtual id Vite's CSS pipeline does not claim (it must not end in .css).
const PREFIX = '\0monaco-css:';
const SUFFIX = '.js';
const ADD_STYLE = new URL('./add-style.ts', import.meta.url).pathname;

export function monacoCssOnDemand(): Plugin {
  return {
    name: 'netdev-lab:monaco-css-on-demand',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith('.css') || !importer || !importer.includes('/node_modules/monaco-editor/')) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return resolved ? `${PREFIX}${resolved.id}${SUFFIX}` : null;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const file = id.slice(PREFIX.length, -SUFFIX.length);
      const css = readFileSync(file, 'utf8');
      const imports: string[] = [`import { addStyle } from ${JSON.stringify(ADD_STYLE)};`];
      const parts: string[] = [];
      let last = 0;
      for (const m of css.matchAll(/url\(\s*(['"]?)(\.{1,2}\/[^'")]+)\1\s*\)/g)) {
        const name = `asset${imports.length}`;
        imports.push(`import ${name} from ${JSON.stringify(`${resolve(dirname(file), m[2]!)}?url`)};`);
        parts.push(JSON.stringify(css.slice(last, m.index)), `"url(" + ${name} + ")"`);
        last = m.index + m[0].length;
      }
      parts.push(JSON.stringify(css.slice(last)));
      return `${imports.join('\n')}\naddStyle(${parts.join(' + ')});\n`;
    },
  };
}
