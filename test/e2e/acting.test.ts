/**
 * Acting on the scenario in Chromium: being a peer, the QMP console with
 * completion from the QAPI schema, removing steps, choosing a release and
 * comparing two. Every action must become a step that can be stepped over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { button, open, startHarness, status, stopHarness, transcript, transcriptLabels, until, type Harness } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));

const stepItems = (page: Page) => page.getByRole('region', { name: 'Steps', exact: true }).getByRole('listitem');

describe('acting as a peer', () => {
  it('adds a connect step right after the current step, and QEMU reports NETDEV_STREAM_CONNECTED', async () => {
    const { page, errors } = await open(h, '/simulator/');
    expect(await transcriptLabels(page)).not.toContain('NETDEV_STREAM_CONNECTED');
    const form = page.getByRole('form', { name: 'Be a peer' });
    await form.getByRole('combobox', { name: 'Peer name' }).fill('z');
    await form.getByRole('combobox', { name: 'Address type' }).selectOption('unix');
    await form.getByRole('textbox', { name: 'Socket path' }).fill('/tmp/sim/n0.sock');
    await button(form, 'Connect').click();
    await page.getByText('Added step 1: peer z connects to unix:/tmp/sim/n0.sock.').waitFor();
    expect(await status(page)).toBe('Step 1 of 9 (150 ms)');
    expect(await transcriptLabels(page)).toContain('NETDEV_STREAM_CONNECTED');
    expect(await stepItems(page).nth(1).innerText()).toContain('1. peer z connects to unix:/tmp/sim/n0.sock');
    // The action is an ordinary step: step back over it and the event is gone.
    await button(page, 'Step back').click();
    expect(await transcriptLabels(page)).not.toContain('NETDEV_STREAM_CONNECTED');
    expect(errors).toEqual([]);
  });

  it('sends a frame and closes, and QEMU reports NETDEV_STREAM_DISCONNECTED', async () => {
    const { page } = await open(h, '/simulator/');
    const form = page.getByRole('form', { name: 'Be a peer' });
    await form.getByRole('combobox', { name: 'Peer name' }).fill('z');
    await button(form, 'Connect').click();
    await page.getByText(/^Added step 1:/).waitFor();
    await button(form, 'Send frame').click();
    await page.getByText(/^Added step 2: peer z sends a 42-byte frame\. QEMU said nothing over QMP\. 1 frame reached netdev n0\.$/).waitFor();
    expect(await page.getByRole('region', { name: 'Frames', exact: true }).innerText()).toContain('Frame 1: 42 bytes for n0');
    await button(form, 'Close').click();
    await page.getByText('Added step 3: peer z closes its connection and listener. QEMU sent NETDEV_STREAM_DISCONNECTED (netdev n0).').waitFor();
    const labels = await transcriptLabels(page);
    expect(labels.filter((l) => l.startsWith('NETDEV_STREAM_'))).toEqual(['NETDEV_STREAM_CONNECTED', 'NETDEV_STREAM_DISCONNECTED']);
  });

  it('says what is wrong with bad input, beside the form, and adds nothing', async () => {
    const { page } = await open(h, '/simulator/');
    const form = page.getByRole('form', { name: 'Be a peer' });
    await form.getByRole('textbox', { name: 'Frame bytes (hex)' }).fill('xyz');
    await button(form, 'Send frame').click();
    await page.getByText('The bytes must be hex digits, two per byte (e.g. ffffffffffff…).').waitFor();
    await form.getByRole('combobox', { name: 'Peer name' }).fill('');
    await button(form, 'Close').click();
    await page.getByText('Give the peer a name first (any short text, e.g. "a").').waitFor();
    expect(await stepItems(page).count()).toBe(9);
  });

  it('removes a step, and the run changes with it', async () => {
    const { page } = await open(h, '/simulator/');
    await page.getByRole('button', { name: 'Remove step 2' }).click();
    await page.getByText('Removed step 2.').waitFor();
    expect(await stepItems(page).count()).toBe(8);
    await button(page, 'To end').click();
    expect(await status(page)).toBe('Step 7 of 7 (1,050 ms)');
    // Peer a never connects now: one CONNECTED (peer b's) instead of two.
    expect((await transcriptLabels(page)).filter((l) => l === 'NETDEV_STREAM_CONNECTED')).toHaveLength(1);
  });
});

describe('the QMP console', () => {
  it('completes command names from the QAPI schema and sends the command as a step with its reply', async () => {
    const { page, errors } = await open(h, '/simulator/');
    const input = page.getByRole('combobox', { name: 'Command' });
    await input.click();
    await input.pressSequentially('query-ver');
    const options = page.getByRole('listbox', { name: 'Completions' }).getByRole('option');
    await options.first().waitFor();
    expect(await options.allInnerTexts()).toEqual([expect.stringMatching(/^query-version/)]);
    await input.press('ArrowDown');
    await input.press('Enter');
    expect(await input.inputValue()).toBe('query-version');
    await input.press('Enter');
    // QEMU's reply is shown beside the console, not only in the transcript.
    await page.getByText(/^Sent as step 1\. QEMU replied \{"qemu":\{"micro":\d+,"minor":1,"major":11\},"package":/).waitFor();
    const labels = await transcriptLabels(page);
    expect(labels.slice(-2)).toEqual(['query-version', 'return']);
    expect(await transcript(page).getByRole('listitem').last().innerText()).toContain('"major": 11');
    expect(await input.inputValue()).toBe('');
    expect(errors).toEqual([]);
  });

  it("fills in a command's required arguments and offers the others", async () => {
    const { page } = await open(h, '/simulator/');
    const input = page.getByRole('combobox', { name: 'Command' });
    await input.click();
    await input.pressSequentially('set_l');
    const listbox = page.getByRole('listbox', { name: 'Completions' });
    await listbox.getByRole('option', { name: /^set_link/ }).click();
    expect(await input.inputValue()).toBe('set_link {"name": "", "up": false}');
    await input.fill('netdev_add {"id": "c1", ');
    await input.press('End');
    await input.pressSequentially('"');
    await listbox.getByRole('option').first().waitFor();
    const offered = (await listbox.getByRole('option').allInnerTexts()).map((t) => t.split('\n')[0]);
    expect(offered).toEqual(expect.arrayContaining(['type', 'addr', 'server', 'reconnect-ms']));
    expect(offered).not.toContain('id');
    // 11.1 has no `reconnect` member any more.
    expect(offered).not.toContain('reconnect');
  });

  it('shows a command QEMU rejects as a transcript line, nothing more', async () => {
    const { page } = await open(h, '/simulator/');
    const input = page.getByRole('combobox', { name: 'Command' });
    await input.fill('netdev_del {"id": "nope"}');
    await input.press('Enter');
    await page.getByText("Sent as step 1. QEMU answered with an error, DeviceNotFound: Device 'nope' not found.").waitFor();
    const last = transcript(page).getByRole('listitem').last();
    expect(await last.getAttribute('class')).toContain('nsl-k-error');
    expect(await last.innerText()).toContain("Device 'nope' not found");
    expect(await status(page)).toBe('Step 1 of 9 (150 ms)');
  });

  it('explains input that is not a command, beside the console, and adds nothing', async () => {
    const { page } = await open(h, '/simulator/');
    const input = page.getByRole('combobox', { name: 'Command' });
    await input.fill('netdev_del {id: n0}');
    await input.press('Enter');
    await page.getByText(/^The arguments after netdev_del are not valid JSON: /).waitFor();
    await input.fill('{"execute": ');
    await input.press('Enter');
    await page.getByText(/^That is not valid JSON: /).waitFor();
    expect(await stepItems(page).count()).toBe(9);
    expect(await status(page)).toBe('Start (0 ms)');
  });
});

describe('releases', () => {
  it('re-runs the scenario on the chosen release and says what changed', async () => {
    const { page } = await open(h, '/simulator/');
    const netdevs = page.getByRole('region', { name: 'Netdevs', exact: true });
    expect(await netdevs.innerText()).toContain('n0: index=0,type=stream,listening');
    await page.getByRole('combobox', { name: 'Simulate as QEMU' }).selectOption('7.2');
    await until(async () => (await netdevs.innerText()).includes('n0: index=0,type=stream,\n') || (await netdevs.innerText()).endsWith('n0: index=0,type=stream,'), 'info network in the 7.2 style');
    await page.getByText(/^QEMU 7\.2 \(recorded from a real build\): The stream backend and its NETDEV_STREAM_CONNECTED/).waitFor();
    await page.getByText(/^Simulated as QEMU 7\.2: \d+ of \d+ transcript lines differ from QEMU 11\.1, the scenario's own release\./).waitFor();
    expect(await page.getByRole('region', { name: 'QMP messages, QEMU 7.2' }).count()).toBe(1);
  });

  it('compares two releases side by side, row by row, and marks the lines that differ', async () => {
    const { page } = await open(h, '/simulator/');
    await page.getByRole('checkbox', { name: 'Compare side by side with' }).check();
    const table = page.getByRole('table', { name: /^QEMU 11\.1 and QEMU 7\.2 up to step 0:/ });
    await table.waitFor();
    await button(page, 'Step forward').click();
    await page.getByText('QEMU 11.1 | QEMU 7.2, up to step 1: 2 lines differ: the greeting, info network while listening.').waitFor();
    const cmp = page.getByRole('table', { name: /^QEMU 11\.1 and QEMU 7\.2 up to step 1:/ });
    // The greeting's version and the idle info network text differ; the negotiation does not.
    const differing = cmp.locator('tbody.nsl-cmp-tx tr.nsl-differs');
    expect(await differing.count()).toBe(2);
    expect(await differing.nth(0).locator('.nsl-tx-label').allInnerTexts()).toEqual(['greeting', 'greeting']);
    expect(await differing.nth(1).locator('td').nth(0).innerText()).toContain('listening');
    expect(await differing.nth(1).locator('td').nth(1).innerText()).not.toContain('listening');
    expect(await cmp.locator('tbody.nsl-cmp-info tr.nsl-differs td').allInnerTexts()).toEqual([
      expect.stringMatching(/^n0: index=0,type=stream,listening/),
      expect.stringMatching(/^n0: index=0,type=stream,\s*differs$/),
    ]);
    // The player's own transcript marks its side too.
    expect(await transcript(page).locator('.nsl-differs .nsl-tx-label').allInnerTexts()).toEqual(['greeting', 'return']);
    // Stepping keeps both sides on the same step, row for row.
    await button(page, 'To end').click();
    const end = page.getByRole('table', { name: /^QEMU 11\.1 and QEMU 7\.2 up to step 8:/ });
    await end.waitFor();
    const rows = end.locator('tbody.nsl-cmp-tx tr.nsl-cmp-row');
    expect(await rows.count()).toBe(await transcript(page).getByRole('listitem').count());
    await page.getByRole('checkbox', { name: 'Compare side by side with' }).uncheck();
    await end.waitFor({ state: 'hidden' });
    expect(await transcript(page).locator('.nsl-differs').count()).toBe(0);
  });
});
