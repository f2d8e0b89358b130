/**
 * /embed/ in Chromium, as another site uses it: the simulator's Share menu
 * gives the embed code, a host page on a second origin (another port)
 * pastes it, and inside the frame the stage steps with the mouse and the
 * keyboard, the frame posts its height, "Open in the simulator" carries the
 * same scenario and step, axe-core finds nothing, and a guided scenario's
 * link costs at most 30 KB of gzipped JavaScript; README's snippet sizes
 * the frame from its messages. Bad and hostile links get
 * the simulator's own message, and nothing from them becomes markup.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario } from '../../src/core/scenario/schema.ts';
import { decodeLink, encodeLink } from '../../src/share/link.ts';
import { EMBED_HEIGHT, EMBED_WIDTH } from '../../src/ui/embed/embed-code.ts';
import { inlineScripts, kb, recordScripts, totalGzip } from '../../scripts/page-js.ts';
import { ROOT, serveTempDirectory, type ServedSite } from '../support/site.ts';
import { axeViolations, button, guidedScenario, open, startHarness, status, stopHarness, until, type Harness } from './helpers.ts';

/** The embed's budget before interaction, gzipped. */
const EMBED_BUDGET = 30 * 1024;

const LIBVIRT = guidedScenario('libvirt-restarts-passt');

let h: Harness;
let host: ServedSite & { dir: string };
beforeAll(async () => {
  h = await startHarness();
  host = await serveTempDirectory('nsl-host-');
});
afterAll(async () => {
  await host?.close();
  await stopHarness(h);
});

/** A page of the host site holding `code`, which records the frame's messages in window.frameMessages. */
async function hostPage(code: string, name: string): Promise<Page> {
  writeFileSync(
    join(host.dir, `${name}.html`),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title>
<script>window.frameMessages = []; addEventListener('message', (e) => window.frameMessages.push({ origin: e.origin, data: e.data }));</script>
</head><body><main><h1>A course page</h1>${code}</main></body></html>`,
  );
  const context = await h.browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${host.url}${name}.html`);
  return page;
}

async function embedFrame(page: Page): Promise<Frame> {
  const frame = (await until(() => page.frames().find((f) => f.url().includes('/embed/')), 'the embed frame'))!;
  await frame.locator('nsl-player.nsl-live').waitFor();
  await frame.locator('[data-embed-stage]:not([hidden])').waitFor();
  return frame;
}

describe('the embed', () => {
  it('fits the embed code\'s default frame at every step of every guided scenario, with no scrolling', async () => {
    const names = readdirSync(join(ROOT, 'content/scenarios')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    const context = await h.browser.newContext({ viewport: { width: EMBED_WIDTH, height: EMBED_HEIGHT } });
    const page = await context.newPage();
    const tallest: { height: number; where: string } = { height: 0, where: '' };
    try {
      for (const name of names) {
        await page.goto(`${h.site.url}/embed/#${await encodeLink(guidedScenario(name), { step: 0 })}`);
        await page.locator('nsl-player.nsl-live').waitFor();
        for (;;) {
          const { height, width } = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth }));
          expect(width, `${name}: ${await status(page)}`).toBeLessThanOrEqual(EMBED_WIDTH);
          if (height > tallest.height) Object.assign(tallest, { height, where: `${name}, ${await status(page)}` });
          const forward = button(page, 'Step forward');
          if ((await forward.getAttribute('aria-disabled')) === 'true') break;
          const before = await status(page);
          await forward.click();
          await until(async () => (await status(page)) !== before, `${name}: a step after ${before}`);
        }
      }
    } finally {
      await context.close();
    }
    console.log(`embed: tallest document ${tallest.height} px (${tallest.where}; the frame itself when all fits) in a ${EMBED_WIDTH}×${EMBED_HEIGHT} frame`);
    expect(tallest.height, tallest.where).toBeLessThanOrEqual(EMBED_HEIGHT);
  }, 240_000);

  it('comes from the Share menu and works in a frame on another site: mouse, keyboard, resize messages, the way back, axe', async () => {
    const sim = await open(h, `/simulator/#${await encodeLink(LIBVIRT, { step: 3 })}`);
    await until(async () => (await status(sim.page)) === 'Step 3 of 8 (450 ms)', 'the simulator on step 3');
    await sim.page.getByText('Share', { exact: true }).click();
    await button(sim.page, 'Copy embed code').click();
    await sim.page.getByText('Copied the embed code for step 3.').waitFor();
    const code = await sim.page.evaluate(() => navigator.clipboard.readText());
    expect(code).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\/#s=v1\.[\w-]+" title="Netdev Stream Lab: libvirt restarts passt after NETDEV_STREAM_DISCONNECTED" width="720" height="560" loading="lazy"><\/iframe>$/);
    const src = /src="([^"]+)"/.exec(code)![1]!;
    const fromCode = await decodeLink(src);
    expect(fromCode.ok && [fromCode.step, fromCode.release, fromCode.scenario]).toEqual([3, LIBVIRT.qemu, LIBVIRT]);

    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const resizer = /<!-- resize-example[^>]*-->\s*```html\n([\s\S]*?)```/.exec(readme)![1]!.replace('https://HOST', new URL(src).origin);
    const page = await hostPage(code + resizer, 'course');
    expect(new URL(page.url()).origin).not.toBe(new URL(src).origin);
    const frame = await embedFrame(page);
    expect(await status(frame.locator('body'))).toBe('Step 3 of 8 (450 ms)');

    // The picture is to look at here: its things are labelled images, no buttons, nothing to focus, no menu on a click.
    const things = frame.locator('[data-stage-view="picture"] :is([data-netdev], [data-peer], [data-listener], [data-conn])');
    expect(await things.count()).toBeGreaterThan(2);
    expect(new Set(await things.evaluateAll((els) => els.map((e) => e.getAttribute('role'))))).toEqual(new Set(['img']));
    expect(await frame.locator('[data-stage-view="picture"] :is([tabindex], [role="button"], [aria-haspopup])').count()).toBe(0);
    await frame.getByRole('img', { name: /^netdev hostnet0: client/ }).click();
    expect(await frame.getByRole('menu').count()).toBe(0);

    // Mouse.
    await button(frame.locator('body'), 'Step forward').click();
    await until(async () => (await status(frame.locator('body'))).startsWith('Step 4 of 8'), 'step 4 after a click');
    // Keyboard: Tab to the controls, then the player's keys.
    await button(frame.locator('body'), 'Step forward').focus();
    await page.keyboard.press('ArrowLeft');
    await until(async () => (await status(frame.locator('body'))).startsWith('Step 3 of 8'), 'step 3 after ArrowLeft');
    await page.keyboard.press('l');
    await page.keyboard.press('l');
    await until(async () => (await status(frame.locator('body'))).startsWith('Step 5 of 8'), 'step 5 after l, l');

    // The way back: the same scenario and release at the step shown.
    const openLink = frame.getByRole('link', { name: /Open in the simulator/ });
    expect(await openLink.getAttribute('target')).toBe('_blank');
    const href = (await until(async () => {
      const v = await openLink.getAttribute('href');
      const d = v ? await decodeLink(v) : null;
      return d?.ok && d.step === 5 ? v : null;
    }, 'the link to step 5'))!;
    expect(href.startsWith(`${h.site.url}/simulator/#s=v1.`) || href.startsWith('/simulator/#s=v1.')).toBe(true);
    const back = await decodeLink(href);
    expect(back.ok && [back.step, back.release, back.scenario]).toEqual([5, LIBVIRT.qemu, LIBVIRT]);

    // The height, posted to the parent page by the frame's origin.
    const messages = (await until(async () => {
      const m = await page.evaluate(() => (window as unknown as { frameMessages: { origin: string; data: { type?: string; height?: number } }[] }).frameMessages);
      return m.some((x) => x.data.type === 'netdev-sim:resize') ? m : null;
    }, 'a resize message'))!;
    const resize = messages.filter((m) => m.data.type === 'netdev-sim:resize');
    expect(resize[0]!.origin).toBe(new URL(src).origin);
    const docHeight = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    expect(resize.at(-1)!.data.height).toBe(docHeight);
    expect(docHeight).toBeGreaterThan(300);
    // README's snippet sized the frame to it.
    await until(async () => (await page.locator('iframe').getAttribute('height')) === String(docHeight), "the frame's height from README's snippet");

    expect(await axeViolations(frame)).toEqual([]);
    await page.context().close();
    await sim.context.close();
  });

  it('loads at most 30 KB of gzipped JavaScript for a guided scenario, and no engine', async () => {
    const context = await h.browser.newContext({ viewport: { width: 720, height: 640 } });
    const page = await context.newPage();
    const rec = recordScripts(page);
    await page.goto(`${h.site.url}/embed/#${await encodeLink(LIBVIRT, { step: 2 })}`);
    await page.locator('[data-embed-stage]:not([hidden])').waitFor();
    await rec.settle();
    const loads = [...rec.loads, ...(await inlineScripts(page))];
    const total = totalGzip(loads);
    console.log(`embed, guided scenario: ${kb(total)} gzipped JavaScript before interaction (${loads.map((l) => `${l.path} ${kb(l.gzip)}`).join(', ')})`);
    expect(loads.filter((l) => /engine|worker|monaco|pagefind/i.test(l.path))).toEqual([]);
    expect(total).toBeLessThanOrEqual(EMBED_BUDGET);
    expect(await status(page.locator('body'))).toMatch(/^Step 2 of 8 /);
    await context.close();
  });

  it('runs an edited scenario in the engine and shows its title as text, never as markup', async () => {
    const hostile: Scenario = { ...LIBVIRT, title: '<img src=x onerror="window.pwned=1">Evil <b>title</b>', steps: LIBVIRT.steps.slice(0, 4) };
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const rec = recordScripts(page);
    await page.goto(`${h.site.url}/embed/#${await encodeLink(hostile, { step: 4, release: '7.2' })}`);
    await page.locator('[data-embed-stage]:not([hidden])').waitFor();
    await rec.settle();
    console.log(`embed, an edited scenario (run by the engine worker): ${kb(totalGzip([...rec.loads, ...(await inlineScripts(page))]))} gzipped JavaScript`);
    expect(await page.locator('[data-embed-title]').textContent()).toBe(hostile.title);
    expect(await page.locator('[data-embed-title] *').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => 'pwned' in window)).toBe(false);
    expect(await status(page.locator('body'))).toMatch(/^Step 4 of 4 /);
    expect(await page.locator('.nsl-stage-picture').innerText()).toMatch(/QEMU 7\.2/);
    await context.close();
  });

  it('shows the simulator’s message for a corrupt link, with no stage', async () => {
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    for (const bad of ['#s=v1.AAAA', '#s=v1.%3Cscript%3E', '#s=v9.abc']) {
      await page.goto(`${h.site.url}/embed/${bad}`);
      const expected = await decodeLink(bad);
      if (expected.ok) throw new Error(`${bad} should not decode`);
      await page.getByText(`This link could not be opened. ${expected.error}`).waitFor();
      expect(await page.locator('[data-embed-stage]').isHidden()).toBe(true);
      expect(await page.getByRole('link', { name: /Open in the simulator/ }).getAttribute('href')).toBe('/simulator/');
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const size of [
    { width: 1366, height: 768 },
    { width: 720, height: 480 },
    { width: 390, height: 844 },
  ]) {
    it(`fits ${size.width}×${size.height}: controls in view, nothing sticking out, diagram text 11 px or more`, async () => {
      const context = await h.browser.newContext({ viewport: size });
      const page = await context.newPage();
      await page.goto(`${h.site.url}/embed/#${await encodeLink(LIBVIRT, { step: 5 })}`);
      await page.locator('[data-embed-stage]:not([hidden])').waitFor();
      const forward = button(page, 'Step forward');
      const box = (await forward.boundingBox())!;
      expect(box.y + box.height, 'the controls are in view without scrolling').toBeLessThanOrEqual(size.height);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      const smallest = await page.evaluate(() =>
        [document.querySelector('[data-stage-view="picture"] svg'), document.querySelector('.nsl-stage-mode:not([hidden]) svg')].map((svg) => {
          const s = svg as SVGSVGElement;
          const scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
          const sizes = [...s.querySelectorAll('text')].filter((t) => t.textContent?.trim()).map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
          return Math.min(...sizes);
        }),
      );
      for (const px of smallest) expect(px).toBeGreaterThanOrEqual(11);
      await context.close();
    });
  }
});
