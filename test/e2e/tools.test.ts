/**
 * The simulator's tools in Chromium: undo and redo of edits, status
 * messages that clear on the next action, "Be a peer" defaults taken from
 * the scenario, a step that does nothing saying why, compare mode's two
 * columns (side by side on a laptop, tabs on a phone) and predict mode
 * driven from the keyboard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { button, open, startHarness, status, stopHarness, transcriptLabels, type Harness } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));

const stepItems = (page: Page) => page.getByRole('region', { name: 'Steps', exact: true }).getByRole('listitem');
const stepTexts = async (page: Page) => (await stepItems(page).allInnerTexts()).map((t) => t.split('\n')[0]!.trim());

describe('undo and redo', () => {
  it('undo brings back a removed step and redo removes it again, by button and by Ctrl+Z / Ctrl+Shift+Z', async () => {
    const { page, errors } = await open(h, '/simulator/');
    const before = await stepTexts(page);
    expect(await button(page, 'Undo').getAttribute('aria-disabled')).toBe('true');
    await page.getByRole('button', { name: 'Remove step 2' }).click();
    await page.getByText('Removed step 2. Undo (Ctrl+Z) brings it back.').waitFor();
    expect(await stepItems(page).count()).toBe(before.length - 1);
    expect(await button(page, 'Undo').getAttribute('aria-disabled')).toBe('false');

    await button(page, 'Undo').click();
    await page.getByText('Undid: Removed step 2.').waitFor();
    expect(await stepTexts(page)).toEqual(before);
    await button(page, 'Redo').click();
    await page.getByText('Redid: Removed step 2.').waitFor();
    expect(await stepItems(page).count()).toBe(before.length - 1);

    // The same from the keyboard, with focus on the page (not in a text field).
    await page.locator('h2[data-title]').click();
    await page.keyboard.press('Control+z');
    await page.getByText('Undid: Removed step 2.').waitFor();
    expect(await stepTexts(page)).toEqual(before);
    await page.keyboard.press('Control+Shift+Z');
    await page.getByText('Redid: Removed step 2.').waitFor();
    expect(await stepItems(page).count()).toBe(before.length - 1);
    expect(errors).toEqual([]);
  });

  it('leaves Ctrl+Z to a text field that has focus', async () => {
    const { page } = await open(h, '/simulator/');
    await page.getByRole('button', { name: 'Remove step 2' }).click();
    await page.getByText(/^Removed step 2\./).waitFor();
    const input = page.getByRole('combobox', { name: 'Command' });
    await input.fill('query-version');
    await input.press('Control+z');
    await page.waitForTimeout(300);
    expect(await stepItems(page).count()).toBe(8);
    expect(await page.locator('[data-history-message]').innerText()).toBe('');
  });

  it('undoes a step added by acting, and the event it caused goes with it', async () => {
    const { page } = await open(h, '/simulator/');
    const form = page.getByRole('form', { name: 'Be a peer' });
    await button(form, 'Connect').click();
    await page.getByText(/^Added step 1: peer a connects to unix:\/tmp\/sim\/n0\.sock\. QEMU sent NETDEV_STREAM_CONNECTED/).waitFor();
    expect(await transcriptLabels(page)).toContain('NETDEV_STREAM_CONNECTED');
    await button(page, 'Undo').click();
    await page.getByText('Undid: Added step 1.').waitFor();
    expect(await status(page)).toBe('Start (0 ms)');
    expect(await transcriptLabels(page)).not.toContain('NETDEV_STREAM_CONNECTED');
    expect(await stepItems(page).count()).toBe(9);
  });
});

describe('status messages', () => {
  it('clear on the next action: stepping, another tool, or a new edit', async () => {
    const { page } = await open(h, '/simulator/');
    const form = page.getByRole('form', { name: 'Be a peer' });
    await button(form, 'Connect').click();
    const added = page.getByText(/^Added step 1:/);
    await added.waitFor();
    await button(page, 'Step back').click();
    await added.waitFor({ state: 'detached' });

    const input = page.getByRole('combobox', { name: 'Command' });
    await input.fill('{"execute": ');
    await input.press('Enter');
    const bad = page.getByText(/^That is not valid JSON: /);
    await bad.waitFor();
    await button(form, 'Close').click();
    await bad.waitFor({ state: 'detached' });
    await page.locator('[data-peer-message]').getByText(/^Added step 1: peer a closes/).waitFor();
  });
});

describe('"Be a peer"', () => {
  it('takes its defaults from the scenario on /simulator/reconnect-across-releases/', async () => {
    const { page } = await open(h, '/simulator/reconnect-across-releases/');
    const form = page.getByRole('form', { name: 'Be a peer' });
    expect(await form.getByRole('combobox', { name: 'Peer name' }).inputValue()).toBe('p');
    expect(await form.getByRole('combobox', { name: 'Address type' }).inputValue()).toBe('unix');
    expect(await form.getByRole('textbox', { name: 'Socket path' }).inputValue()).toBe('/tmp/sim/p.sock');
    const picker = form.getByRole('combobox', { name: 'Address the scenario uses' });
    expect(await picker.locator('option').allInnerTexts()).toEqual(['Pick an address the scenario uses…', 'unix:/tmp/sim/p.sock (peer p listens, netdev c0 connects)']);
    expect(await form.innerText()).not.toContain('n0');
    await form.getByText("Listen there to be the netdev's server.").waitFor();
  });

  it('says why a step did nothing, instead of adding it silently', async () => {
    const { page } = await open(h, '/simulator/reconnect-across-releases/');
    const form = page.getByRole('form', { name: 'Be a peer' });
    await form.getByRole('combobox', { name: 'Peer name' }).fill('z');
    await form.getByRole('textbox', { name: 'Socket path' }).fill('/tmp/sim/nobody.sock');
    await button(form, 'Connect').click();
    await form
      .getByText('Added step 1: peer z connects to unix:/tmp/sim/nobody.sock. It did nothing: nothing listens on unix:/tmp/sim/nobody.sock at the start, so the connect fails at once (no socket is listening). Undo (Ctrl+Z) takes the step back.')
      .waitFor();
  });
});

describe('compare mode', () => {
  async function compareOn(page: Page): Promise<void> {
    await page.getByRole('checkbox', { name: 'Compare side by side with' }).check();
    await page.getByRole('table', { name: /^QEMU 11\.1 and QEMU 7\.2 up to step 0:/ }).waitFor();
  }

  it('shows two labelled columns side by side at 1366 px', async () => {
    const { page } = await open(h, '/simulator/');
    await page.setViewportSize({ width: 1366, height: 768 });
    await compareOn(page);
    const table = page.getByRole('table', { name: /^QEMU 11\.1 and QEMU 7\.2/ });
    const a = await table.getByRole('columnheader', { name: 'QEMU 11.1' }).boundingBox();
    const b = await table.getByRole('columnheader', { name: 'QEMU 7.2' }).boundingBox();
    expect(a && b).toBeTruthy();
    expect(Math.abs(a!.y - b!.y)).toBeLessThan(1);
    expect(b!.x).toBeGreaterThan(a!.x + a!.width - 1);
    // Both releases' states, each with its diagram.
    const pa = await page.locator('.nsl-cmp-pic[data-cmp-col="a"]').boundingBox();
    const pb = await page.locator('.nsl-cmp-pic[data-cmp-col="b"]').boundingBox();
    expect(Math.abs(pa!.y - pb!.y)).toBeLessThan(1);
    expect(pb!.x).toBeGreaterThan(pa!.x);
    expect(await page.locator('.nsl-cmp-pic svg').count()).toBe(2);
    // The pictures beside each other are to look at: nothing in them is a button or takes focus.
    expect(await page.locator('.nsl-cmp-pic [tabindex], .nsl-cmp-pic [role="button"]').count()).toBe(0);
    expect(await page.locator('.nsl-cmp-pic [data-netdev]').first().getAttribute('role')).toBe('img');
    expect(await page.getByRole('tab').count()).toBe(0);
    // The one-line summary is in the control bar, beside the player's buttons, and leads to the columns.
    const controls = page.getByRole('group', { name: 'Player controls' });
    const bar = controls.locator('[data-bar-note]');
    expect(await bar.innerText()).toMatch(/^Compared with QEMU 7\.2: \d+ lines? differs?: the greeting.*Show columns$/);
    const line = (await bar.boundingBox())!;
    const speed = (await controls.getByRole('combobox', { name: /Speed/ }).boundingBox())!;
    expect(line.x, 'the summary follows the buttons on their row').toBeGreaterThan(speed.x + speed.width);
    expect(line.y).toBeLessThan(speed.y + speed.height);
    expect(line.y + line.height, 'the summary stays within the first screen').toBeLessThanOrEqual(768);
    await button(bar, 'Show columns').click();
    await page.waitForTimeout(300);
    const panelTop = (await page.locator('[data-compare-panel]').boundingBox())!.y;
    expect(panelTop).toBeGreaterThanOrEqual(-1);
    expect(panelTop).toBeLessThan(768);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
  });

  it('turns the columns into tabs at 390 px, and the page stays 390 px wide', async () => {
    const { page } = await open(h, '/simulator/');
    await page.setViewportSize({ width: 390, height: 844 });
    await compareOn(page);
    const first = page.getByRole('tab', { name: 'QEMU 11.1' });
    const second = page.getByRole('tab', { name: 'QEMU 7.2' });
    expect(await first.getAttribute('aria-selected')).toBe('true');
    const table = page.getByRole('table', { name: /^QEMU 11\.1 and QEMU 7\.2/ });
    expect(await table.locator('thead th').allInnerTexts()).toEqual(['QEMU 11.1']);
    // The summary is in the control bar on a row of its own, below the buttons, in view with the buttons and the timeline.
    const controls = page.getByRole('group', { name: 'Player controls' });
    const note = controls.locator('[data-bar-note]');
    expect(await note.innerText()).toMatch(/^Compared with QEMU 7\.2: .*Show columns$/);
    await page.evaluate(() => window.scrollTo(0, 0));
    const noteBox = (await note.boundingBox())!;
    const forwardBox = (await button(controls, 'Step forward').boundingBox())!;
    expect(noteBox.y).toBeGreaterThanOrEqual(forwardBox.y + forwardBox.height - 1);
    expect(noteBox.x + noteBox.width).toBeLessThanOrEqual(390);
    const slider = (await page.getByRole('slider', { name: 'Simulated time' }).boundingBox())!;
    expect(slider.y + slider.height, 'the timeline is still on the first screen').toBeLessThanOrEqual(844);
    await first.focus();
    await page.keyboard.press('ArrowRight');
    expect(await second.getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).textContent)).toBe('QEMU 7.2');
    expect(await table.locator('thead th').allInnerTexts()).toEqual(['QEMU 7.2']);
    expect(await page.getByRole('tabpanel').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});

describe('predict mode', () => {
  it('asks before a CONNECTED step, takes the answer from the keyboard, explains it and scores at the end', async () => {
    const { page, errors } = await open(h, '/simulator/');
    await page.getByRole('checkbox', { name: "Predict QEMU's answers" }).check();
    const panel = page.getByRole('region', { name: "Predict QEMU's answer" });
    await panel.getByText(/^Step forward .* Before each of the 4 steps/).waitFor();
    await button(page, 'Step forward').click();
    expect(await status(page)).toBe('Step 1 of 8 (150 ms)');
    await button(page, 'Step forward').click();
    // Stopped before step 2 (peer a connects), asking.
    await panel.getByText('Step 2: peer a connects to unix:/tmp/sim/n0.sock.').waitFor();
    expect(await status(page)).toBe('Step 1 of 8 (150 ms)');
    expect(await page.locator('[data-predict-body]').getAttribute('aria-live')).toBe('polite');
    // Focus is on the first choice: Enter picks NETDEV_STREAM_CONNECTED.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('NETDEV_STREAM_CONNECTED');
    await page.keyboard.press('Enter');
    await panel.getByText(/^Right\. QEMU sends NETDEV_STREAM_CONNECTED \(netdev n0, addr unix:\/tmp\/sim\/n0\.sock\)\.$/).waitFor();
    // The why comes from the step's note in the scenario file.
    await panel.getByText("Why: The server netdev accepts peer a at once and reports it. For a unix socket the address in the event is the netdev's own listening path: the peer's socket has no name.").waitFor();
    await page.keyboard.press('Enter'); // "Show step 2"
    expect(await status(page)).toBe('Step 2 of 8 (300 ms)');
    expect(await transcriptLabels(page)).toContain('NETDEV_STREAM_CONNECTED');

    // To the end: each remaining question stops the player; answer "Nothing" (wrong) with Tab.
    for (const step of [5, 7, 8]) {
      await page.keyboard.press('e');
      await panel.getByText(new RegExp(`^Step ${step}: `)).waitFor();
      for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Nothing: no event, no error');
      await page.keyboard.press('Enter');
      await panel.getByText(/^Not quite\. QEMU sends NETDEV_STREAM_/).waitFor();
      await page.keyboard.press('Enter');
    }
    await panel.getByText('You predicted 1 of 4 right.').waitFor();
    expect(await status(page)).toBe('Step 8 of 8 (1,200 ms)');
    expect(errors).toEqual([]);
  });
  it('can be left from its own panel, which on a phone covers the checkbox that turned it on', async () => {
    const { page, errors } = await open(h, '/simulator/');
    await page.setViewportSize({ width: 390, height: 844 });
    const box = page.getByRole('checkbox', { name: "Predict QEMU's answers" });
    await box.check();
    const panel = page.getByRole('region', { name: "Predict QEMU's answer" });
    await button(page, 'Step forward').click();
    await button(page, 'Step forward').click();
    await panel.getByText('Step 2: peer a connects to unix:/tmp/sim/n0.sock.').waitFor();
    await button(panel, 'Stop predicting').click();
    await panel.waitFor({ state: 'hidden' });
    expect(await box.isChecked()).toBe(false);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.hasAttribute('data-predict'))).toBe(true);
    // Stepping goes on without questions.
    await button(page, 'Step forward').click();
    expect(await status(page)).toBe('Step 2 of 8 (300 ms)');
    expect(errors).toEqual([]);
  });
});

describe('acting on the picture', () => {
  const picture = (page: Page) => page.locator('[data-stage-view="picture"]');

  it('clicking a peer and choosing Close puts NETDEV_STREAM_DISCONNECTED beside the netdev, and in the transcript', async () => {
    const { page, errors } = await open(h, '/simulator/');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('button', { name: /^2\. peer a connects/ }).click();
    // The peer is a button that says it opens a menu, and whether the menu is open.
    const peer = picture(page).getByRole('button', { name: 'peer a: connected, unix:/tmp/sim/n0.sock' });
    expect(await peer.getAttribute('aria-haspopup')).toBe('menu');
    expect(await peer.getAttribute('aria-expanded')).toBe('false');
    await peer.click();
    const menu = page.getByRole('menu', { name: 'Actions on peer a' });
    await menu.waitFor();
    expect(await peer.getAttribute('aria-expanded')).toBe('true');
    await menu.getByRole('menuitem', { name: 'Close (its connection #2)' }).click();
    await page.getByText('Added step 3: peer a closes its connection and listener. QEMU sent NETDEV_STREAM_DISCONNECTED (netdev n0).').waitFor();
    const callout = picture(page).locator('[data-callout="n0"]');
    expect(await callout.textContent()).toContain('NETDEV_STREAM_DISCONNECTED');
    const c = (await callout.boundingBox())!;
    const n = (await picture(page).locator('[data-netdev="n0"]').boundingBox())!;
    // Right above the netdev's card (its tip touches the card), over it horizontally.
    expect(c.y).toBeLessThan(n.y);
    expect(Math.abs(c.y + c.height - n.y)).toBeLessThan(12);
    expect(c.x < n.x + n.width && n.x < c.x + c.width).toBe(true);
    expect(await transcriptLabels(page)).toContain('NETDEV_STREAM_DISCONNECTED');
    expect(await status(page)).toBe('Step 3 of 9 (450 ms)');
    expect(await stepItems(page).count()).toBe(10);
    expect(errors).toEqual([]);
  });

  it('works from the keyboard: Enter on a netdev, arrows, Enter; the reply sits beside the netdev and focus stays on it', async () => {
    const { page } = await open(h, '/simulator/');
    // Tab reaches the netdev: a button named by what it shows.
    await button(page, 'Step forward').focus();
    const netdev = picture(page).getByRole('button', { name: /^netdev n0: server, listening/ });
    for (let i = 0; i < 40 && !(await netdev.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-netdev'))).toBe('n0');
    expect(await netdev.getAttribute('aria-haspopup')).toBe('menu');
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'Actions on netdev n0' });
    await menu.waitFor();
    expect(await netdev.getAttribute('aria-expanded')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Ask QEMU: info network');
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const note = picture(page).locator('.nsl-result-note');
    await note.waitFor();
    expect(await note.innerText()).toBe('reply: "n0: index=0,type=stream,listening"');
    const r = (await note.boundingBox())!;
    const n = (await picture(page).locator('[data-netdev="n0"]').boundingBox())!;
    const gap = Math.max(r.x - (n.x + n.width), n.x - (r.x + r.width), r.y - (n.y + n.height), n.y - (r.y + r.height));
    expect(gap).toBeLessThan(12);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-netdev'))).toBe('n0');
    // Escape closes a menu and gives focus back.
    await page.keyboard.press('Enter');
    await menu.waitFor();
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-netdev'))).toBe('n0');
    expect(await netdev.getAttribute('aria-expanded')).toBe('false');
    // The next action clears the note.
    await button(page, 'Step back').click();
    expect(await note.count()).toBe(0);
  });

  for (const size of [
    { width: 1366, height: 768 },
    { width: 390, height: 844 },
  ]) {
    it(`puts a reply where it covers no word, card or socket of the picture, near the thing asked (${size.width}×${size.height})`, async () => {
      const { page } = await open(h, '/simulator/');
      await page.setViewportSize(size);
      for (const [steps, item] of [
        [0, 'Ask QEMU: info network'],
        [2, 'set_link n0 down'],
      ] as const) {
        await page.keyboard.press('0');
        for (let i = 0; i < steps; i++) await page.keyboard.press('l');
        await picture(page).getByRole('button', { name: /^netdev n0:/ }).click();
        await page.getByRole('menuitem', { name: item }).click();
        const note = picture(page).locator('.nsl-result-note');
        await note.waitFor();
        const r = (await note.boundingBox())!;
        const n = (await picture(page).locator('[data-netdev="n0"]').boundingBox())!;
        const p = (await picture(page).boundingBox())!;
        const covered = await picture(page).evaluate((el, r) => {
          const hit = (b: DOMRect) => b.left < r.x + r.width - 0.5 && r.x < b.right - 0.5 && b.top < r.y + r.height - 0.5 && r.y < b.bottom - 0.5;
          return [...el.querySelectorAll('svg text, .nsl-pic-card > rect, .nsl-pic-listener circle, .nsl-pic-listener rect')]
            .filter((t) => t.textContent?.trim() || t.tagName !== 'text')
            .filter((t) => hit(t.getBoundingClientRect()))
            .map((t) => t.textContent?.trim() || t.getAttribute('class') || t.tagName);
        }, r);
        expect(covered, `${item}: the note covers nothing drawn`).toEqual([]);
        expect(r.x >= p.x - 0.5 && r.x + r.width <= p.x + p.width + 0.5, `${item}: inside the picture`).toBe(true);
        const gap = Math.max(r.x - (n.x + n.width), n.x - (r.x + r.width), r.y - (n.y + n.height), n.y - (r.y + r.height));
        expect(gap, `${item}: near n0`).toBeLessThan(60);
        await button(page, 'Undo').click();
      }
    });
  }

  it('puts a result that is not an event (a frame delivered) beside the thing acted on', async () => {
    const { page } = await open(h, '/simulator/');
    await page.getByRole('button', { name: /^2\. peer a connects/ }).click();
    await picture(page).locator('[data-conn]').first().click();
    await page.getByRole('menuitem', { name: 'peer a sends a frame on it' }).click();
    await page.getByText(/^Added step 3: peer a sends a 42-byte frame\. QEMU said nothing over QMP\. 1 frame reached netdev n0\.$/).waitFor();
    expect(await picture(page).locator('.nsl-result-note').innerText()).toBe('1 frame reached netdev n0');
  });
});
