/**
 * The site's Content-Security-Policy, through Astro's built-in support
 * (`security.csp`): Astro writes a <meta http-equiv="content-security-policy">
 * into every page, with the hashes of the scripts it bundles and inlines.
 *
 * Scripts: only the site's own files ('self') and inline scripts by hash;
 * no 'unsafe-inline', no 'unsafe-eval'. 'wasm-unsafe-eval' lets Pagefind
 * (search) compile its WebAssembly. Scripts written `<script is:inline>`
 * (Starlight's theme and sidebar scripts, ours) are not Astro's to hash:
 * their hashes are computed here from the components' sources, and
 * test/site/csp.test.ts checks that every inline script of every built page
 * is covered.
 *
 * Styles may be inline ('unsafe-inline' for style-src): the player sets
 * positions in style attributes and Monaco adds its own style elements.
 *
 * A meta tag cannot carry frame-ancestors (nor report-to): README, "Hosting
 * the site", gives the response headers a host should add.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Where `<script is:inline>` code can come from: Starlight's components and ours. */
const SOURCE_DIRS = ['node_modules/@astrojs/starlight/dist/components', 'node_modules/@astrojs/starlight/dist/user-components', 'src'];

function astroFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...astroFiles(p));
    else if (e.name.endsWith('.astro')) out.push(p);
  }
  return out;
}

/** The code of every `<script is:inline>` in an Astro component that runs as JavaScript (data scripts have a type). */
export function inlineScripts(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attrs = m[1]!;
    if (!/\bis:inline\b/.test(attrs) || /\btype=/.test(attrs) || /\bset:html\b|\bdefine:vars\b/.test(attrs)) continue;
    out.push(m[2]!);
  }
  return out;
}

export const cspHash = (code: string) => `sha256-${createHash('sha256').update(code).digest('base64')}` as const;

/** Hashes of the inline scripts of Starlight's components and the site's own. */
export function inlineScriptHashes(): `sha256-${string}`[] {
  const hashes = new Set<`sha256-${string}`>();
  for (const dir of SOURCE_DIRS) {
    for (const file of astroFiles(join(root, dir))) for (const code of inlineScripts(readFileSync(file, 'utf8'))) hashes.add(cspHash(code));
  }
  return [...hashes];
}

/** The other directives, as the meta tag can carry them. */
export const CSP_DIRECTIVES = [
  "default-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
] as const;

/** Astro's `security.csp` setting. */
export function cspSettings() {
  return {
    algorithm: 'SHA-256' as const,
    directives: [...CSP_DIRECTIVES],
    scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"], hashes: inlineScriptHashes() },
    styleDirective: { resources: ["'self'", "'unsafe-inline'"] },
  };
}
