/**
 * How much JavaScript each kind of docs page makes the browser load before
 * the reader does anything: the page's <script> tags (external and
 * inline) and <link rel="modulepreload">, plus every module those import
 * statically, followed transitively. Dynamic import() is left out: that
 * code loads on interaction (Pagefind's UI, for instance, when search
 * opens). Sizes are gzip level 9 per file, as a server would send them.
 *
 *   npm run build && node --import tsx scripts/site-size.ts [DIST] [--base /sub/] [--json]
 *
 * Page types: home (/), guide (/guides/...), reference (/reference/...)
 * and verified (/verified/...). For each type the heaviest page counts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 10 * 1024;

export type PageType = 'home' | 'guide' | 'reference' | 'verified';
export const PAGE_TYPES: readonly PageType[] = ['home', 'guide', 'reference', 'verified'];

export interface ScriptCost {
  /** Site path of the file, or "inline #n" for a script in the HTML. */
  name: string;
  bytes: number;
  gzip: number;
}

export interface PageCost {
  /** Site path without the base, e.g. "/guides/events/". */
  page: string;
  type: PageType | null;
  scripts: ScriptCost[];
  gzip: number;
}

const gz = (text: string | Buffer) => gzipSync(text, { level: 9 }).length;

/** Attribute value of one tag, entities for quotes and ampersands decoded. */
function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (!m) return null;
  const v = m[2] ?? m[3] ?? m[4] ?? '';
  return v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Static imports of an ES module: `import x from "./a.js"`, `import "./b.js"`, `export * from "./c.js"`. */
export function staticImports(code: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[;\s}\)])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g;
  for (const m of code.matchAll(re)) out.push(m[1]!);
  return out;
}

function typeOf(page: string): PageType | null {
  if (page === '/') return 'home';
  if (page.startsWith('/guides/')) return 'guide';
  if (page.startsWith('/reference/')) return 'reference';
  if (page.startsWith('/verified/')) return 'verified';
  return null;
}

/** Every HTML file under `dist`, as site paths ("/", "/guides/events/", "/404.html"). */
export function htmlPages(dist: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.html')) {
        const rel = `/${relative(dist, p).split(sep).join('/')}`;
        out.push(rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel);
      }
    }
  };
  walk(dist);
  return out.sort();
}

function htmlFile(dist: string, page: string): string {
  return page.endsWith('/') ? join(dist, page, 'index.html') : join(dist, page);
}

/** The JS one page loads before interaction. `base` is the site's base path ("/" or "/sub/"). */
export function measurePage(dist: string, page: string, base = '/'): PageCost {
  const html = readFileSync(htmlFile(dist, page), 'utf8');
  const scripts: ScriptCost[] = [];
  const seen = new Set<string>();
  const pageUrl = new URL(`${base.replace(/\/$/, '')}${page}`, 'http://site.invalid');

  const load = (url: URL) => {
    if (url.origin !== pageUrl.origin) return;
    const path = url.pathname;
    if (seen.has(path)) return;
    seen.add(path);
    if (!path.startsWith(base)) throw new Error(`${page}: script ${path} is outside the base path ${base}`);
    const file = join(dist, path.slice(base.length));
    if (!existsSync(file)) throw new Error(`${page}: script ${path} does not exist in ${dist}`);
    const code = readFileSync(file, 'utf8');
    scripts.push({ name: path.slice(base.length - 1), bytes: Buffer.byteLength(code), gzip: gz(code) });
    for (const spec of staticImports(code)) load(new URL(spec, url));
  };

  let inline = 0;
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const tag = `<script${m[1]}>`;
    const type = (attr(tag, 'type') ?? '').toLowerCase();
    if (type !== '' && type !== 'module' && type !== 'text/javascript') continue; // JSON data, not code
    const src = attr(tag, 'src');
    if (src) {
      load(new URL(src, pageUrl));
      continue;
    }
    const code = m[2]!;
    if (code.trim() === '') continue;
    inline++;
    scripts.push({ name: `inline #${inline}`, bytes: Buffer.byteLength(code), gzip: gz(code) });
    if (type === 'module') for (const spec of staticImports(code)) load(new URL(spec, pageUrl));
  }
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    if ((attr(m[0], 'rel') ?? '').toLowerCase() !== 'modulepreload') continue;
    const href = attr(m[0], 'href');
    if (href) load(new URL(href, pageUrl));
  }
  return { page, type: typeOf(page), scripts, gzip: scripts.reduce((n, s) => n + s.gzip, 0) };
}

export interface TypeReport {
  type: PageType;
  pages: number;
  heaviest: PageCost;
}

/** For each page type, how many pages it has and its heaviest page. */
export function measureSite(dist: string, base = '/'): TypeReport[] {
  const costs = htmlPages(dist).map((p) => measurePage(dist, p, base));
  return PAGE_TYPES.map((type) => {
    const ofType = costs.filter((c) => c.type === type);
    if (ofType.length === 0) throw new Error(`no ${type} page in ${dist}`);
    const heaviest = ofType.reduce((a, b) => (b.gzip > a.gzip ? b : a));
    return { type, pages: ofType.length, heaviest };
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;

function main(argv: string[]): number {
  const json = argv.includes('--json');
  const baseAt = argv.indexOf('--base');
  const base = baseAt >= 0 ? argv[baseAt + 1]! : (process.env.BASE_PATH ?? '/');
  const positional = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--base');
  const dist = resolve(positional[0] ?? 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    console.error(`${dist} has no index.html: run npm run build first`);
    return 2;
  }
  const report = measureSite(dist, base.endsWith('/') ? base : `${base}/`);
  if (json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`JavaScript loaded before interaction, gzipped (budget ${kb(BUDGET_BYTES)} per page):\n`);
    for (const r of report) {
      const verdict = r.heaviest.gzip <= BUDGET_BYTES ? 'ok' : 'OVER BUDGET';
      console.log(`${r.type.padEnd(10)} ${kb(r.heaviest.gzip).padStart(9)}  ${verdict}  heaviest of ${r.pages}: ${r.heaviest.page}`);
      for (const s of r.heaviest.scripts) console.log(`             ${kb(s.gzip).padStart(9)}  ${s.name}`);
    }
  }
  return report.every((r) => r.heaviest.gzip <= BUDGET_BYTES) ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main(process.argv.slice(2)));
