/**
 * Share links in Chromium: the simulator opens `#s=v1.…` links with the
 * codec (src/share) on the right step and release, shows the codec's own
 * message for a bad link while the rest keeps working, follows the reader
 * in the address bar with replaceState, and copies links that reopen the
 * same step. Expected values come from the codec and the engine run here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { schemaChecker } from '../../src/core/qmp/schema-checker.ts';
import { checkScenario } from '../../src/core/scenario/schema.ts';
import { decodeLink, encodeLink } from '../../src/share/link.ts';
import { toBase64url } from '../../src/share/base64url.ts';
import { deflateRaw } from '../../src/share/deflate.ts';
import { buildTrace } from '../../src/ui/trace/build.ts';
import { entriesAt } from '../../src/ui/views/transcript.ts';
import { button, guidedScenario, open, startHarness, status, stopHarness, transcriptLabels, until, type Harness } from './helpers.ts';

const LIBVIRT = guidedScenario('libvirt-restarts-passt');
const FIRST = guidedScenario('server-accepts-then-hangs-up');

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));

const alerts = (page: Page) => page.locator('[data-alerts]');

async function decodedHash(page: Page) {
  const hash = await page.evaluate(() => location.hash);
  const d = await decodeLink(hash);
  if (!d.ok) throw new Error(`the address holds no valid link: ${d.error}`);
  return d;
}

describe('share links', () => {
  it('open on the step and release they name, with the transcript the engine gives', async () => {
    const release = '11.1';
    const fragment = await encodeLink(LIBVIRT, { release, step: 5 });
    const { page, errors } = await open(h, `/simulator/#${fragment}`);
    await page.getByRole('heading', { level: 2, name: LIBVIRT.title }).waitFor();
    expect(await status(page)).toBe(`Step 5 of ${LIBVIRT.steps.length} (${(buildTrace(LIBVIRT, { checker: schemaChecker, release }).steps[4]!.start).toLocaleString('en-US')} ms)`);
    const expected = buildTrace(LIBVIRT, { checker: schemaChecker, release });
    expect(await transcriptLabels(page)).toEqual(entriesAt(expected, 5).map((e) => e.label));
    expect(await page.getByRole('combobox', { name: 'Simulate as QEMU' }).inputValue()).toBe(release);
    await page.getByText(`Opened a shared scenario: “${LIBVIRT.title}” on QEMU ${release}, at step 5.`).waitFor();
    expect(errors).toEqual([]);
  });

  it("show the codec's message for a damaged link, and the page keeps working on its own scenario", async () => {
    const good = await encodeLink(LIBVIRT, { step: 2 });
    const cut = good.slice(0, good.length - 12);
    const expected = await decodeLink(cut);
    expect(expected.ok).toBe(false);
    const message = expected.ok ? '' : expected.error;
    const { page, errors } = await open(h, `/simulator/#${cut}`);
    await until(async () => (await alerts(page).innerText()).includes(message), "the codec's message on the page");
    expect(await alerts(page).innerText()).toContain('This link could not be opened.');
    expect(await page.getByRole('heading', { level: 2, name: FIRST.title }).count()).toBe(1);
    await button(page, 'Step forward').click();
    expect(await status(page)).toBe('Step 1 of 8 (150 ms)');
    expect(errors).toEqual([]);
  });

  it("explain a newer link, stray characters and an invalid scenario in the codec's words", async () => {
    // A well-formed v1 record whose scenario is not valid (an empty peer name).
    const record = [0, '11.1', null, 'Bad peer', null, [], [{ peer: '', close: true }]];
    const invalid = `s=v1.${toBase64url(await deflateRaw(new TextEncoder().encode(JSON.stringify(record))))}`;
    for (const bad of ['s=v7.AAAA', `s=v1.${'!'.repeat(8)}`, invalid]) {
      const expected = await decodeLink(bad);
      if (expected.ok) throw new Error('expected a bad link');
      const { page } = await open(h, `/simulator/#${bad}`);
      await until(async () => (await alerts(page).innerText()).includes(expected.error), `the message for ${bad}`);
      for (const issue of expected.issues ?? []) expect(await alerts(page).innerText()).toContain(`${issue.path}: ${issue.message}`);
      expect(await status(page)).toBe('Start (0 ms)');
      expect(await page.getByRole('heading', { level: 2, name: FIRST.title }).count()).toBe(1);
    }
  });

  it('stop a scenario that would take too long to simulate, say so, and the page stays usable meanwhile', async () => {
    // A client retrying every millisecond for a simulated day: minutes of work for the engine.
    const runaway = checkScenario({
      scenario: 1,
      title: 'Runaway',
      qemu: '11.1',
      netdevs: [{ id: 'c0', type: 'stream', server: false, addr: { type: 'unix', path: '/tmp/nobody' }, 'reconnect-ms': 1 }],
      steps: [{ wait: 86_400_000 }],
    });
    if (!runaway.ok) throw new Error('the runaway scenario should be valid');
    const fragment = await encodeLink(runaway.scenario, { step: 1 });
    const { page } = await open(h, `/simulator/#${fragment}`);
    // The engine works in a worker: the page answers at once.
    await button(page, 'Step forward').click();
    expect(await status(page)).toBe('Step 1 of 8 (150 ms)');
    await until(
      async () => (await alerts(page).innerText()).includes('The simulation took longer than 15 seconds and was stopped'),
      'the timeout message',
      40_000,
    );
    expect(await page.getByRole('heading', { level: 2, name: FIRST.title }).count()).toBe(1);
    // A new engine starts for the next request.
    const input = page.getByRole('combobox', { name: 'Command' });
    await input.fill('query-version');
    await input.press('Enter');
    await page.getByText(/^Sent as step 2\. QEMU replied \{"qemu":/).waitFor({ timeout: 20_000 });
  }, 90_000);

  it('follow the reader: stepping and editing update the address in place', async () => {
    const { page } = await open(h, '/simulator/');
    const historyLength = await page.evaluate(() => history.length);
    expect(await page.evaluate(() => location.hash)).toBe('');
    await button(page, 'Step forward').click();
    await button(page, 'Step forward').click();
    await until(async () => (await page.evaluate(() => location.hash)).startsWith('#s=v1.'), 'a link in the address');
    await until(async () => (await decodedHash(page)).step === 2, 'the link at step 2');
    const d = await decodedHash(page);
    expect(d.scenario).toEqual(FIRST);
    expect(d.release).toBe('11.1');
    const input = page.getByRole('combobox', { name: 'Command' });
    await input.fill('query-version');
    await input.press('Enter');
    await until(async () => (await decodedHash(page)).scenario.steps.length === 9, 'the new step in the link');
    const after = await decodedHash(page);
    expect(after.step).toBe(3);
    expect(after.scenario.steps[2]).toEqual({ qmp: { execute: 'query-version' } });
    await page.getByRole('combobox', { name: 'Simulate as QEMU' }).selectOption('10.0');
    await until(async () => (await decodedHash(page)).release === '10.0', 'the release in the link');
    expect(await page.evaluate(() => history.length)).toBe(historyLength);
  });

  it('follow a link pasted into the address bar of an open page', async () => {
    const { page } = await open(h, '/simulator/');
    const fragment = await encodeLink(LIBVIRT, { step: 3 });
    await page.evaluate((f) => (location.hash = f), fragment);
    await page.getByRole('heading', { level: 2, name: LIBVIRT.title }).waitFor();
    expect(await status(page)).toMatch(/^Step 3 of 8 /);
  });

  it('are copied from a Share menu whose buttons and confirmation come into view on a laptop, and that Escape closes', async () => {
    const { page } = await open(h, '/simulator/');
    await page.setViewportSize({ width: 1366, height: 768 });
    const inView = (l: Locator) => l.evaluate((e) => { const r = e.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight + 1; });
    await page.getByText('Share', { exact: true }).click();
    await until(async () => (await inView(button(page, 'Copy link'))) && inView(button(page, 'Copy embed code')), 'the Share menu in view');
    await button(page, 'Copy link').click();
    const copied = page.getByText(/^Copied the link to the start \(\d+ characters\)\.$/);
    await until(() => inView(copied), 'the confirmation in view');
    await page.keyboard.press('Escape');
    await button(page, 'Copy link').waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Share');
    await page.getByText('Share', { exact: true }).click();
    await button(page, 'Copy link').waitFor();
    await page.getByRole('heading', { level: 2 }).first().click();
    await button(page, 'Copy link').waitFor({ state: 'hidden' });
  });

  it('are copied by Copy link from a Share menu that opens over the page, and the copy reopens the same step', async () => {
    const { page, context } = await open(h, '/simulator/');
    await page.getByRole('button', { name: '3. QMP client sends human-monitor-command "info network"' }).click();
    // The menu opens over what follows: nothing beside or below the Share button moves.
    const pageY = (name: string) => button(page, name).evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
    const before = [await pageY('Edit scenario as JSON'), await pageY('Remove step 2')];
    await page.getByText('Share', { exact: true }).click();
    await button(page, 'Copy embed code').waitFor();
    expect([await pageY('Edit scenario as JSON'), await pageY('Remove step 2')]).toEqual(before);
    await button(page, 'Copy link').click();
    await page.getByText(/^Copied the link to step 3 \(\d+ characters\)\.$/).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied.startsWith(`${h.site.url}/simulator/#s=v1.`)).toBe(true);
    const d = await decodeLink(copied);
    expect(d.ok && d.step).toBe(3);
    const again = await context.newPage();
    await again.goto(copied);
    await until(async () => (await status(again)) === 'Step 3 of 8 (450 ms)', 'the copied link on step 3');
    expect(await transcriptLabels(again)).toEqual(await transcriptLabels(page));
  });
});
