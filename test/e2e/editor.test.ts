/**
 * The scenario's JSON in Monaco, in Chromium: fetched only when opened,
 * validated against the scenario schema with errors inline and listed,
 * applied when valid, never losing the reader's text, following the theme.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { isMonaco } from '../../scripts/sim-size.ts';
import { button, editorBox, open, openEditor, setEditorText as setText, startHarness, status, stopHarness, transcriptLabels, until, type Harness } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));

const editorText = async (page: Page) => (await page.locator('.monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ');

const problems = (page: Page) => page.locator('[data-editor-problems]').getByRole('listitem');

const VALID = JSON.stringify({
  scenario: 1,
  title: 'Edited in the browser',
  qemu: '11.1',
  netdevs: [{ id: 'n0', type: 'stream', server: true, addr: { type: 'unix', path: '/tmp/sim/n0.sock' } }],
  steps: [{ peer: 'x', connect: { type: 'unix', path: '/tmp/sim/n0.sock' } }, { peer: 'x', close: true }],
});

describe('the JSON editor', () => {
  it('is fetched only when the reader opens it', async () => {
    const { page } = await open(h, '/simulator/');
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await page.waitForLoadState('networkidle');
    await button(page, 'Step forward').click();
    await page.getByRole('combobox', { name: 'Command' }).focus();
    await page.waitForLoadState('networkidle');
    expect(fetched.filter(isMonaco)).toEqual([]);
    await openEditor(page);
    expect(fetched.filter(isMonaco).length).toBeGreaterThan(0);
    expect(fetched.some((p) => /\/scenario-editor\.[\w-]+\.js$/.test(p))).toBe(true);
  });

  it("brings Monaco's styles with the editor, not with the page", async () => {
    const { page } = await open(h, '/simulator/');
    const sheets = () =>
      page.evaluate(() => [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => (l as HTMLLinkElement).href));
    const lazyStyles = () => page.locator('style[data-lazy-style]').count();
    expect((await sheets()).filter((href) => /scenario-editor|jsonMode|monaco/i.test(href))).toEqual([]);
    expect(await lazyStyles()).toBe(0);
    await openEditor(page);
    expect(await lazyStyles()).toBeGreaterThan(10);
    // Monaco's own rule for its root element applies: the styles arrived.
    expect(await page.locator('.monaco-editor').first().evaluate((el) => getComputedStyle(el).position)).toBe('relative');
  });

  it('shows an invalid scenario inline and as a list, and the simulator keeps the last valid one', async () => {
    const { page, errors } = await open(h, '/simulator/');
    await openEditor(page);
    await setText(page, '{"scenario": 1, "qemu": "99.9", "steps": [{"peer": "", "close": true}]}');
    await until(async () => (await problems(page).count()) === 2, 'two problems listed');
    const listed = await problems(page).allInnerTexts();
    expect(listed[0]).toMatch(/^Line 1, column \d+: qemu: expected one of "7\.2", .*"11\.1", got "99\.9"$/);
    expect(listed[1]).toMatch(/^Line 1, column \d+: steps\[0\]\.peer: expected a non-empty peer name$/);
    await page.getByText(/^2 problems \(listed below and marked in the text\); the simulator keeps showing the last valid scenario\./).waitFor();
    expect(await page.locator('.monaco-editor .squiggly-error').count()).toBeGreaterThan(0);
    // The page still works on the scenario it had.
    expect(await page.getByRole('heading', { level: 2, name: 'A server netdev accepts a client, which hangs up' }).count()).toBe(1);
    await button(page, 'Step forward').click();
    expect(await status(page)).toBe('Step 1 of 8 (150 ms)');
    // A listed problem takes the caret to its place.
    await problems(page).nth(1).getByRole('button').click();
    expect(await editorBox(page).evaluate((el) => el === document.activeElement)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('opens in view on a laptop and says where text that is not JSON goes wrong, in view too, and keeps the text', async () => {
    const { page } = await open(h, '/simulator/');
    await page.setViewportSize({ width: 1366, height: 768 });
    await openEditor(page);
    // Opening it scrolls it into view: its title is not under the header or the player's controls.
    const title = page.getByRole('heading', { name: 'Scenario JSON' });
    const dockBottom = await page.locator('[data-dock]').evaluate((e) => e.getBoundingClientRect().bottom);
    const titleBox = await title.evaluate((e) => e.getBoundingClientRect().toJSON() as DOMRect);
    expect(titleBox.top).toBeGreaterThanOrEqual(dockBottom);
    expect(titleBox.bottom).toBeLessThanOrEqual(768);
    await setText(page, '{"scenario": 1, "qemu": "11.1" "steps": []}');
    await until(async () => (await problems(page).count()) === 1, 'one problem listed');
    expect(await problems(page).first().innerText()).toBe('Line 1, column 32: Not valid JSON: Expected "," or "}" after a member, found "\\"".');
    // The place is in view while the reader types, not under the editor's 28rem.
    expect(await problems(page).first().evaluate((e) => e.getBoundingClientRect().bottom)).toBeLessThanOrEqual(768);
    await page.getByText(/^The text is not valid JSON; the simulator keeps showing the last valid scenario\. Your text stays here\.$/).waitFor();
    expect(await editorText(page)).toContain('"qemu": "11.1" "steps"');
  });

  it('applies a valid edit at once', async () => {
    const { page } = await open(h, '/simulator/');
    await openEditor(page);
    await setText(page, VALID);
    await page.getByRole('heading', { level: 2, name: 'Edited in the browser' }).waitFor();
    await page.getByText('Applied: the simulator shows this scenario.').waitFor();
    expect(await problems(page).count()).toBe(0);
    await button(page, 'To end').click();
    expect(await status(page)).toBe('Step 2 of 2 (300 ms)');
    expect((await transcriptLabels(page)).filter((l) => l.startsWith('NETDEV_'))).toEqual(['NETDEV_STREAM_CONNECTED', 'NETDEV_STREAM_DISCONNECTED']);
  });

  it('shows a scenario the simulator declines as a problem too', async () => {
    const { page } = await open(h, '/simulator/');
    await openEditor(page);
    await setText(page, '{"scenario": 1, "qemu": "11.1", "netdevs": [{"id": "u0", "type": "user"}], "steps": []}');
    const declined = /^Line 1, column \d+: The simulator cannot run this: netdev-sim simulates only "stream" netdevs, not "user"$/;
    // Wait for the check of the new text: the emptied editor's own problem may show first.
    await until(async () => (await problems(page).count()) === 1 && declined.test(await problems(page).first().innerText()), 'the declined scenario as the one problem');
    expect(await problems(page).count()).toBe(1);
  });

  it('never drops unapplied text: actions elsewhere are refused until it is fixed or discarded', async () => {
    const { page } = await open(h, '/simulator/');
    await openEditor(page);
    await setText(page, '{"scenario": 1,');
    await page.getByText(/^The text is not valid JSON/).waitFor();
    const typed = await editorText(page); // Monaco may have closed the brace itself
    expect(typed).toMatch(/^\{"scenario": 1,\}?$/);
    // The button says so, to the eye and in its accessible name.
    const edit = page.getByRole('button', { name: 'Edit scenario as JSON (unapplied changes)' });
    expect(await edit.count()).toBe(1);
    const form = page.getByRole('form', { name: 'Be a peer' });
    await button(form, 'Connect').click();
    await page.getByText(/^The JSON editor holds changes that are not applied yet/).first().waitFor();
    expect(await page.getByRole('region', { name: 'Steps', exact: true }).getByRole('listitem').count()).toBe(9);
    expect(await editorText(page)).toBe(typed);
    // Closing the editor keeps the text; reopening shows it.
    await edit.click();
    expect(await editorBox(page).isVisible()).toBe(false);
    await edit.click();
    expect(await editorText(page)).toBe(typed);
    // Leaving the page asks first.
    const dialog = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.type()))));
    await page.evaluate(() => location.assign('/'));
    expect(await dialog).toBe('beforeunload');
    // Discarding is explicit, and the action then works.
    await button(page, 'Discard editor changes').click();
    await page.getByText(/^Discarded the unapplied changes/).waitFor();
    expect(await editorText(page)).toContain('"title": "A server netdev accepts a client, which hangs up"');
    await button(form, 'Connect').click();
    await page.getByText(/^Added step 1:/).waitFor();
    // The editor follows changes made elsewhere.
    // (the scenario starts with info network; "Be a peer" put a connect of its peer a first)
    await until(async () => /"steps": \[\s*\{\s*"peer": "a",\s*"connect"/.test(await editorText(page)), 'the new step in the editor');
  });

  it("follows the page's theme and tells how to leave it with the keyboard", async () => {
    const { page } = await open(h, '/simulator/');
    await openEditor(page);
    await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
    await until(async () => (await page.locator('.monaco-editor.vs').count()) > 0, 'the light editor theme');
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await until(async () => (await page.locator('.monaco-editor.vs-dark').count()) > 0, 'the dark editor theme');
    const name = await editorBox(page).getAttribute('aria-label');
    expect(name).toContain('Press Ctrl+M (Ctrl+Shift+M on macOS) to toggle whether Tab moves focus out of the editor.');
    expect(await page.getByText(/press Ctrl\+M \(Ctrl\+Shift\+M on macOS\) to make Tab move focus out of the editor/).count()).toBe(1);
  });

  it('completes step kinds and addresses from the JSON Schema', async () => {
    const { page } = await open(h, '/simulator/');
    await openEditor(page);
    await setText(page, '{"scenario": 1, "qemu": "11.1", "steps": [ ]}');
    await page.getByText('Applied: the simulator shows this scenario.').waitFor();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget .monaco-list-row');
    await suggestions.first().waitFor();
    const labels = await suggestions.allInnerTexts();
    expect(labels.join('\n')).toContain('peer connects to {"type":"unix","path":"/tmp/sim/n0.sock"}');
    expect(labels.join('\n')).toContain('QMP: query-version');
    await page.keyboard.press('Escape');
    // Inside a qmp step, the commands of the scenario's release.
    await setText(page, '{"scenario": 1, "qemu": "11.1", "steps": [{"qmp": {"execute": "n"}}]}');
    await page.getByText('Applied: the simulator shows this scenario.').waitFor();
    await page.keyboard.press('End');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+Space');
    await until(async () => (await suggestions.allInnerTexts()).join('\n').includes('netdev_del'), 'command names offered');
    const commands = (await suggestions.allInnerTexts()).join('\n');
    expect(commands).toContain('netdev_add');
  });
});
