/**
 * The simulator's stage in Chromium on the built site, at the two sizes
 * every page is looked at (a 1366×768 laptop, a 390×844 phone): the
 * network picture, the state machine, the caption and the controls are on
 * the first screen of /simulator/, of a guided scenario page and of a
 * share link; stepping changes the picture and the caption; the controls
 * stay in view while the panels scroll; diagram text is at least 11 px;
 * frames travel unless the reader prefers reduced motion; axe-core finds
 * nothing on a phone either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { encodeLink } from '../../src/share/link.ts';
import { axeViolations as violations, button, guidedScenario as scenario, startHarness, status, stopHarness, transcript, until, type Harness } from './helpers.ts';

const SIZES = [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
] as const;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => stopHarness(h));

async function openAt(path: string, viewport: { width: number; height: number }, options: BrowserContextOptions = {}): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await h.browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(h.site.url + path);
  if (options.javaScriptEnabled !== false) await page.locator('nsl-player.nsl-live').first().waitFor();
  return { page, errors, close: () => context.close() };
}

/** The stage's parts, found the way a reader's tools find them. */
const stage = (page: Page) => ({
  picture: page.getByRole('group', { name: /^Network (at the start|after step \d+): / }),
  machine: page.getByRole('img', { name: /^The (server|client) states of the stream netdev backend's machine/ }),
  caption: page.locator('.nsl-stage-caption'),
  /** The caption's words (the box may fold a long one behind "More"). */
  words: page.locator('.nsl-stage-caption [data-cap-box]'),
  controls: page.getByRole('group', { name: 'Player controls' }),
  timeline: page.getByRole('slider', { name: 'Simulated time' }),
});

async function expectInViewport(page: Page, what: string, locator: Locator): Promise<void> {
  const vp = page.viewportSize()!;
  const box = await locator.boundingBox();
  expect(box, `${what} is rendered`).not.toBeNull();
  const b = box!;
  expect(b.height, `${what} has a height`).toBeGreaterThan(10);
  expect(b.y, `${what} starts below the top of the viewport`).toBeGreaterThanOrEqual(0);
  expect(b.x, `${what} starts inside the viewport`).toBeGreaterThanOrEqual(0);
  expect(b.y + b.height, `${what} ends above the bottom of the ${vp.width}×${vp.height} viewport`).toBeLessThanOrEqual(vp.height);
  expect(b.x + b.width, `${what} ends inside the ${vp.width}-pixel width`).toBeLessThanOrEqual(vp.width);
}

describe('the first screen', () => {
  const backlog = scenario('second-client-waits-in-backlog');
  const pages: [string, () => Promise<string>, string][] = [
    ['the simulator', async () => '/simulator/', 'A server netdev accepts a client, which hangs up'],
    ['a guided scenario page', async () => '/simulator/second-client-waits-in-backlog/', backlog.title!],
    ['a share link', async () => `/simulator/#${await encodeLink(scenario('libvirt-restarts-passt'), { release: '10.0', step: 4 })}`, 'libvirt restarts passt after NETDEV_STREAM_DISCONNECTED'],
  ];
  for (const size of SIZES) {
    for (const [name, path, title] of pages) {
      it(`of ${name} at ${size.width}×${size.height} shows the picture, the state machine, the caption and the controls without scrolling`, async () => {
        const { page, errors, close } = await openAt(await path(), size);
        try {
          if (name === 'a share link') await until(async () => (await page.locator('[data-alerts]').innerText()).startsWith('Opened a shared scenario'), 'the link opened');
          await page.getByRole('heading', { level: 2, name: title }).waitFor({ state: 'attached' });
          expect(await page.evaluate(() => window.scrollY)).toBe(0);
          const s = stage(page);
          await expectInViewport(page, 'the network picture', s.picture);
          await expectInViewport(page, 'the state machine', s.machine);
          await expectInViewport(page, 'the caption', s.caption);
          await expectInViewport(page, 'the step controls', s.controls);
          await expectInViewport(page, 'the timeline', s.timeline);
          for (const n of ['Restart', 'Step back', 'Play', 'Step forward', 'To end']) await expectInViewport(page, `the ${n} button`, button(s.controls, n));
          if (name === 'a share link') expect(await status(page)).toBe('Step 4 of 8 (1,600 ms)');
          expect(errors).toEqual([]);
        } finally {
          await close();
        }
      });
    }
  }

  it('is drawn completely before any script runs: the netdev, its state lit, the peers to come, the caption', async () => {
    const { page, close } = await openAt('/simulator/second-client-waits-in-backlog/', SIZES[1], { javaScriptEnabled: false });
    try {
      const s = stage(page);
      expect(await s.picture.locator('[data-netdev="n0"]').getAttribute('aria-label')).toBe('netdev n0: server, listening, listens on unix:/tmp/sim/n0.sock');
      // The simulator acts on the picture's things: each is a button that opens a menu, from the first paint.
      const n0 = s.picture.getByRole('button', { name: 'netdev n0: server, listening, listens on unix:/tmp/sim/n0.sock' });
      expect([await n0.getAttribute('aria-haspopup'), await n0.getAttribute('aria-expanded'), await n0.getAttribute('tabindex')]).toEqual(['menu', 'false', '0']);
      expect(await s.picture.getByRole('button', { name: /^peer [ab]: / }).count()).toBe(2);
      expect(await s.picture.locator('[data-peer]').evaluateAll((els) => els.map((e) => e.getAttribute('data-peer')))).toEqual(['a', 'b']);
      expect(await s.machine.locator('[data-state="server.listening"]').getAttribute('class')).toContain('nsl-on');
      expect(await s.words.innerText()).toContain('Start (0 ms)');
      await expectInViewport(page, 'the picture without scripts', s.picture);
      await expectInViewport(page, 'the state machine without scripts', s.machine);
    } finally {
      await close();
    }
  });
});

describe('stepping', () => {
  for (const size of SIZES) {
    it(`with the button and the keyboard changes the picture and the caption (${size.width}×${size.height})`, async () => {
      const { page, errors, close } = await openAt('/simulator/', size);
      try {
        const s = stage(page);
        expect(await s.picture.locator('[data-conn]').count()).toBe(0);
        expect(await s.picture.locator('[data-callout]').count()).toBe(0);
        await button(page, 'Step forward').click();
        await button(page, 'Step forward').click();
        await until(async () => (await s.picture.getAttribute('aria-label'))!.startsWith('Network after step 2:'), 'the picture of step 2');
        // The connection is drawn, the event is a call-out at n0, and the caption says both.
        expect(await s.picture.locator('[data-conn]').getAttribute('aria-label')).toMatch(/^connection #\d+ between peer a and n0: accepted$/);
        const callout = s.picture.locator('[data-callout="n0"]');
        expect(await callout.textContent()).toBe('NETDEV_STREAM_CONNECTED');
        const card = (await s.picture.locator('[data-netdev="n0"]').boundingBox())!;
        const bubble = (await callout.boundingBox())!;
        expect(bubble.y, 'the call-out sits above n0').toBeLessThan(card.y);
        expect(bubble.y + bubble.height, 'the call-out ends where n0 begins (its tip touches the card)').toBeLessThanOrEqual(card.y + card.height * 0.2);
        expect(bubble.x + bubble.width / 2 > card.x && bubble.x < card.x + card.width, 'the call-out points at n0').toBe(true);
        expect(await s.words.innerText()).toBe(
          'Step 2 of 8 (300 ms) peer a connects to unix:/tmp/sim/n0.sock → NETDEV_STREAM_CONNECTED {netdev-id: n0, addr: unix:/tmp/sim/n0.sock}\nn0: listening → connected',
        );
        expect(await s.picture.locator('[data-peer="a"]').getAttribute('aria-label')).toBe('peer a: connected, unix:/tmp/sim/n0.sock');
        expect(await s.machine.locator('[data-state="server.connected"]').getAttribute('class')).toContain('nsl-on');
        expect(await s.machine.locator('[data-edge="server.listening>server.connected"]').getAttribute('class')).toContain('nsl-taken');
        // The keyboard: L to step 3 (the QMP client asks), J back, L twice to the frame.
        await page.locator('body').press('l');
        expect(await s.words.innerText()).toMatch(/^Step 3 of 8 \(450 ms\) QMP client sends human-monitor-command "info network" → QEMU answers, no event\nreturn "n0: index=0,type=stream,unix:/);
        expect(await s.picture.locator('[data-callout]').count()).toBe(0);
        await page.locator('body').press('j');
        expect(await s.picture.locator('[data-callout="n0"]').textContent()).toBe('NETDEV_STREAM_CONNECTED');
        await page.locator('body').press('l');
        await page.locator('body').press('l');
        expect(await s.picture.locator('.nsl-pic-travel').textContent()).toBe('42 B → n0');
        await page.locator('body').press('l');
        expect(await s.words.innerText()).toContain('peer a closes its connection and listener → NETDEV_STREAM_DISCONNECTED {netdev-id: n0}');
        expect(await s.picture.locator('[data-conn]').count()).toBe(0);
        expect(await s.picture.locator('[data-callout="n0"]').textContent()).toBe('NETDEV_STREAM_DISCONNECTED');
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  it('shows the wedged connection, and keeps focus on the element the reader had focused', async () => {
    const { page, close } = await openAt('/simulator/zero-length-frame-wedge/', SIZES[0]);
    try {
      const s = stage(page);
      for (let i = 0; i < 4; i++) await button(page, 'Step forward').click();
      const conn = s.picture.locator('[data-conn]');
      expect(await conn.getAttribute('aria-label')).toMatch(/; wedged: QEMU stopped reading it; broken: peer a closed its end$/);
      expect(await conn.getAttribute('class')).toContain('nsl-pic-wedged');
      expect(await s.words.innerText()).toContain('peer a closes its connection and listener → QEMU says nothing');
      await s.picture.locator('[data-netdev="n0"]').focus();
      await page.keyboard.press('l');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-netdev'))).toBe('n0');
      expect(await status(page)).toMatch(/^Step 5 of 9 /);
    } finally {
      await close();
    }
  });

  it('follows the netdev picked in the picker when a run has several, server or client', async () => {
    const { page, close } = await openAt('/simulator/ipv6-server/', SIZES[0]);
    try {
      const picker = page.getByRole('combobox', { name: 'Netdev whose state is shown' });
      expect(await picker.locator('option').allTextContents()).toEqual(['n0 (server)', 'c0 (client)']);
      const region = page.getByRole('region', { name: 'Backend state', exact: true });
      const summary = region.locator('[data-view="state-summary"]');
      expect(await summary.textContent()).toBe('n0 (server): server.listening');
      await picker.selectOption({ label: 'c0 (client)' });
      // netdev_add creates c0 at step 5; the client half of the machine shows already, nothing lit.
      expect(await summary.textContent()).toBe('c0 (client) does not exist yet.');
      expect(await stage(page).machine.getAttribute('aria-label')).toMatch(/^The client states/);
      expect(await stage(page).machine.locator('.nsl-on').count()).toBe(0);
      // The choice holds while the reader steps.
      await button(page, 'To end').click();
      expect(await summary.textContent()).toBe('c0 (client): client.connected');
      expect(await stage(page).machine.locator('[data-state="client.connected"]').getAttribute('class')).toContain('nsl-on');
    } finally {
      await close();
    }
  });
});

describe('the controls', () => {
  for (const size of SIZES) {
    it(`stay in view after scrolling to the transcript (${size.width}×${size.height})`, async () => {
      const { page, close } = await openAt('/simulator/', size);
      try {
        await transcript(page).scrollIntoViewIfNeeded();
        expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
        await expectInViewport(page, 'the transcript', transcript(page));
        await expectInViewport(page, 'the step controls after scrolling', stage(page).controls);
        await expectInViewport(page, 'the timeline after scrolling', stage(page).timeline);
        // They still work from there.
        await button(page, 'Step forward').click();
        expect(await status(page)).toBe('Step 1 of 8 (150 ms)');
      } finally {
        await close();
      }
    });
  }

  it('play and pause with Space, and the Play button shows one symbol at a time', async () => {
    const { page, close } = await openAt('/simulator/', SIZES[0]);
    try {
      const play = page.locator('[data-act="play"]');
      const shown = () => play.locator('svg').evaluateAll((els) => els.filter((e) => getComputedStyle(e).display !== 'none').map((e) => (e.hasAttribute('data-icon-play') ? 'play' : 'pause')));
      expect(await shown()).toEqual(['play']);
      // Nothing focused: Space plays.
      await page.keyboard.press('Space');
      await button(page, 'Pause').waitFor();
      expect(await shown()).toEqual(['pause']);
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      await page.keyboard.press('Space');
      await button(page, 'Play').waitFor();
      expect(await shown()).toEqual(['play']);
      // On a control, Space plays and pauses too (it does not press Step forward).
      await button(page, 'Step forward').focus();
      await page.keyboard.press('Space');
      await button(page, 'Pause').waitFor();
      await page.keyboard.press('Space');
      await button(page, 'Play').waitFor();
      const afterPause = await status(page);
      await page.waitForTimeout(1300);
      expect(await status(page)).toBe(afterPause);
    } finally {
      await close();
    }
  });

  it('leave the Netdevs table all its columns at 1366 pixels', async () => {
    const { page, close } = await openAt('/simulator/', SIZES[0]);
    try {
      const box = page.getByRole('region', { name: 'Netdevs table, scrollable' });
      const fits = await box.evaluate((el) => el.scrollWidth <= el.clientWidth);
      expect(fits).toBe(true);
      const right = await box.evaluate((el) => el.getBoundingClientRect().right);
      const heads = await box.locator('th[scope="col"]').evaluateAll((els) => els.map((e) => [e.textContent, e.getBoundingClientRect().right] as const));
      expect(heads.map(([t]) => t)).toEqual(['Netdev', 'Mode', 'State', 'Address', 'Link', 'Reconnect', 'Connects / disconnects', 'Frames in']);
      for (const [t, r] of heads) expect(r, `column ${t}`).toBeLessThanOrEqual(right + 0.5);
    } finally {
      await close();
    }
  });
});

describe('diagram text', () => {
  for (const size of SIZES) {
    it(`is at least 11 px tall in the picture, the stage's state machine and the whole machine (${size.width}×${size.height})`, async () => {
      const { page, close } = await openAt('/simulator/second-client-waits-in-backlog/', size);
      try {
        for (let i = 0; i < 5; i++) await button(page, 'Step forward').click();
        const measured = await page.evaluate(() => {
          const out: { where: string; text: string; px: number; box: number }[] = [];
          const svgs = [
            ['picture', document.querySelector('[data-stage-view="picture"] svg')],
            ['stage machine', [...document.querySelectorAll('.nsl-stage-mode:not([hidden]) svg')][0]],
            ['whole machine', document.querySelector('[data-view="diagram"] svg')],
          ] as const;
          for (const [where, svg] of svgs) {
            if (!(svg instanceof SVGSVGElement)) throw new Error(`no ${where}`);
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            for (const t of svg.querySelectorAll('text')) {
              const style = getComputedStyle(t);
              if (!t.textContent?.trim() || style.visibility === 'hidden' || style.display === 'none') continue;
              if (t.closest('[style*="display: none"], [hidden]')) continue;
              out.push({ where, text: t.textContent, px: parseFloat(style.fontSize) * scale, box: t.getBoundingClientRect().height });
            }
          }
          return out;
        });
        for (const where of ['picture', 'stage machine', 'whole machine']) expect(measured.filter((m) => m.where === where).length, where).toBeGreaterThan(5);
        for (const m of measured) {
          expect(m.px, `${m.where}: "${m.text}" font size`).toBeGreaterThanOrEqual(11);
          expect(m.box, `${m.where}: "${m.text}" box height`).toBeGreaterThanOrEqual(11);
        }
      } finally {
        await close();
      }
    });
  }
});

describe("the stage's state machine", () => {
  /** The labels shown and everything drawn in the diagram shown, as boxes on screen. */
  function shownLabels(page: Page) {
    return page.evaluate(() => {
      const svg = document.querySelector('.nsl-stage-mode:not([hidden]) svg')!;
      const box = (el: Element) => {
        const r = el.getBoundingClientRect();
        return { x0: r.left, x1: r.right, y0: r.top, y1: r.bottom };
      };
      const labels = [...svg.querySelectorAll('.nsl-d-label')]
        .filter((t) => getComputedStyle(t).visibility === 'visible' && t.textContent.trim())
        .map((t) => ({ text: t.textContent, edge: t.closest<SVGElement>('[data-edge]')!.dataset.edge!, taken: t.closest('.nsl-taken') !== null, ...box(t) }));
      const ink = [...svg.querySelectorAll('.nsl-d-edge path, .nsl-d-edge polygon, .nsl-d-state > rect, .nsl-d-initial *')].map((el) => ({
        what: `${el.tagName} of ${el.closest<SVGElement>('[data-edge], [data-state]')?.dataset.edge ?? el.closest<SVGElement>('[data-state]')?.dataset.state ?? 'initial'}`,
        ...box(el),
      }));
      return { labels, ink, svg: box(svg) };
    });
  }
  const meets = (a: { x0: number; x1: number; y0: number; y1: number }, b: typeof a) => a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5;

  for (const size of SIZES) {
    it(`labels cover no line and no other label at any step, and the transitions just taken are labelled (${size.width}×${size.height})`, async () => {
      for (const path of ['/simulator/libvirt-restarts-passt/', '/simulator/second-client-waits-in-backlog/', '/simulator/reconnect-across-releases/']) {
        const { page, close } = await openAt(path, size);
        try {
          const last = Number(await stage(page).timeline.getAttribute('aria-valuemax'));
          for (let k = 0; k <= last; k++) {
            if (k > 0) await page.keyboard.press('l');
            const { labels, ink, svg } = await shownLabels(page);
            const at = `${path} at ${await status(page)}`;
            for (const l of labels) {
              expect(l.x1, `${at}: "${l.text}" inside the diagram`).toBeLessThanOrEqual(svg.x1 + 0.5);
              for (const line of ink) expect(meets(l, line), `${at}: "${l.text}" covers the ${line.what}`).toBe(false);
              for (const o of labels) if (o !== l) expect(meets(l, o), `${at}: "${l.text}" and "${o.text}"`).toBe(false);
            }
            // Every transition marked as taken has its label shown.
            const marked = await page.locator('.nsl-stage-mode:not([hidden]) .nsl-d-edge.nsl-taken').evaluateAll((els) => els.map((e) => (e as SVGElement).dataset.edge));
            expect(labels.filter((l) => l.taken).map((l) => l.edge).sort(), at).toEqual(marked.sort());
          }
        } finally {
          await close();
        }
      }
    });
  }

  it('labels the way a step took, even through a state in between: waiting, reconnect.due, connecting, connect.succeeded, connected', async () => {
    const { page, close } = await openAt('/simulator/libvirt-restarts-passt/', SIZES[1]);
    try {
      for (let i = 0; i < 7; i++) await button(page, 'Step forward').click();
      expect(await status(page)).toMatch(/^Step 7 of 8/);
      expect(await page.locator('[data-view="state-summary"]').textContent()).toBe('hostnet0 (client): client.connected');
      const { labels } = await shownLabels(page);
      expect(labels.filter((l) => l.taken).map((l) => `${l.edge}: ${l.text}`).sort()).toEqual([
        'client.connecting>client.connected: connect.succeeded',
        'client.waiting>client.connecting: reconnect.due',
      ]);
      // And what can happen next, each on the row of the state it leads to.
      expect(labels.filter((l) => !l.taken).map((l) => l.text).sort()).toEqual(['connection.ended[else]', 'connection.ended[reconnectIsEnabled]', 'netdev.delete (from any state)', 'read.stalled']);
      const row = async (state: string) => (await page.locator(`.nsl-stage-mode:not([hidden]) [data-state="${state}"] rect`).first().boundingBox())!;
      for (const [text, state] of [['reconnect.due', 'client.connecting'], ['connect.succeeded', 'client.connected'], ['read.stalled', 'client.stalled']] as const) {
        const l = labels.find((x) => x.text === text)!;
        const r = await row(state);
        expect(Math.abs((l.y0 + l.y1) / 2 - (r.y + r.height / 2)), `${text} beside ${state}`).toBeLessThan(4);
        expect(l.x0).toBeGreaterThan(r.x + r.width);
      }
    } finally {
      await close();
    }
    // The same on an embed opened at step 7: the marks say what the step did, not where the reader came from.
    const embed = await openAt(`/embed/#${await encodeLink(scenario('libvirt-restarts-passt'), { step: 7 })}`, SIZES[0]);
    try {
      await until(async () => (await status(embed.page)).startsWith('Step 7 of 8'), 'the embed at step 7');
      expect((await shownLabels(embed.page)).labels.filter((l) => l.taken).map((l) => l.text).sort()).toEqual(['connect.succeeded', 'reconnect.due']);
    } finally {
      await embed.close();
    }
  });
});

describe('a frame on its way', () => {
  async function chipTravel(reducedMotion: 'reduce' | 'no-preference'): Promise<number> {
    const { page, close } = await openAt('/simulator/', SIZES[0], { reducedMotion });
    try {
      for (let i = 0; i < 3; i++) await button(page, 'Step forward').click();
      await button(page, 'Step forward').click();
      const chip = page.locator('.nsl-pic-travel rect');
      const first = (await chip.boundingBox())!;
      await page.waitForTimeout(1200);
      const rest = (await chip.boundingBox())!;
      return Math.hypot(rest.x - first.x, rest.y - first.y);
    } finally {
      await close();
    }
  }

  it('travels along its connection when the reader steps forward', async () => {
    expect(await chipTravel('no-preference')).toBeGreaterThan(20);
  });

  it('is drawn where it arrived, without motion, when the reader prefers reduced motion', async () => {
    expect(await chipTravel('reduce')).toBe(0);
  });
});

describe('accessibility (axe-core) on a phone', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`finds nothing on the stage in the ${scheme} theme, stepped to a wedged connection, and with the scenario drawer open`, async () => {
      const { page, close } = await openAt('/simulator/zero-length-frame-wedge/', SIZES[1], { colorScheme: scheme });
      try {
        await page.evaluate((t) => localStorage.setItem('starlight-theme', t), scheme);
        await page.reload();
        await page.locator('nsl-player.nsl-live').waitFor();
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
        expect(await violations(page)).toEqual([]);
        for (let i = 0; i < 4; i++) await button(page, 'Step forward').click();
        expect(await violations(page)).toEqual([]);
        await page.getByRole('button', { name: 'About this scenario' }).click();
        const library = page.getByRole('navigation', { name: 'Guided scenarios' });
        await library.getByRole('link').first().waitFor();
        expect(await violations(page)).toEqual([]);
        await page.locator('#nsl-about').getByRole('button', { name: 'Close' }).click();
        await library.waitFor({ state: 'hidden' });
      } finally {
        await close();
      }
    });
  }
});
