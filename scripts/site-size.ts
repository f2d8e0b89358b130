/**
 * How much JavaScript each kind of docs page makes the browser load before
 * the reader does anything, measured in Chromium on the built site: every
 * JavaScript file the page fetches from navigation until the network has
 * been quiet for 1.5 s (so code fetched when the browser is idle counts),
 * plus its inline scripts, gzipped at level 9 (scripts/page-js.ts).
 *
 * Every page of each type is measured; the heaviest counts. On that page
 * the search is then opened, to show what it costs when it is wanted.
 *
 *   npm run build && node --import tsx scripts/site-size.ts [DIST] [--base /sub/] [--json]
 *
 * Page types: home (/), guide (/guides/...), reference (/reference/...)
 * and verified (/verified/...).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser.ts';
import { serveDirectory } from '../test/support/site.ts';
import { inlineScripts, kb, recordScripts, totalGzip, type ScriptLoad } from './page-js.ts';

export const BUDGET_BYTES = 10 * 1024;

export type PageType = 'home' | 'guide' | 'reference' | 'verified';
export const PAGE_TYPES: readonly PageType[] = ['home', 'guide', 'reference', 'verified'];

/** Pages measured at once; each waits 1.5 s of quiet, mostly idle. */
const CONCURRENCY = 6;

export interface PageCost {
  /** Site path without the base, e.g. "/guides/events/". */
  page: string;
  type: PageType | null;
  /** Files in the order they arrived, then inline scripts. */
  scripts: ScriptLoad[];
  gzip: number;
}

export interface TypeReport {
  type: PageType;
  pages: number;
  heaviest: PageCost;
  /** JavaScript the heaviest page fetches when the reader opens the search. */
  search: { scripts: ScriptLoad[]; gzip: number };
}

export function pageType(page: string): PageType | null {
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

/** Opens the search with its button and waits for Pagefind's search box. */
export async function openSearch(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('dialog', { name: 'Search' }).getByRole('search').getByRole('textbox').waitFor();
}

/**
 * Loads `page` of the site served at `siteUrl` (which ends with the base) in
 * a fresh context, so nothing is cached, and measures it before interaction;
 * with `search`, then opens the search and measures what that fetches.
 */
export async function measurePage(
  browser: Browser,
  siteUrl: string,
  page: string,
  opts: { search?: boolean } = {},
): Promise<PageCost & { search?: ScriptLoad[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const tab = await context.newPage();
    const recorder = recordScripts(tab);
    await tab.goto(siteUrl.replace(/\/$/, '') + page);
    await recorder.settle();
    const scripts = [...recorder.loads, ...(await inlineScripts(tab))];
    const cost = { page, type: pageType(page), scripts, gzip: totalGzip(scripts) };
    if (!opts.search) return cost;
    const mark = recorder.loads.length;
    await openSearch(tab);
    await recorder.settle();
    return { ...cost, search: recorder.since(mark) };
  } finally {
    await context.close();
  }
}

/** Runs `task` over `items`, `limit` at a time, keeping the order of `items`. */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** For each page type, how many pages it has, its heaviest page and what opening the search there costs. */
export async function measureSite(
  dist: string,
  base = '/',
  browser?: Browser,
  opts: { onePerType?: boolean } = {},
): Promise<TypeReport[]> {
  let pages = htmlPages(dist).filter((p) => pageType(p) !== null);
  // Pages of one type load the same scripts; a second build can be sampled.
  if (opts.onePerType) pages = PAGE_TYPES.map((t) => pages.find((p) => pageType(p) === t)).filter((p) => p !== undefined);
  const server = await serveDirectory(dist, base);
  const ownBrowser = browser ? null : await launchBrowser();
  const b = browser ?? ownBrowser!;
  try {
    const costs = await pool(pages, CONCURRENCY, (p) => measurePage(b, server.url, p));
    return await Promise.all(
      PAGE_TYPES.map(async (type) => {
        const ofType = costs.filter((c) => c.type === type);
        if (ofType.length === 0) throw new Error(`no ${type} page in ${dist}`);
        const heaviest = ofType.reduce((a, c) => (c.gzip > a.gzip ? c : a));
        const withSearch = await measurePage(b, server.url, heaviest.page, { search: true });
        const search = withSearch.search ?? [];
        return { type, pages: ofType.length, heaviest, search: { scripts: search, gzip: totalGzip(search) } };
      }),
    );
  } finally {
    await ownBrowser?.close();
    await server.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const baseAt = argv.indexOf('--base');
  const base = baseAt >= 0 ? argv[baseAt + 1]! : (process.env.BASE_PATH ?? '/');
  const positional = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--base');
  const dist = resolve(positional[0] ?? 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    console.error(`${dist} has no index.html: run npm run build first`);
    return 2;
  }
  const report = await measureSite(dist, base.endsWith('/') ? base : `${base}/`);
  if (json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`JavaScript loaded before interaction in Chromium, gzipped (budget ${kb(BUDGET_BYTES)} per page):\n`);
    for (const r of report) {
      const verdict = r.heaviest.gzip <= BUDGET_BYTES ? 'ok' : 'OVER BUDGET';
      console.log(`${r.type.padEnd(10)} ${kb(r.heaviest.gzip).padStart(8)}  ${verdict}  heaviest of ${r.pages}: ${r.heaviest.page}`);
      for (const s of r.heaviest.scripts) console.log(`             ${kb(s.gzip).padStart(8)}  ${s.path}`);
      console.log(`           then, on opening the search: ${kb(r.search.gzip)} more`);
      for (const s of r.search.scripts) console.log(`             ${kb(s.gzip).padStart(8)}  ${s.path}`);
    }
  }
  return report.every((r) => r.heaviest.gzip <= BUDGET_BYTES) ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main(process.argv.slice(2)));
