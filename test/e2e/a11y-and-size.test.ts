/**
 * In Chromium on the built site: axe-core finds no violation on the
 * simulator page (as it loads, and after the views have been re-drawn by
 * stepping, comparing and acting) nor on a docs page with its player open;
 * the docs player's code arrives only when a player comes into view; and
 * the JavaScript budgets hold, counting everything fetched until the page
 * has been idle for 1.5 s (scripts/sim-size.ts measures them).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeLink } from '../../src/share/link.ts';
import { DOCS_BUDGET, isMonaco, isPlayer, isSearchUi, measure, SIMULATOR_BUDGET, type SizeReport } from '../../scripts/sim-size.ts';
import { ROOT } from '../support/site.ts';
import { axeViolations as violations, button, open, openEditor, setEditorText, startHarness, status, stopHarness, until, type Harness } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));

describe('accessibility (axe-core)', () => {
  it('finds nothing on the simulator page as it loads, in the light and the dark theme', async () => {
    const { page } = await open(h, '/simulator/');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await violations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await until(async () => (await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark', 'the dark theme');
    expect(await violations(page)).toEqual([]);
  });

  it('finds nothing with the editor open and showing a problem', async () => {
    const { page } = await open(h, '/simulator/');
    await openEditor(page);
    await setEditorText(page, '{"scenario": 1, "qemu": "1.0", "steps": []}');
    await page.locator('[data-editor-problems]').getByRole('listitem').first().waitFor();
    expect(await violations(page)).toEqual([]);
  });

  it('finds nothing once the views are re-drawn: stepping, comparing, acting, completing', async () => {
    const { page } = await open(h, '/simulator/');
    await page.getByRole('button', { name: '4. peer a sends a 42-byte frame' }).click();
    await page.getByRole('button', { name: /^Destination, bytes/ }).click();
    await page.getByRole('checkbox', { name: 'Compare side by side with' }).check();
    await page.getByRole('table', { name: /^QEMU 11\.1 and QEMU 7\.2 up to step 4:/ }).waitFor();
    await button(page.getByRole('form', { name: 'Be a peer' }), 'Connect').click();
    await page.getByText(/^Added step 5:/).waitFor();
    const input = page.getByRole('combobox', { name: 'Command' });
    await input.click();
    await input.pressSequentially('netdev');
    await page.getByRole('listbox', { name: 'Completions' }).getByRole('option').first().waitFor();
    await input.press('ArrowDown');
    expect(await violations(page)).toEqual([]);
  });

  /** axe in the light theme, then in the dark one, on the page as it is. */
  async function bothThemes(page: Page): Promise<void> {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
    expect(await violations(page)).toEqual([]);
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await violations(page)).toEqual([]);
  }

  it('finds nothing with compare mode on, side by side and as tabs, light and dark', async () => {
    const { page } = await open(h, '/simulator/');
    await page.getByRole('checkbox', { name: 'Compare side by side with' }).check();
    await button(page, 'Step forward').click();
    await page.getByRole('table', { name: /^QEMU 11\.1 and QEMU 7\.2 up to step 1:/ }).waitFor();
    await bothThemes(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('tab', { name: 'QEMU 7.2' }).click();
    await bothThemes(page);
  });

  it('finds nothing with predict mode asking and answering, light and dark', async () => {
    const { page } = await open(h, '/simulator/');
    await page.getByRole('checkbox', { name: "Predict QEMU's answers" }).check();
    await button(page, 'Step forward').click();
    await button(page, 'Step forward').click();
    await page.getByRole('group', { name: 'Your prediction for step 2' }).waitFor();
    await bothThemes(page);
    await page.keyboard.press('Enter');
    await page.getByText(/^Why: /).waitFor();
    await bothThemes(page);
  });

  it('finds nothing with the picture\'s action menu open, and with a result beside a netdev, light and dark', async () => {
    const { page } = await open(h, '/simulator/');
    await page.locator('[data-stage-view="picture"] [data-netdev="n0"]').click();
    await page.getByRole('menu', { name: 'Actions on netdev n0' }).waitFor();
    await bothThemes(page);
    await page.getByRole('menuitem', { name: 'Ask QEMU: info network' }).click();
    await page.locator('.nsl-result-note').waitFor();
    await bothThemes(page);
  });

  it('finds nothing on a docs page with its player open and stepped', async () => {
    const { page } = await open(h, '/guides/events/', { waitForPlayer: false });
    const slot = page.locator('.nsl-player-slot').first();
    await slot.getByText('Step through this run').click();
    await slot.locator('nsl-player.nsl-live').waitFor();
    await button(slot, 'Step forward').click();
    expect(await violations(page)).toEqual([]);
  });
});

describe('the player in docs pages', () => {
  it('loads no player code until a player comes into view, then steps through the run', async () => {
    const { page, errors } = await open(h, '/guides/events/', { waitForPlayer: false });
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1000);
    expect(fetched.filter(isPlayer)).toEqual([]);
    const slot = page.locator('.nsl-player-slot').first();
    await slot.getByText('Step through this run').click();
    await slot.locator('nsl-player.nsl-live').waitFor();
    expect(fetched.filter(isPlayer)).toHaveLength(1);
    expect(fetched.filter(isMonaco)).toEqual([]);
    const player = slot.getByRole('region', { name: /^Player for / });
    expect(await status(player)).toBe('Start (0 ms)');
    await button(player, 'Step forward').click();
    expect(await status(player)).toMatch(/^Step 1 of \d+ /);
    await button(player, 'To end').click();
    await button(player, 'Restart').click();
    expect(await status(player)).toBe('Start (0 ms)');
    expect(errors).toEqual([]);
  });

  it("shows the stage: stepping changes its network picture and its caption, and the state machine follows", async () => {
    const { page, errors } = await open(h, '/guides/events/', { waitForPlayer: false });
    const slot = page.locator('.nsl-player-slot').first();
    await slot.getByText('Step through this run').click();
    await slot.locator('nsl-player.nsl-live').waitFor();
    const player = slot.getByRole('region', { name: /^Player for / });
    const picture = player.getByRole('group', { name: /^Network (at the start|after step \d+): / });
    const caption = player.locator('[data-cap-box]');
    const machine = player.locator('.nsl-stage-mode:not([hidden]) svg');
    expect(await picture.getAttribute('aria-label')).toMatch(/^Network at the start: /);
    const lit = () => machine.evaluate((svg) => svg.querySelector<SVGElement>('.nsl-on')?.dataset.state ?? null);
    const before = { picture: await picture.innerHTML(), caption: await caption.innerText() };
    expect(before.caption).toMatch(/^Start \(0 ms\) QEMU starts/);
    await button(player, 'Step forward').click();
    await button(player, 'Step forward').click();
    expect(await picture.getAttribute('aria-label')).toMatch(/^Network after step 2: /);
    const after = { picture: await picture.innerHTML(), caption: await caption.innerText(), lit: await lit() };
    expect(after.caption).toMatch(/^Step 2 of \d+ /);
    expect(after.caption).not.toBe(before.caption);
    expect(after.picture).not.toBe(before.picture);
    // The docs player looks, it does not act: its picture's things are images, and nothing there takes focus.
    expect(await picture.locator('[tabindex], [role="button"]').count()).toBe(0);
    expect(await picture.getByRole('img').count()).toBeGreaterThan(1);
    // What the machine shows is this trace's state at step 2 (lit in the diagram, named in its summary).
    const summary = (await player.locator('[data-view="state-summary"]').textContent())!;
    expect(after.lit).not.toBeNull();
    expect(summary.endsWith(`: ${after.lit}`), summary).toBe(true);
    expect(errors).toEqual([]);
  });

  it('fits the docs column: picture and machine side by side in a 720 px column, one above the other on a phone, nothing wider than the page', async () => {
    for (const size of [
      { width: 1366, height: 768 },
      { width: 390, height: 844 },
    ]) {
      const { page, context } = await open(h, '/guides/events/', { waitForPlayer: false });
      await page.setViewportSize(size);
      const slot = page.locator('.nsl-player-slot').first();
      await slot.getByText('Step through this run').click();
      await slot.locator('nsl-player.nsl-live').waitFor();
      const pic = (await slot.locator('.nsl-stage-picture').boundingBox())!;
      const machine = (await slot.locator('.nsl-stage-machine').boundingBox())!;
      const side = size.width > 1000;
      expect(Math.abs(pic.y - machine.y) < 2, `${size.width}: side by side`).toBe(side);
      expect(machine.x > pic.x + pic.width - 1, `${size.width}: machine right of the picture`).toBe(side);
      for (const box of ['.nsl-stage-picture', '.nsl-stage-machine']) {
        expect(await slot.locator(box).evaluate((el) => el.scrollWidth <= el.clientWidth + 1), `${size.width}: ${box} needs no sideways scrolling`).toBe(true);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      await context.close();
    }
  });

  it('links to the simulator with a share link of the same scenario and release', async () => {
    const { page } = await open(h, '/guides/events/', { waitForPlayer: false });
    const slot = page.locator('.nsl-player-slot').first();
    const file = (await slot.getAttribute('data-player-scenario'))!;
    const release = (await slot.getAttribute('data-player-release'))!;
    const href = (await slot.getByRole('link', { name: 'Open in simulator' }).getAttribute('href'))!;
    const d = await decodeLink(href);
    if (!d.ok) throw new Error(d.error);
    expect(d.release).toBe(release);
    expect(d.step).toBe(0);
    expect(d.scenario).toEqual(JSON.parse(readFileSync(join(ROOT, file), 'utf8')));
    // Once the player runs, the link follows the step the reader is on.
    await slot.getByText('Step through this run').click();
    await slot.locator('nsl-player.nsl-live').waitFor();
    await button(slot, 'Step forward').click();
    await button(slot, 'Step forward').click();
    const atStep2 = (await until(async () => {
      const v = await slot.getByRole('link', { name: 'Open in simulator' }).getAttribute('href');
      const x = v ? await decodeLink(v) : null;
      return x?.ok && x.step === 2 ? x : null;
    }, 'the link to step 2'))!;
    expect([atStep2.release, atStep2.scenario]).toEqual([d.release, d.scenario]);
    await slot.getByRole('link', { name: 'Open in simulator' }).click();
    await page.waitForURL(/\/simulator\/#s=v1\./);
    await until(async () => (await page.locator('[data-alerts]').innerText()).startsWith('Opened a shared scenario'), 'the scenario opened');
    expect(await page.locator('[data-alerts]').innerText()).toMatch(/, at step 2\.$/);
    expect(await status(page)).toMatch(/^Step 2 of /);
  });
});

describe('JavaScript budgets (scripts/sim-size.ts)', () => {
  // One measurement for both tests: it walks both pages through their interactions.
  let report: Promise<SizeReport> | undefined;
  const measured = () => (report ??= measure(h.browser, h.site.url));

  it(`the simulator page loads at most ${SIMULATOR_BUDGET / 1024} KB gzipped before any interaction, idle-time fetches included; Monaco and the engine worker only after opening the editor`, async () => {
    const r = await measured();
    const s = r.simulator;
    expect(s.gzip).toBeLessThanOrEqual(SIMULATOR_BUDGET);
    expect(s.beforeInteraction.some((l) => /\/Simulator\.astro_[\w.-]+\.js$/.test(l.path))).toBe(true);
    expect(s.beforeInteraction.some((l) => l.path.startsWith('inline #'))).toBe(true);
    expect(s.gzip).toBe(s.beforeInteraction.reduce((n, l) => n + l.gzip, 0));
    expect(s.beforeInteraction.every((l) => l.gzip > 0)).toBe(true);
    expect(s.monacoBefore).toEqual([]);
    expect(s.engineBefore).toEqual([]);
    expect(s.monacoAfterOpening.reduce((n, l) => n + l.gzip, 0)).toBeGreaterThan(500 * 1024);
    expect(s.engineAfterOpening).toHaveLength(1);
    expect(s.engineAfterOpening[0]!.gzip).toBeGreaterThan(10 * 1024);
    expect(s.searchBefore).toEqual([]);
    expect(s.searchAfterOpening.filter((l) => isSearchUi(l.path))).toHaveLength(1);
  });

  it(`a docs page with players loads at most ${DOCS_BUDGET / 1024} KB gzipped before any interaction; the player's code once a player is in view, Pagefind's once the search opens`, async () => {
    const r = await measured();
    const d = r.docs;
    expect(d.gzip).toBeLessThanOrEqual(DOCS_BUDGET);
    expect(d.gzip).toBe(d.beforeInteraction.reduce((n, l) => n + l.gzip, 0));
    expect(d.beforeInteraction.every((l) => l.gzip > 0)).toBe(true);
    expect(d.playerBefore).toEqual([]);
    expect(d.engineBefore).toEqual([]);
    expect(d.searchBefore).toEqual([]);
    expect(d.playerAfterInView).toHaveLength(1);
    const ui = d.searchAfterOpening.filter((l) => isSearchUi(l.path));
    expect(ui).toHaveLength(1);
  });
});
