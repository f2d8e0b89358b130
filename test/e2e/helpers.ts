/**
 * Shared by the browser tests: the built site, one Chromium per test file,
 * and small waits that poll the page instead of sleeping.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { serveSite, type ServedSite } from '../support/site.ts';

export interface Harness {
  site: ServedSite;
  browser: Browser;
}

export async function startHarness(): Promise<Harness> {
  const site = await serveSite();
  const browser = await launchBrowser();
  return { site, browser };
}

export async function stopHarness(h: Harness | undefined): Promise<void> {
  await h?.browser.close();
  await h?.site.close();
}

export interface Opened {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors in the page; a test that expects none checks this. */
  errors: string[];
}

/** Opens a page of the site in a fresh context (clipboard allowed) and waits for the player to be live when there is one. */
export async function open(h: Harness, path: string, opts: { waitForPlayer?: boolean } = {}): Promise<Opened> {
  const context = await h.browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.site.url });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(h.site.url + path);
  if (opts.waitForPlayer ?? path.startsWith('/simulator/')) await page.locator('nsl-player.nsl-live').first().waitFor();
  return { context, page, errors };
}

/** Polls until `check` returns true (or a truthy value), failing with `what` after `timeout` ms. */
export async function until<T>(check: () => Promise<T> | T, what: string, timeout = 20_000): Promise<T> {
  const end = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The main player's transcript region on the simulator page. */
export function transcript(page: Page): Locator {
  return page.getByRole('region', { name: /^QMP messages, QEMU [\d.]+$/ }).first();
}

/** The labels (command, event, error class) of the transcript entries shown. */
export async function transcriptLabels(page: Page): Promise<string[]> {
  return transcript(page).locator('.nsl-tx-label').allInnerTexts();
}

export function button(scope: Page | Locator, name: string): Locator {
  return scope.getByRole('button', { name, exact: true });
}

export async function status(scope: Page | Locator): Promise<string> {
  return (await scope.locator('[data-status]').first().innerText()).trim();
}
