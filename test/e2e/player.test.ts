/**
 * The simulator page's player, in Chromium on the built site: stepping,
 * keyboard shortcuts, playing, the timeline and every view following the
 * step. What the page shows is checked against the engine run here in Node.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaChecker } from '../../src/core/qmp/schema-checker.ts';
import { buildTrace } from '../../src/ui/trace/build.ts';
import { entriesAt, jsonLinesAt } from '../../src/ui/views/transcript.ts';
import { button, guidedScenario, open, startHarness, status, stopHarness, transcriptLabels, until, type Harness } from './helpers.ts';

const trace = buildTrace(guidedScenario('server-accepts-then-hangs-up'), { checker: schemaChecker });

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));

describe('the simulator page', () => {
  it('opens on a guided scenario at its start and lists the library', async () => {
    const { page, errors } = await open(h, '/simulator/');
    await page.getByRole('heading', { level: 2, name: trace.title }).waitFor();
    const library = page.getByRole('navigation', { name: 'Guided scenarios' });
    expect(await library.getByRole('link').count()).toBe(14);
    expect(await library.getByRole('link', { name: trace.title }).getAttribute('aria-current')).toBe('page');
    expect(await status(page)).toBe('Start (0 ms)');
    expect(await transcriptLabels(page)).toEqual(entriesAt(trace, 0).map((e) => e.label));
    expect(errors).toEqual([]);
  });

  it('steps forward until NETDEV_STREAM_CONNECTED is in the transcript, and stepping back takes it out', async () => {
    const { page, errors } = await open(h, '/simulator/');
    let steps = 0;
    while (!(await transcriptLabels(page)).includes('NETDEV_STREAM_CONNECTED')) {
      expect(steps++, 'steps taken without seeing the event').toBeLessThan(trace.last);
      await button(page, 'Step forward').click();
    }
    expect(steps).toBe(2);
    expect(await transcriptLabels(page)).toEqual(entriesAt(trace, 2).map((e) => e.label));
    await button(page, 'Step back').click();
    expect(await status(page)).toBe('Step 1 of 8 (150 ms)');
    expect(await transcriptLabels(page)).not.toContain('NETDEV_STREAM_CONNECTED');
    expect(await transcriptLabels(page)).toEqual(entriesAt(trace, 1).map((e) => e.label));
    expect(errors).toEqual([]);
  });

  it('has buttons named for what they do, and To end and Restart jump', async () => {
    const { page } = await open(h, '/simulator/');
    const controls = page.getByRole('group', { name: 'Player controls' });
    for (const name of ['Restart', 'Step back', 'Play', 'Step forward', 'To end']) {
      expect(await button(controls, name).count(), name).toBe(1);
    }
    await button(controls, 'To end').click();
    expect(await status(page)).toBe('Step 8 of 8 (1,200 ms)');
    expect(await transcriptLabels(page)).toEqual(trace.transcript.map((e) => e.label));
    await button(controls, 'Restart').click();
    expect(await status(page)).toBe('Start (0 ms)');
  });

  it('has a keyboard shortcut for each control', async () => {
    const { page } = await open(h, '/simulator/');
    await page.keyboard.press('l');
    await page.keyboard.press('l');
    expect(await status(page)).toBe('Step 2 of 8 (300 ms)');
    await page.keyboard.press('j');
    expect(await status(page)).toBe('Step 1 of 8 (150 ms)');
    await page.keyboard.press('e');
    expect(await status(page)).toBe('Step 8 of 8 (1,200 ms)');
    await page.keyboard.press('0');
    expect(await status(page)).toBe('Start (0 ms)');
    // With nothing focused (after a click on the page's background) the arrows step too.
    await page.mouse.click(5, 300);
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await status(page)).toBe('Step 1 of 8 (150 ms)');
    await page.keyboard.press('ArrowLeft');
    expect(await status(page)).toBe('Start (0 ms)');
    // Arrows, Home and End act on the player's own controls.
    await button(page, 'Step forward').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await status(page)).toBe('Step 2 of 8 (300 ms)');
    await page.keyboard.press('ArrowLeft');
    expect(await status(page)).toBe('Step 1 of 8 (150 ms)');
    await page.keyboard.press('End');
    expect(await status(page)).toBe('Step 8 of 8 (1,200 ms)');
    await page.keyboard.press('Home');
    expect(await status(page)).toBe('Start (0 ms)');
    // Speed and play/pause.
    const speed = page.getByRole('combobox', { name: 'Speed' });
    expect(await speed.inputValue()).toBe('1');
    await page.locator('body').press('+');
    expect(await speed.inputValue()).toBe('2');
    await page.locator('body').press('-');
    await page.locator('body').press('-');
    expect(await speed.inputValue()).toBe('0.5');
    await page.locator('body').press('k');
    await button(page, 'Pause').waitFor();
    await page.locator('body').press('k');
    await button(page, 'Play').waitFor();
    // Typing in a text field is typing, not a shortcut.
    await page.getByRole('combobox', { name: 'Command' }).fill('');
    await page.getByRole('combobox', { name: 'Command' }).press('l');
    expect(await status(page)).toBe('Start (0 ms)');
  });

  it('plays on its own at the chosen speed, stops at the end, and Pause stops it', async () => {
    const { page } = await open(h, '/simulator/');
    await page.getByRole('combobox', { name: 'Speed' }).selectOption('4');
    await button(page, 'Play').click();
    await button(page, 'Pause').waitFor();
    await until(async () => (await status(page)).startsWith('Step 2 '), 'playing to reach step 2');
    await button(page, 'Pause').click();
    const paused = await status(page);
    await page.waitForTimeout(600);
    expect(await status(page)).toBe(paused);
    await button(page, 'Play').click();
    await until(async () => (await status(page)) === 'Step 8 of 8 (1,200 ms)', 'playing to reach the end');
    await button(page, 'Play').waitFor();
  });

  it('scrubs the timeline: a click jumps to the step running at that time, and the slider takes keys', async () => {
    const { page } = await open(h, '/simulator/');
    const slider = page.getByRole('slider', { name: 'Simulated time' });
    const track = page.locator('[data-tl-track]').first();
    await track.scrollIntoViewIfNeeded();
    const box = (await track.boundingBox())!;
    // Step 4 runs from 600 ms to 750 ms; click at 650 ms.
    await page.mouse.click(box.x + (box.width * 650) / trace.end, box.y + box.height / 2);
    expect(await slider.getAttribute('aria-valuenow')).toBe('4');
    expect(await slider.getAttribute('aria-valuetext')).toBe('Step 4 of 8, 600 ms: peer a sends a 42-byte frame');
    await slider.press('ArrowLeft');
    expect(await slider.getAttribute('aria-valuenow')).toBe('3');
    await slider.press('End');
    expect(await slider.getAttribute('aria-valuenow')).toBe('8');
    await slider.press('Home');
    expect(await status(page)).toBe('Start (0 ms)');
    // One mark per QMP event of the run.
    expect(await track.locator('.nsl-tl-ev').count()).toBe(trace.events.length);
  });

  it('keeps every view on the current step: state diagram, network, netdevs, info network, sequence diagram', async () => {
    const { page } = await open(h, '/simulator/');
    const diagram = page.getByRole('img', { name: /State machine of the stream netdev backend/ });
    const region = (name: string) => page.getByRole('region', { name, exact: true });
    expect(await diagram.locator('[data-state="server.listening"]').getAttribute('class')).toContain('nsl-on');
    await page.getByRole('button', { name: '2. peer a connects to unix:/tmp/sim/n0.sock' }).click();
    expect(await diagram.locator('[data-state="server.connected"]').getAttribute('class')).toContain('nsl-on');
    expect(await diagram.locator('[data-state="server.listening"]').getAttribute('class')).not.toContain('nsl-on');
    expect(await diagram.locator('[data-edge="server.listening>server.connected"]').getAttribute('class')).toContain('nsl-taken');
    expect(await region('Backend state').innerText()).toContain('n0 (server): server.connected');
    const network = await region('Network').innerText();
    expect(network).toContain('peer a');
    expect(network).toContain('accepted');
    const netdevs = await region('Netdevs').innerText();
    expect(netdevs).toContain('n0: index=0,type=stream,unix:/tmp/sim/n0.sock');
    expect(netdevs).toContain('server.connected');
    const sequence = page.getByRole('img', { name: /^Sequence diagram/ });
    expect(await sequence.locator('text').allTextContents()).toContain('connect unix:/tmp/sim/n0.sock');
    expect(await sequence.locator('.nsl-new text').allTextContents()).toContain('NETDEV_STREAM_CONNECTED');
    await page.getByRole('button', { name: '5. peer a closes its connection and listener' }).click();
    expect(await region('Backend state').innerText()).toContain('n0 (server): server.listening');
    expect(await region('Netdevs').innerText()).toContain('n0: index=0,type=stream,listening');
    expect(await region('Network').innerText()).toContain('No connection.');
  });

  it('marks the newest transcript message and the ones the current step brought', async () => {
    const { page } = await open(h, '/simulator/');
    await page.getByRole('button', { name: '3. QMP client sends human-monitor-command "info network"' }).click();
    const entries = page.getByRole('region', { name: /^QMP messages/ }).getByRole('listitem');
    const last = entries.last();
    expect(await last.getAttribute('class')).toContain('nsl-newest');
    expect(await last.innerText()).toContain('"return": "n0: index=0,type=stream,unix:/tmp/sim/n0.sock\\r\\n"');
    const fresh = await page.getByRole('region', { name: /^QMP messages/ }).locator('.nsl-new .nsl-tx-label').allInnerTexts();
    expect(fresh).toEqual(['human-monitor-command', 'return']);
  });

  it('shows a frame as length prefix, destination, source and EtherType, each marking its bytes', async () => {
    const { page } = await open(h, '/simulator/');
    const frames = page.getByRole('region', { name: 'Frames', exact: true });
    expect(await frames.innerText()).toContain('No frame has reached QEMU yet.');
    await page.getByRole('button', { name: '4. peer a sends a 42-byte frame' }).click();
    await frames.getByRole('button', { name: 'Frame 1: 42 bytes for n0 at 600 ms' }).waitFor();
    const marked = () => frames.locator('.nsl-byte.nsl-on').allInnerTexts();
    const field = (name: string) => frames.getByRole('button', { name: new RegExp(`^${name}, bytes \\d+–\\d+$`) });
    await field('Length prefix').click();
    expect(await marked()).toEqual(['00', '00', '00', '2a']);
    await field('Destination').click();
    expect(await field('Destination').getAttribute('aria-pressed')).toBe('true');
    expect(await marked()).toEqual(['ff', 'ff', 'ff', 'ff', 'ff', 'ff']);
    await field('Source').click();
    expect(await marked()).toEqual(['52', '54', '00', '12', '34', '56']);
    await field('EtherType').click();
    expect(await marked()).toEqual(['08', '06']);
    expect(await frames.innerText()).toContain('0x0806 (ARP)');
    await field('EtherType').click();
    expect(await marked()).toEqual([]);
  });

  it('copies the transcript up to the step as JSON Lines, exactly as the engine writes it', async () => {
    const { page } = await open(h, '/simulator/');
    await page.getByRole('button', { name: '5. peer a closes its connection and listener' }).click();
    await button(page, 'Copy as JSON Lines').click();
    await page.getByText(/^Copied \d+ transcript lines as JSON Lines\.$/).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(jsonLinesAt(trace, 5));
    expect(copied.trim().split('\n').map((l) => (JSON.parse(l) as { msg: { event?: string } }).msg.event ?? null).filter(Boolean)).toEqual([
      'NETDEV_STREAM_CONNECTED',
      'NETDEV_STREAM_DISCONNECTED',
    ]);
  });

  it('exports the state diagram as a standalone SVG file', async () => {
    const { page } = await open(h, '/simulator/');
    const [download] = await Promise.all([page.waitForEvent('download'), button(page, 'Export SVG').click()]);
    expect(download.suggestedFilename()).toBe('stream-netdev-machine.svg');
    const text = readFileSync(await download.path(), 'utf8');
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const state of ['initializing', 'listening', 'connected', 'waiting', 'deleted']) expect(text).toContain(`>${state}</text>`);
    // Colours are written into the file, not left to the page's stylesheet.
    expect(text).toMatch(/<rect[^>]* fill="rgb\(/);
    expect(text).not.toContain('class=');
  });
});
