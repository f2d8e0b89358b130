/**
 * Readability of the built site in Chromium (issue #9): no page is wider
 * than a 390 px phone, nothing sticks out of it; long identifiers wrap after
 * an underscore; the sequence diagram keeps its text at 11 px or more and its
 * lifeline headings in view while its rows scroll; the pages changed for
 * this stay clean for axe-core.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { htmlPages } from '../../scripts/site-size.ts';
import { identifierParts } from '../../src/components/data/break-points.ts';
import { DIST } from '../support/site.ts';
import { axeViolations, startHarness, stopHarness, type Harness } from './helpers.ts';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));

async function phonePage(size = PHONE, colorScheme: 'light' | 'dark' = 'light'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext({ viewport: size, colorScheme });
  return { context, page: await context.newPage() };
}

/** Loads `path`; on a page with a simulator or a player in view, waits until it has been drawn in the browser. */
async function visit(page: Page, path: string): Promise<void> {
  await page.goto(h.site.url + path, { waitUntil: 'load' });
  if (await page.locator('nsl-simulator').count()) await page.locator('nsl-player.nsl-live').first().waitFor({ timeout: 20_000 });
}

/**
 * Everything on the page that lies (partly) outside the viewport horizontally
 * without a scrolling or clipping box around it that is itself inside the
 * viewport: elements (the outermost of a group), and text running out of its
 * element; plus the document's own width when it exceeds the viewport.
 */
function offenders(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const out: string[] = [];
    const doc = document.documentElement.scrollWidth;
    if (doc > width) out.push(`document is ${doc} px wide`);
    const inside = (r: DOMRect) => r.left >= -0.5 && r.right <= width + 0.5;
    // Clipped by some box (a scroller, an SVG viewport, a visually hidden label) that is itself within the viewport.
    const clippedInView = (el: Element, self = false) => {
      for (let a: Element | null = self ? el : el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible' && inside(a.getBoundingClientRect())) return true;
      }
      return false;
    };
    const sticksOut = (el: Element) => {
      const r = el.getBoundingClientRect();
      return !(r.width === 0 && r.height === 0) && !inside(r) && !clippedInView(el);
    };
    const name = (el: Element) =>
      el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + [...el.classList].filter((c) => !c.startsWith('astro-')).map((c) => `.${c}`).join('');
    const snippet = (t: string | null) => (t ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    for (const el of document.body.querySelectorAll('*')) {
      if (!sticksOut(el)) continue;
      // Report the outermost element that sticks out, not all its descendants.
      const parent = el.parentElement;
      if (parent && parent !== document.body && sticksOut(parent)) continue;
      const r = el.getBoundingClientRect();
      out.push(`${name(el)} spans x ${Math.round(r.left)}..${Math.round(r.right)} ("${snippet(el.textContent)}")`);
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || !n.textContent?.trim() || parent.closest('script, style, template')) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      if ((r.width === 0 && r.height === 0) || inside(r) || sticksOut(parent) || clippedInView(parent, true)) continue;
      out.push(`text of ${name(parent)} spans x ${Math.round(r.left)}..${Math.round(r.right)} ("${snippet(n.textContent)}")`);
    }
    return out;
  });
}

describe('on a 390 px wide phone', () => {
  it('no page of the built site is wider than the screen, and nothing on it sticks out', async () => {
    const pages = htmlPages(DIST);
    expect(pages.length).toBeGreaterThan(80);
    const { context, page } = await phonePage();
    const found: string[] = [];
    for (const path of pages) {
      await visit(page, path);
      for (const o of await offenders(page)) found.push(`${path}: ${o}`);
    }
    await context.close();
    expect(found).toEqual([]);
  }, 300_000);

  it('notices a page that is too wide (the check itself)', async () => {
    const { context, page } = await phonePage();
    await visit(page, '/guides/events/');
    await page.evaluate(() => {
      const wide = document.createElement('pre');
      wide.textContent = 'x'.repeat(200);
      wide.style.whiteSpace = 'pre';
      wide.style.overflow = 'visible';
      document.querySelector('main .sl-markdown-content')!.append(wide);
    });
    const found = await offenders(page);
    await context.close();
    expect(found.some((o) => o.startsWith('document is'))).toBe(true);
    expect(found.some((o) => o.startsWith('text of pre spans'))).toBe(true);
  });
});

/** The text of each line `el`'s text is laid out on. */
function renderedLines(page: Page, selector: string, text: string): Promise<string[]> {
  return page.evaluate(
    ({ selector, text }) => {
      const el = [...document.querySelectorAll(selector)].find((e) => (e.textContent ?? '').replace(/\u200b/g, '') === text);
      if (!el) throw new Error(`no ${selector} reading ${text}`);
      const lines: { top: number; text: string }[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (let i = 0; i < n.textContent!.length; i++) {
          const range = document.createRange();
          range.setStart(n, i);
          range.setEnd(n, i + 1);
          const rect = range.getClientRects()[0];
          const ch = n.textContent![i]!;
          if (!rect || ch === '\u200b') continue;
          const last = lines.at(-1);
          if (last && Math.abs(last.top - rect.top) < 2) last.text += ch;
          else lines.push({ top: rect.top, text: ch });
        }
      }
      return lines.map((l) => l.text);
    },
    { selector, text },
  );
}

describe('long identifiers', () => {
  it('wrap after an underscore in the sidebar (1366 px) and in the page title (390 px)', async () => {
    const { context, page } = await phonePage(LAPTOP);
    await visit(page, '/reference/events/NETDEV_STREAM_DISCONNECTED/');
    const label = await renderedLines(page, '#starlight__sidebar a span', 'NETDEV_STREAM_DISCONNECTED');
    expect(label.length).toBeGreaterThan(1);
    expect(label.slice(0, -1).every((l) => l.endsWith('_')), label.join(' / ')).toBe(true);
    await page.setViewportSize(PHONE);
    const title = await renderedLines(page, 'h1', 'NETDEV_STREAM_DISCONNECTED');
    expect(title.length).toBeGreaterThan(1);
    expect(title.slice(0, -1).every((l) => l.endsWith('_')), title.join(' / ')).toBe(true);
    await context.close();
  });

  it('wrap between CamelCase words in the page title (390 px)', async () => {
    const { context, page } = await phonePage();
    await visit(page, '/reference/types/InetSocketAddressBase/');
    const title = await renderedLines(page, 'h1', 'InetSocketAddressBase');
    expect(title.length).toBeGreaterThan(1);
    const words = identifierParts('InetSocketAddressBase');
    // Each line is whole words: its end is a word's end.
    let at = 0;
    for (const line of title) {
      at += line.length;
      expect(words.some((_, i) => words.slice(0, i + 1).join('').length === at), title.join(' / ')).toBe(true);
    }
    await context.close();
  });

  it("a command's signature wraps between its arguments inside its box on a phone", async () => {
    const { context, page } = await phonePage();
    await visit(page, '/reference/commands/human-monitor-command/');
    const lines = await renderedLines(page, '.nsl-signature', 'human-monitor-command(command-line: str, cpu-index?: int) -> str');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toBe('human-monitor-command(');
    const box = await page.locator('.nsl-signature').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.scroll).toBeLessThanOrEqual(box.client);
    await context.close();
  });
});

describe('the sequence diagram', () => {
  for (const size of [LAPTOP, PHONE]) {
    it(`keeps every label at 11 px or more, whole and inside the diagram, headings in view while it scrolls (${size.width} px)`, async () => {
      const { context, page } = await phonePage(size);
      await visit(page, '/simulator/libvirt-restarts-passt/');
      await page.keyboard.press('e'); // to the end: the most messages
      const seq = page.locator('[data-view="sequence"]');
      await seq.scrollIntoViewIfNeeded();
      const m = await seq.evaluate((box) => {
        const texts = [...box.querySelectorAll<SVGTextElement>('.nsl-seq text')];
        const sizes = texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 0));
        const diagram = box.querySelector('.nsl-seq')!.getBoundingClientRect();
        const outside = texts
          .filter((t) => {
            const r = t.getBoundingClientRect();
            return r.left < diagram.left - 0.5 || r.right > diagram.right + 0.5;
          })
          .map((t) => t.textContent);
        const cut = texts.filter((t) => t.textContent.endsWith('…')).map((t) => t.textContent);
        const boxRect = box.getBoundingClientRect();
        const headings = [...box.querySelectorAll('.nsl-s-lane text')].map((t) => {
          const r = t.getBoundingClientRect();
          return { name: t.textContent, visible: r.top >= boxRect.top - 0.5 && r.bottom <= boxRect.bottom + 0.5 };
        });
        return {
          count: texts.length,
          smallest: Math.min(...sizes),
          outside,
          cut,
          scrolledDown: box.scrollTop,
          rowsTaller: box.scrollHeight > box.clientHeight,
          headings,
        };
      });
      expect(m.count).toBeGreaterThan(20);
      expect(m.smallest).toBeGreaterThanOrEqual(11);
      expect(m.outside).toEqual([]);
      expect(m.cut).toEqual([]);
      // The player keeps the newest row in view: scrolled down, yet every lifeline heading still shows.
      expect(m.rowsTaller).toBe(true);
      expect(m.scrolledDown).toBeGreaterThan(0);
      expect(m.headings.map((x) => x.name)).toEqual(['QMP client', 'QEMU', 'peer passt']);
      expect(m.headings.filter((x) => !x.visible)).toEqual([]);
      // It scrolls sideways inside its own box, which stays within its panel.
      const fit = await seq.evaluate((box) => {
        const panel = box.closest('section')!.getBoundingClientRect();
        const r = box.getBoundingClientRect();
        return { within: r.left >= panel.left && r.right <= panel.right, scrolls: box.scrollWidth > box.clientWidth };
      });
      expect(fit.within).toBe(true);
      if (size === PHONE) expect(fit.scrolls).toBe(true);
      await context.close();
    }, 60_000);
  }
});

describe('accessibility of the pages changed for readability (axe-core)', () => {
  const PAGES = ['/', '/404.html', '/guides/server-and-client/', '/reference/events/NETDEV_STREAM_CONNECTED/', '/reference/commands/human-monitor-command/', '/reference/types/InetSocketAddress/'];
  for (const [size, scheme] of [
    [LAPTOP, 'light'],
    [LAPTOP, 'dark'],
    [PHONE, 'light'],
  ] as const) {
    it(`finds nothing at ${size.width} px in the ${scheme} theme`, async () => {
      const { context, page } = await phonePage(size, scheme);
      const found: string[] = [];
      for (const path of PAGES) {
        await visit(page, path);
        const v = await axeViolations(page);
        found.push(...v.map((x) => `${path}: ${x}`));
      }
      await context.close();
      expect(found).toEqual([]);
    }, 120_000);
  }
});
