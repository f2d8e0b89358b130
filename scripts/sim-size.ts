/**
 * What the simulator costs a reader, measured in Chromium on the built site
 * (scripts/page-js.ts says how: every JavaScript file fetched, and the
 * inline scripts, gzipped at level 9):
 *
 * - the JavaScript the simulator page loads before any interaction, from
 *   navigation until the network has been quiet for 1.5 s, so code a page
 *   fetches on its own when idle counts too;
 * - that neither Monaco nor the engine worker is among it, and that both
 *   are fetched once the reader opens the editor;
 * - that Pagefind's search UI is not among it, and what opening the search
 *   fetches;
 * - the same before-interaction figure for a docs page that embeds players,
 *   and that the player's code arrives only when a player comes into view.
 *
 *   node --import tsx scripts/sim-size.ts [--json]
 *
 * Builds dist/ first when it is missing or stale (test/support/site.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser.ts';
import { serveSite } from '../test/support/site.ts';
import { inlineScripts, kb, recordScripts, totalGzip, type ScriptLoad, type ScriptRecorder } from './page-js.ts';
import { openSearch } from './site-size.ts';

export type { ScriptLoad } from './page-js.ts';

/** The simulator page's budget before interaction, gzipped. */
export const SIMULATOR_BUDGET = 50 * 1024;
/** A docs page's budget before interaction, gzipped (the docs site's own budget). */
export const DOCS_BUDGET = 10 * 1024;

export interface SizeReport {
  simulator: {
    beforeInteraction: ScriptLoad[];
    gzip: number;
    /** Monaco's files and the engine worker among the scripts loaded before interaction (should be none). */
    monacoBefore: string[];
    engineBefore: string[];
    /** Pagefind's files among them (should be none). */
    searchBefore: string[];
    /** Fetched on opening the search. */
    searchAfterOpening: ScriptLoad[];
    /** Fetched after "Edit scenario as JSON". */
    monacoAfterOpening: ScriptLoad[];
    engineAfterOpening: ScriptLoad[];
  };
  docs: {
    page: string;
    beforeInteraction: ScriptLoad[];
    gzip: number;
    playerBefore: string[];
    engineBefore: string[];
    searchBefore: string[];
    playerAfterInView: ScriptLoad[];
    /** Everything fetched once a player came into view (its chunk and what it imports). */
    allAfterInView: ScriptLoad[];
    searchAfterOpening: ScriptLoad[];
  };
}

/** Monaco's own files: the editor module and its workers. */
export const isMonaco = (path: string) => /\/(scenario-editor|editor\.worker|json\.worker|jsonMode)[.-][\w-]+\.js$/.test(path);
export const isEngineWorker = (path: string) => /\/engine\.worker-[\w-]+\.js$/.test(path);
export const isPlayer = (path: string) => /\/player\.[\w-]+\.js$/.test(path);
/** Pagefind's UI (our lazy chunk, src/ui/search/pagefind-ui.ts) and Pagefind's own search scripts. */
export const isSearchUi = (path: string) => /\/pagefind-ui\.[\w-]+\.js$/.test(path);
export const isPagefind = (path: string) => isSearchUi(path) || /\/pagefind\/[^/]+\.js$/.test(path);

const paths = (loads: ScriptLoad[], which: (path: string) => boolean) => loads.filter((l) => which(l.path)).map((l) => l.path);

/** Opens the search, measures what that fetches, and closes it again. */
async function searchCost(page: Page, recorder: ScriptRecorder): Promise<ScriptLoad[]> {
  const mark = recorder.loads.length;
  await openSearch(page);
  await recorder.settle();
  await page.keyboard.press('Escape');
  return recorder.since(mark);
}

export async function measure(browser: Browser, baseUrl: string, docsPage = '/guides/events/'): Promise<SizeReport> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const sim = await context.newPage();
    const simRec = recordScripts(sim);
    await sim.goto(`${baseUrl}/simulator/`);
    await simRec.settle();
    const before = [...simRec.loads, ...(await inlineScripts(sim))];
    const simSearch = await searchCost(sim, simRec);
    const editorMark = simRec.loads.length;
    await sim.getByRole('button', { name: 'Edit scenario as JSON' }).click();
    await sim.locator('.monaco-editor').waitFor({ timeout: 60_000 });
    await simRec.settle(60_000);
    const afterEditor = simRec.since(editorMark);

    const docs = await context.newPage();
    const docsRec = recordScripts(docs);
    await docs.goto(`${baseUrl}${docsPage}`);
    await docsRec.settle();
    const docsBefore = [...docsRec.loads, ...(await inlineScripts(docs))];
    const playerMark = docsRec.loads.length;
    const summary = docs.locator('.nsl-player-slot summary').first();
    await summary.scrollIntoViewIfNeeded();
    await summary.click();
    await docs.locator('.nsl-player-slot nsl-player.nsl-live').first().waitFor();
    await docsRec.settle();
    const afterPlayer = docsRec.since(playerMark);
    const docsSearch = await searchCost(docs, docsRec);

    return {
      simulator: {
        beforeInteraction: before,
        gzip: totalGzip(before),
        monacoBefore: paths(before, isMonaco),
        engineBefore: paths(before, isEngineWorker),
        searchBefore: paths(before, isPagefind),
        searchAfterOpening: simSearch,
        monacoAfterOpening: afterEditor.filter((s) => isMonaco(s.path)),
        engineAfterOpening: afterEditor.filter((s) => isEngineWorker(s.path)),
      },
      docs: {
        page: docsPage,
        beforeInteraction: docsBefore,
        gzip: totalGzip(docsBefore),
        playerBefore: paths(docsBefore, isPlayer),
        engineBefore: paths(docsBefore, isEngineWorker),
        searchBefore: paths(docsBefore, isPagefind),
        playerAfterInView: afterPlayer.filter((s) => isPlayer(s.path)),
        allAfterInView: afterPlayer,
        searchAfterOpening: docsSearch,
      },
    };
  } finally {
    await context.close();
  }
}

const none = (xs: string[]) => (xs.length === 0 ? 'none' : xs.join(', '));

async function main(argv: string[]): Promise<number> {
  const site = await serveSite();
  const browser = await launchBrowser();
  try {
    const r = await measure(browser, site.url);
    if (argv.includes('--json')) {
      console.log(JSON.stringify(r, null, 2));
    } else {
      const list = (xs: ScriptLoad[]) => xs.forEach((s) => console.log(`  ${kb(s.gzip).padStart(8)}  ${s.path}`));
      const s = r.simulator;
      console.log(`Simulator page, JavaScript before any interaction: ${kb(s.gzip)} gzipped (budget ${kb(SIMULATOR_BUDGET)})`);
      list(s.beforeInteraction);
      console.log(`Monaco, engine worker, Pagefind before interaction: ${none([...s.monacoBefore, ...s.engineBefore, ...s.searchBefore])}`);
      console.log(`Fetched on opening the search: ${kb(totalGzip(s.searchAfterOpening))} gzipped`);
      list(s.searchAfterOpening);
      console.log(`Fetched after "Edit scenario as JSON": Monaco ${kb(totalGzip(s.monacoAfterOpening))}, engine worker ${kb(totalGzip(s.engineAfterOpening))} gzipped`);
      list([...s.monacoAfterOpening, ...s.engineAfterOpening]);
      const d = r.docs;
      console.log(`\nDocs page ${d.page}, JavaScript before any interaction: ${kb(d.gzip)} gzipped (budget ${kb(DOCS_BUDGET)})`);
      list(d.beforeInteraction);
      console.log(`Player, engine worker, Pagefind before interaction: ${none([...d.playerBefore, ...d.engineBefore, ...d.searchBefore])}`);
      console.log(`Player code once a player is in view: ${kb(totalGzip(d.allAfterInView))} gzipped (the player's chunk ${kb(totalGzip(d.playerAfterInView))})`);
      list(d.allAfterInView);
      console.log(`Fetched on opening the search: ${kb(totalGzip(d.searchAfterOpening))} gzipped`);
      list(d.searchAfterOpening);
    }
    const ok =
      r.simulator.gzip <= SIMULATOR_BUDGET &&
      r.simulator.monacoBefore.length === 0 &&
      r.simulator.engineBefore.length === 0 &&
      r.simulator.searchBefore.length === 0 &&
      r.simulator.monacoAfterOpening.length > 0 &&
      r.docs.gzip <= DOCS_BUDGET &&
      r.docs.playerBefore.length === 0 &&
      r.docs.searchBefore.length === 0;
    return ok ? 0 : 1;
  } finally {
    await browser.close();
    await site.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main(process.argv.slice(2)));
