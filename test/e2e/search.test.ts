/**
 * The site's search (src/components/Search.astro) in Chromium on the built
 * site: Pagefind's UI is fetched only when the dialog opens, by its button
 * or Ctrl+K, never while a page loads and sits idle; the dialog opens,
 * closes and finds pages as Starlight's does; the UI is styled before it
 * shows, in Starlight's colours in either theme; results list the guides
 * and the reference before recordings, scenarios and the simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { recordScripts, type ScriptRecorder } from '../../scripts/page-js.ts';
import { isSearchUi } from '../../scripts/sim-size.ts';
import { axeViolations, startHarness, stopHarness, until, type Harness } from './helpers.ts';


/** A class name from the markup of Pagefind's UI, found in its code and nowhere else. */
const PAGEFIND_UI_MARK = 'pagefind-ui__search-input';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));

interface Watched {
  context: BrowserContext;
  page: Page;
  recorder: ScriptRecorder;
  /** Path of every request the page made, in order. */
  requests: string[];
  /** Paths of JavaScript responses whose code contains Pagefind's UI. */
  uiCode: string[];
  errors: string[];
}

/** Opens `path` with every request watched, and waits until the page has been idle for 1.5 s. */
async function load(path: string, opts: { width?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<Watched> {
  const context = await h.browser.newContext({ viewport: { width: opts.width ?? 1400, height: 900 }, colorScheme: opts.colorScheme ?? 'light' });
  const page = await context.newPage();
  const requests: string[] = [];
  const uiCode: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  page.on('response', async (r) => {
    if (!/javascript/.test(r.headers()['content-type'] ?? '')) return;
    const body = await r.text().catch(() => '');
    if (body.includes(PAGEFIND_UI_MARK)) uiCode.push(new URL(r.url()).pathname);
  });
  const recorder = recordScripts(page);
  await page.goto(h.site.url + path);
  await recorder.settle();
  return { context, page, recorder, requests, uiCode, errors };
}

const isPagefindRequest = (path: string) => /\/pagefind-ui\.[\w-]+\.(js|css)$/.test(path) || path.includes('/pagefind/');

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Search' });
const searchBox = (page: Page) => dialog(page).getByRole('search').getByRole('textbox');
const isOpen = (page: Page) => page.evaluate(() => document.querySelector('nsl-search dialog')?.hasAttribute('open') ?? false);

describe('Pagefind UI loading', () => {
  it('is not requested while a docs page loads and idles, and is requested when the Search button opens the dialog', async () => {
    const w = await load('/guides/events/');
    expect(w.requests.filter(isPagefindRequest)).toEqual([]);
    expect(w.uiCode).toEqual([]);
    expect(await w.page.locator('#starlight__search').innerHTML()).toBe('');

    await w.page.getByRole('button', { name: 'Search', exact: true }).click();
    await searchBox(w.page).waitFor();
    const fetched = w.requests.filter(isPagefindRequest);
    expect(fetched.filter(isSearchUi)).toHaveLength(1);
    expect(fetched.some((p) => /\/pagefind-ui\.[\w-]+\.css$/.test(p))).toBe(true);
    await until(() => w.uiCode.length > 0, 'the UI code to be recorded', 5_000);
    expect(w.uiCode.every(isSearchUi)).toBe(true);
    await expect(w.page.evaluate(() => document.activeElement?.className ?? '')).resolves.toMatch(/pagefind-ui__search-input/);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  it('is not requested while the simulator page loads and idles, and is requested when Ctrl+K opens the dialog', async () => {
    const w = await load('/simulator/');
    expect(w.requests.filter(isPagefindRequest)).toEqual([]);
    expect(w.uiCode).toEqual([]);

    await w.page.keyboard.press('Control+k');
    await searchBox(w.page).waitFor();
    expect(await isOpen(w.page)).toBe(true);
    expect(w.requests.filter(isSearchUi)).toHaveLength(1);
    await expect(w.page.evaluate(() => document.activeElement?.className ?? '')).resolves.toMatch(/pagefind-ui__search-input/);

    // Ctrl+K again closes; opening once more reuses the UI already there.
    await w.page.keyboard.press('Control+k');
    expect(await isOpen(w.page)).toBe(false);
    await w.page.keyboard.press('Meta+k');
    expect(await isOpen(w.page)).toBe(true);
    await w.recorder.settle();
    expect(w.requests.filter(isSearchUi)).toHaveLength(1);
    expect(await w.page.locator('#starlight__search .pagefind-ui__search-input').count()).toBe(1);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });
});

describe('the search dialog', () => {
  it('closes on Escape, on a click on the backdrop, but not when a press inside ends outside', async () => {
    const w = await load('/reference/');
    const { page } = w;
    const open = async () => {
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await searchBox(page).waitFor();
      expect(await page.evaluate(() => document.body.hasAttribute('data-search-modal-open'))).toBe(true);
      expect(await page.evaluate(() => getComputedStyle(document.body).overflow)).toBe('hidden');
    };
    const closed = async () => {
      expect(await isOpen(page)).toBe(false);
      // The dialog's close event comes a moment after it closes.
      await until(async () => !(await page.evaluate(() => document.body.hasAttribute('data-search-modal-open'))), 'the page to scroll again');
    };

    await open();
    await page.keyboard.press('Escape');
    await closed();
    // Focus goes back to the button that opened it.
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-open-modal'))).toBe(true);

    await open();
    const box = (await searchBox(page).boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(5, 5);
    await page.mouse.up();
    expect(await isOpen(page)).toBe(true);

    await page.mouse.click(5, 5);
    await closed();
    await w.context.close();
  });

  it('finds a page, and closes when a result leads to a section of the same page', async () => {
    const w = await load('/guides/reconnect/');
    const { page } = w;
    await page.keyboard.press('Control+k');
    await searchBox(page).fill('reconnect-ms');
    const links = page.locator('.pagefind-ui__result-link');
    await links.first().waitFor({ timeout: 15_000 });
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.some((href) => href.startsWith('/guides/reconnect/'))).toBe(true);
    const here = page.locator('.pagefind-ui__result-link[href^="/guides/reconnect/#"]').first();
    const target = (await here.getAttribute('href'))!;
    await here.click();
    await until(async () => !(await isOpen(page)), 'the dialog to close');
    expect(new URL(page.url()).pathname + new URL(page.url()).hash).toBe(target);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  it('says so when the search cannot be fetched, and fetches it again on the next opening', async () => {
    const w = await load('/guides/events/');
    const { page } = w;
    const ui = /\/pagefind-ui\.[\w-]+\.js$/;
    await page.route(ui, (route) => route.abort());
    await page.keyboard.press('Control+k');
    await dialog(page).getByRole('alert').filter({ hasText: 'Search could not be loaded' }).waitFor();
    expect(await page.locator('#starlight__search input').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.unroute(ui);
    await page.keyboard.press('Control+k');
    await searchBox(page).waitFor();
    expect(await dialog(page).getByRole('alert').isVisible()).toBe(false);
    await w.context.close();
  });

  it('has a Cancel button on a narrow screen that closes it', async () => {
    const w = await load('/guides/events/', { width: 375 });
    const { page } = w;
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await searchBox(page).waitFor();
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    expect(await isOpen(page)).toBe(false);
    await w.context.close();
  });

  it("hands Pagefind the strings and link style the page's search element carries", async () => {
    const w = await load('/guides/events/');
    const { page } = w;
    // As Search.astro writes them for a translated site built with trailingSlash: 'never'.
    await page.evaluate(() => {
      const el = document.querySelector<HTMLElement>('nsl-search')!;
      el.dataset.translations = JSON.stringify({ placeholder: 'Find in the lab', search_label: 'Search the lab' });
      el.dataset.stripTrailingSlash = '';
    });
    await page.keyboard.press('Control+k');
    await dialog(page).getByRole('search', { name: 'Search the lab' }).getByRole('textbox', { name: 'Find in the lab' }).waitFor();
    await expect(searchBox(page).getAttribute('placeholder')).resolves.toBe('Find in the lab');
    await searchBox(page).fill('reconnect-ms');
    await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 15_000 });
    const hrefs = await page.locator('.pagefind-ui__result-link').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.some((href) => href.startsWith('/guides/reconnect#'))).toBe(true);
    expect(hrefs.filter((href) => /\/(#|$)/.test(href) && href !== '/')).toEqual([]);
    await w.context.close();
  });
});

describe("the search UI's look", () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`is styled before it shows, in Starlight's ${scheme} colours`, async () => {
      const w = await load('/guides/events/', { colorScheme: scheme });
      const { page } = w;
      // The search box's style at the moment Pagefind inserts it: unstyled, it would be an ordinary input.
      await page.evaluate(() => {
        const target = document.querySelector('#starlight__search')!;
        const seen = new MutationObserver(() => {
          const input = target.querySelector('input');
          if (!input) return;
          seen.disconnect();
          const s = getComputedStyle(input);
          (window as unknown as { firstStyle: object }).firstStyle = { height: s.height, background: s.backgroundColor, color: s.color };
        });
        seen.observe(target, { childList: true, subtree: true });
      });
      // The stylesheet arrives well after the script, as on a slow link.
      await page.route(/\/pagefind-ui\.[\w-]+\.css$/, async (route) => {
        await new Promise((r) => setTimeout(r, 800));
        await route.continue();
      });
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await searchBox(page).waitFor();
      const first = (await page.evaluate(() => (window as unknown as { firstStyle?: object }).firstStyle)) as { height: string; background: string; color: string };
      // Pagefind's box is 64px at its scale of 0.8 (an unstyled input is about 20px).
      expect(parseFloat(first.height)).toBeCloseTo(51.2, 0);
      const theme = await page.evaluate(() => {
        const probe = document.createElement('div');
        probe.style.backgroundColor = 'var(--sl-color-black)';
        probe.style.color = 'var(--sl-color-white)';
        document.querySelector('#starlight__search')!.append(probe);
        const s = getComputedStyle(probe);
        const out = { background: s.backgroundColor, color: s.color, theme: document.documentElement.dataset.theme };
        probe.remove();
        return out;
      });
      expect(theme.theme).toBe(scheme);
      expect(first.background).toBe(theme.background);
      expect(first.color).toBe(theme.color);
      await w.context.close();
    });
  }

  for (const scheme of ['light', 'dark'] as const) {
    it(`leaves axe-core nothing to report with results shown (${scheme} theme)`, async () => {
      const w = await load('/guides/events/', { colorScheme: scheme });
      const { page } = w;
      await page.keyboard.press('Control+k');
      await searchBox(page).fill('reconnect');
      await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 15_000 });
      expect(await axeViolations(page)).toEqual([]);
      await w.context.close();
    });
  }
});

describe('the order of results', () => {
  /** Every result the dialog lists for `query` (all pages of "Load more results"), as page paths in order. */
  async function allResults(page: Page, query: string): Promise<string[]> {
    await searchBox(page).fill(query);
    const message = dialog(page).locator('.pagefind-ui__message');
    await until(async () => new RegExp(`^\\d+ results? for ${query}$`).test((await message.textContent()) ?? ''), `the results for ${query}`, 15_000);
    const total = Number(/^\d+/.exec((await message.textContent())!)![0]);
    const more = dialog(page).getByRole('button', { name: 'Load more results' });
    // A result's own title link (its sections' links sit in .pagefind-ui__result-nested).
    const titles = dialog(page).locator('.pagefind-ui__result-inner > .pagefind-ui__result-title > .pagefind-ui__result-link');
    while (await more.isVisible()) {
      const before = await titles.count();
      await more.click();
      await until(async () => (await titles.count()) > before, 'more results');
    }
    await until(async () => (await titles.count()) === total, `all ${total} results for ${query} to be drawn`);
    const hrefs = await titles.evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    return hrefs;
  }

  const isProse = (path: string) => /^\/(guides|reference)\//.test(path);
  const isRecording = (path: string) => path.startsWith('/verified/');

  it('puts a guide or reference page first, and every guide and reference page before any recording', async () => {
    const w = await load('/guides/events/');
    await w.page.keyboard.press('Control+k');
    const seen: Record<string, string[]> = {};
    for (const query of ['reconnect-ms', 'backlog', 'SocketAddress']) {
      const results = await allResults(w.page, query);
      seen[query] = results;
      expect(isProse(results[0]!), `${query}: ${results.join(' ')}`).toBe(true);
      const lastProse = results.findLastIndex(isProse);
      const firstRecording = results.findIndex(isRecording);
      if (firstRecording >= 0) expect(lastProse, `${query}: ${results.join(' ')}`).toBeLessThan(firstRecording);
    }
    // What a reader looks for first, and that the recordings are still found.
    expect(seen['reconnect-ms']![0]).toBe('/guides/reconnect/');
    expect(seen['backlog']![0]).toBe('/guides/server-and-client/');
    expect(seen['SocketAddress']![0]).toBe('/reference/types/SocketAddress/');
    expect(seen['reconnect-ms']).toContain('/verified/41-client-reconnect-ms-peer-returns/');
    expect(seen['backlog']).toContain('/verified/02-server-unix-two-clients-backlog/');
    expect(w.errors).toEqual([]);
    await w.context.close();
  }, 90_000);

  it('finds a recording by its name and by words of its description', async () => {
    const w = await load('/guides/events/');
    await w.page.keyboard.press('Control+k');
    expect((await allResults(w.page, '02-server-unix-two-clients-backlog'))[0]).toBe('/verified/02-server-unix-two-clients-backlog/');
    const described = await allResults(w.page, 'hangup');
    expect(described).toContain('/verified/01-server-unix-hangup-then-second-client/');
    await w.context.close();
  }, 60_000);
});

