/**
 * What the simulator costs a reader, measured in Chromium on the built site:
 *
 * - the JavaScript the simulator page loads before any interaction: every
 *   script response until the network has been idle for a while (so code
 *   the page fetches on its own when idle, such as Starlight's search UI,
 *   counts too), gzipped at level 9 as a server would send it;
 * - that Monaco is not among it, and that it is fetched once the reader
 *   opens the editor;
 * - the same before-interaction figure for a docs page that embeds players,
 *   and that the player's code arrives only when a player comes into view.
 *
 *   node --import tsx scripts/sim-size.ts [--json]
 *
 * Builds dist/ first when it is missing or stale (test/support/site.ts).
 */
import { gzipSync } from 'node:zlib';
import type { Browser, Page, Response } from 'playwright-core';
import { launchBrowser } from '../test/support/browser.ts';
import { serveSite } from '../test/support/site.ts';

/** The simulator page's budget before interaction, gzipped. */
export const SIMULATOR_BUDGET = 50 * 1024;
/** A docs page's budget before interaction, gzipped (the docs site's own budget). */
export const DOCS_BUDGET = 10 * 1024;

export interface ScriptLoad {
  path: string;
  gzip: number;
}

export interface SizeReport {
  simulator: {
    beforeInteraction: ScriptLoad[];
    gzip: number;
    /** Monaco's files among the scripts loaded before interaction (should be none). */
    monacoBefore: string[];
    /** Monaco's files fetched after "Edit scenario as JSON". */
    monacoAfterOpening: ScriptLoad[];
  };
  docs: {
    page: string;
    beforeInteraction: ScriptLoad[];
    gzip: number;
    /** Starlight's search UI, which Starlight fetches by itself when the browser is idle. */
    idleSearchUi: number;
    playerBefore: string[];
    playerAfterInView: ScriptLoad[];
  };
}

/** Monaco's own files: the editor module and its workers. */
export const isMonaco = (path: string) => /\/(scenario-editor|editor\.worker|json\.worker|jsonMode)[.-][\w-]+\.js$/.test(path);
export const isPlayer = (path: string) => /\/player\.[\w-]+\.js$/.test(path);
export const isSearchUi = (path: string) => /\/ui-core\.[\w-]+\.js$/.test(path);

/** Records every JavaScript response of a page, in order, with its gzipped size. */
function recordScripts(page: Page): { loads: ScriptLoad[]; done(): Promise<unknown> } {
  const loads: ScriptLoad[] = [];
  const pending: Promise<unknown>[] = [];
  page.on('response', (r: Response) => {
    const url = new URL(r.url());
    const type = r.headers()['content-type'] ?? '';
    if (!/javascript/.test(type) && !url.pathname.endsWith('.js')) return;
    // A file fetched twice (a worker script, say) counts once.
    if (loads.some((l) => l.path === url.pathname)) return;
    const load = { path: url.pathname, gzip: 0 };
    loads.push(load);
    pending.push(
      r
        .body()
        .then((body) => {
          load.gzip = gzipSync(body, { level: 9 }).length;
        })
        .catch(() => undefined),
    );
  });
  return { loads, done: () => Promise.all(pending) };
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  // Let requestIdleCallback work (Starlight's search UI) start and finish.
  await page.waitForTimeout(1500);
  await page.waitForLoadState('networkidle');
}

const sum = (xs: ScriptLoad[]) => xs.reduce((n, x) => n + x.gzip, 0);

export async function measure(browser: Browser, baseUrl: string, docsPage = '/guides/events/'): Promise<SizeReport> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const sim = await context.newPage();
    const simRec = recordScripts(sim);
    const simLoads = simRec.loads;
    await sim.goto(`${baseUrl}/simulator/`);
    await settle(sim);
    const before = [...simLoads];
    await sim.getByRole('button', { name: 'Edit scenario as JSON' }).click();
    await sim.locator('.monaco-editor').waitFor({ timeout: 60_000 });
    await settle(sim);
    await simRec.done();
    const after = simLoads.slice(before.length);

    const docs = await context.newPage();
    const docsRec = recordScripts(docs);
    const docsLoads = docsRec.loads;
    await docs.goto(`${baseUrl}${docsPage}`);
    await settle(docs);
    const docsBefore = [...docsLoads];
    const summary = docs.locator('.nsl-player-slot summary').first();
    await summary.scrollIntoViewIfNeeded();
    await summary.click();
    await docs.locator('.nsl-player-slot nsl-player.nsl-live').first().waitFor();
    await settle(docs);
    await docsRec.done();
    const docsAfter = docsLoads.slice(docsBefore.length);

    const idle = docsBefore.filter((s) => isSearchUi(s.path));
    return {
      simulator: {
        beforeInteraction: before,
        gzip: sum(before),
        monacoBefore: before.filter((s) => isMonaco(s.path)).map((s) => s.path),
        monacoAfterOpening: after.filter((s) => isMonaco(s.path)),
      },
      docs: {
        page: docsPage,
        beforeInteraction: docsBefore,
        gzip: sum(docsBefore) - sum(idle),
        idleSearchUi: sum(idle),
        playerBefore: docsBefore.filter((s) => isPlayer(s.path)).map((s) => s.path),
        playerAfterInView: docsAfter.filter((s) => isPlayer(s.path)),
      },
    };
  } finally {
    await context.close();
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(argv: string[]): Promise<number> {
  const site = await serveSite();
  const browser = await launchBrowser();
  try {
    const r = await measure(browser, site.url);
    if (argv.includes('--json')) {
      console.log(JSON.stringify(r, null, 2));
    } else {
      console.log(`Simulator page, JavaScript before any interaction: ${kb(r.simulator.gzip)} gzipped (budget ${kb(SIMULATOR_BUDGET)})`);
      for (const s of r.simulator.beforeInteraction) console.log(`  ${kb(s.gzip).padStart(8)}  ${s.path}${isSearchUi(s.path) ? '  (Starlight search UI, fetched when idle)' : ''}`);
      console.log(`Monaco before opening the editor: ${r.simulator.monacoBefore.length === 0 ? 'none' : r.simulator.monacoBefore.join(', ')}`);
      console.log(`Monaco fetched after "Edit scenario as JSON": ${kb(sum(r.simulator.monacoAfterOpening))} gzipped`);
      for (const s of r.simulator.monacoAfterOpening) console.log(`  ${kb(s.gzip).padStart(8)}  ${s.path}`);
      console.log(`\nDocs page ${r.docs.page}, JavaScript before any interaction: ${kb(r.docs.gzip)} gzipped (budget ${kb(DOCS_BUDGET)}), plus ${kb(r.docs.idleSearchUi)} of Starlight's search UI fetched when idle`);
      for (const s of r.docs.beforeInteraction) console.log(`  ${kb(s.gzip).padStart(8)}  ${s.path}`);
      console.log(`Player code before a player is in view: ${r.docs.playerBefore.length === 0 ? 'none' : r.docs.playerBefore.join(', ')}`);
      console.log(`Player code once a player is in view: ${kb(sum(r.docs.playerAfterInView))} gzipped`);
    }
    const ok =
      r.simulator.gzip <= SIMULATOR_BUDGET &&
      r.simulator.monacoBefore.length === 0 &&
      r.simulator.monacoAfterOpening.length > 0 &&
      r.docs.gzip <= DOCS_BUDGET &&
      r.docs.playerBefore.length === 0;
    return ok ? 0 : 1;
  } finally {
    await browser.close();
    await site.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main(process.argv.slice(2)));
