/**
 * Shared by the browser tests: the built site, one Chromium per test file,
 * small waits that poll the page instead of sleeping, the guided
 * scenarios and axe-core.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { checkScenario, type Scenario } from '../../src/core/scenario/schema.ts';
import { launchBrowser } from '../support/browser.ts';
import { ROOT, serveSite, type ServedSite } from '../support/site.ts';

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

/** A guided scenario, content/scenarios/NAME.json, checked. */
export function guidedScenario(name: string): Scenario {
  const c = checkScenario(JSON.parse(readFileSync(join(ROOT, 'content/scenarios', `${name}.json`), 'utf8')));
  if (!c.ok) throw new Error(`${name}.json is not valid`);
  return c.scenario;
}

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations in a page or frame as "rule: targets" lines, every
 * rule on (label-content-name-mismatch included). axe is evaluated into the
 * document when it is not there yet, not added as a script element: the
 * site's policy refuses inline scripts.
 */
export async function axeViolations(target: Page | Frame): Promise<string[]> {
  if (!(await target.evaluate(() => 'axe' in window))) await target.evaluate(AXE);
  return target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { rules: { 'label-content-name-mismatch': { enabled: true } }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
}

/** The JSON editor's text box. */
export const editorBox = (page: Page): Locator => page.getByRole('textbox', { name: /^Scenario JSON\./ });

/** Opens the JSON editor and waits until Monaco is there and ready for edits. */
export async function openEditor(page: Page): Promise<void> {
  await button(page, 'Edit scenario as JSON').click();
  await editorBox(page).waitFor({ timeout: 60_000 });
  await page.getByText('Edits apply as soon as the scenario is valid.').waitFor();
}

/** Replaces the editor's whole text the way a paste would. */
export async function setEditorText(page: Page, text: string): Promise<void> {
  await editorBox(page).focus();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}
