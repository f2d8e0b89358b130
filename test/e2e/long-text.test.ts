/**
 * Long text on the first screen of a 390×844 phone, in Chromium on the
 * built site: every position of every guided scenario (stepped through,
 * not picked by hand) and a refused share link keep the picture, the
 * state machine, the caption, the controls and the timeline in view; the
 * caption wraps inside its box and holds a bounded height, and its whole
 * text is one "More" away (so is a refused link's message).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { toBase64url } from '../../src/share/base64url.ts';
import { deflateRaw } from '../../src/share/deflate.ts';
import { decodeLink } from '../../src/share/link.ts';
import { ROOT } from '../support/site.ts';
import { button, startHarness, stopHarness, until, type Harness } from './helpers.ts';

const PHONE = { width: 390, height: 844 };
const GUIDED = readdirSync(join(ROOT, 'content/scenarios'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));

async function phonePage(path: string): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await h.browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(h.site.url + path);
  await page.locator('nsl-player.nsl-live').first().waitFor();
  return { page, errors, close: () => context.close() };
}

interface Screen {
  status: string;
  /** What is outside the viewport, by name (empty when everything is in view). */
  outside: string[];
  /** The caption box: its height on screen, the height its content needs, its text. */
  caption: { height: number; full: number; text: string };
}

/** Where the first screen's parts are, measured in one go. */
function firstScreen(page: Page): Promise<Screen> {
  return page.evaluate(() => {
    const parts: [string, Element | null][] = [
      ['picture', document.querySelector('.nsl-stage-picture')],
      ['state machine', document.querySelector('.nsl-stage-mode:not([hidden]) svg')],
      ['caption', document.querySelector('.nsl-stage-caption')],
      ['controls', document.querySelector('[data-controls]')],
      ['timeline', document.querySelector('[role="slider"]')?.closest('.nsl-tl-track') ?? null],
    ];
    const outside: string[] = [];
    for (const [name, el] of parts) {
      const r = el?.getBoundingClientRect();
      if (!r || r.height < 10 || r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) outside.push(`${name} ${r ? `${Math.round(r.top)}..${Math.round(r.bottom)}` : 'missing'}`);
    }
    const box = document.querySelector<HTMLElement>('[data-cap-box]')!;
    return {
      status: document.querySelector('[data-status]')!.textContent.trim(),
      outside,
      caption: { height: box.getBoundingClientRect().height, full: box.scrollHeight, text: box.textContent.replace(/\s+/g, ' ').trim() },
    };
  });
}

/** The caption or message's toggle unfolds the whole text, and folds it again. */
async function unfolds(box: Locator, toggle: Locator, what: string): Promise<void> {
  expect(await toggle.isVisible(), `${what}: More is offered`).toBe(true);
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  const folded = await box.evaluate((el) => ({ h: el.clientHeight, full: el.scrollHeight }));
  expect(folded.full, `${what}: more text than the box shows`).toBeGreaterThan(folded.h + 1);
  await toggle.click();
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  expect(await toggle.locator('[data-clamp-word]').textContent()).toBe('Less');
  const open = await box.evaluate((el) => ({ h: el.clientHeight, full: el.scrollHeight, right: el.getBoundingClientRect().right }));
  expect(open.full, `${what}: unfolded, the box shows all its text`).toBeLessThanOrEqual(open.h + 1);
  expect(open.right, `${what}: and wraps it within the screen's width`).toBeLessThanOrEqual(PHONE.width);
  await toggle.click();
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  expect(await box.evaluate((el) => el.clientHeight)).toBe(folded.h);
}

describe('on a 390×844 phone', () => {
  it('every position of every guided scenario keeps picture, state machine, caption, controls and timeline in view; the longest captions unfold', async () => {
    expect(GUIDED.length).toBeGreaterThan(10);
    const seen: { slug: string; k: number; caption: Screen['caption'] }[] = [];
    const failures: string[] = [];
    for (const slug of GUIDED) {
      const { page, errors, close } = await phonePage(`/simulator/${slug}/`);
      try {
        const last = Number(await page.getByRole('slider', { name: 'Simulated time' }).getAttribute('aria-valuemax'));
        for (let k = 0; k <= last; k++) {
          if (k > 0) {
            await page.keyboard.press('l');
            await until(async () => (await page.locator('[data-status]').first().innerText()).startsWith(`Step ${k} of`), `${slug} step ${k}`);
          }
          const s = await firstScreen(page);
          if (s.outside.length) failures.push(`${slug} at ${s.status}: ${s.outside.join(', ')} outside the screen`);
          if (await page.evaluate(() => document.documentElement.scrollWidth > innerWidth)) failures.push(`${slug} at ${s.status}: the page is wider than the screen`);
          seen.push({ slug, k, caption: s.caption });
        }
        expect(errors, slug).toEqual([]);
      } finally {
        await close();
      }
    }
    expect(failures).toEqual([]);
    // Every caption holds the same height, however long its text.
    expect(new Set(seen.map((s) => Math.round(s.caption.height))).size).toBe(1);
    // The three longest unfold to their whole text.
    const longest = seen.sort((a, b) => b.caption.full - a.caption.full).slice(0, 3);
    expect(longest[0]!.caption.full, 'the longest caption needs more than its box').toBeGreaterThan(longest[0]!.caption.height * 1.5);
    for (const { slug, k, caption } of longest) {
      const { page, close } = await phonePage(`/simulator/${slug}/`);
      try {
        for (let i = 0; i < k; i++) await button(page, 'Step forward').click();
        const box = page.locator('[data-cap-box]');
        const toggle = page.locator('[data-cap-toggle]');
        expect((await box.textContent())!.replace(/\s+/g, ' ').trim()).toBe(caption.text);
        expect(await page.getByRole('button', { name: 'More of the caption' }).count()).toBe(1);
        await unfolds(box, toggle, `${slug} at position ${k}`);
        // The next step folds it again.
        await toggle.click();
        expect(await toggle.getAttribute('aria-expanded')).toBe('true');
        await page.keyboard.press(k > 0 ? 'j' : 'l');
        await until(async () => (await toggle.getAttribute('aria-expanded')) === 'false', 'the caption folded after a step');
      } finally {
        await close();
      }
    }
  });

  it('a refused share link keeps the first screen too, and its whole message is one More away', async () => {
    // A well-formed v1 record whose scenario has many problems: the longest message a link gets.
    const steps = Array.from({ length: 10 }, (_, i) => ({ peer: '', connect: { type: 'unix', path: `/tmp/sim/missing-${i}.sock` } }));
    const record = [0, '11.1', null, 'A scenario someone broke', null, [], steps];
    const link = `s=v1.${toBase64url(await deflateRaw(new TextEncoder().encode(JSON.stringify(record))))}`;
    const expected = await decodeLink(link);
    if (expected.ok) throw new Error('the link should be refused');
    const { page, errors, close } = await phonePage(`/simulator/#${link}`);
    try {
      const alerts = page.locator('[data-alerts]');
      await until(async () => (await alerts.innerText()).includes(expected.error), "the codec's message");
      expect((expected.issues ?? []).length).toBeGreaterThan(3);
      const s = await firstScreen(page);
      expect(s.outside).toEqual([]);
      expect((await alerts.boundingBox())!.height, 'the message takes at most about three lines').toBeLessThan(70);
      expect(await page.getByRole('button', { name: 'More of the message' }).count()).toBe(1);
      const toggle = page.locator('[data-alerts-toggle]');
      await unfolds(alerts, toggle, 'the refused link');
      // Unfolded, everything the codec said is there to read.
      await toggle.click();
      for (const issue of (expected.issues ?? []).slice(0, 8)) expect(await alerts.innerText()).toContain(issue.message);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
