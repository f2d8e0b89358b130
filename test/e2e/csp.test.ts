/**
 * The site under its Content-Security-Policy in Chromium: with a
 * `securitypolicyviolation` listener in every frame and Chromium's console
 * watched, the reader steps the simulator, opens the JSON editor (Monaco and
 * its workers) and edits, searches (Pagefind and its WebAssembly), opens a
 * share link, and uses the embed, guided and edited (the engine worker),
 * inside a frame on another origin. Nothing is refused. A script the policy
 * does not allow is refused and reported, so the listener is known to hear.
 * Served with the headers README recommends, another site can frame the
 * embed and no other page.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeLink } from '../../src/share/link.ts';
import { DIST, serveTempDirectory, type ServedSite } from '../support/site.ts';
import { button, editorBox, guidedScenario, openEditor, startHarness, status, stopHarness, until, type Harness } from './helpers.ts';

const LIBVIRT = guidedScenario('libvirt-restarts-passt');

let h: Harness;
let host: ServedSite & { dir: string };
beforeAll(async () => {
  h = await startHarness();
  host = await serveTempDirectory('nsl-csp-host-');
});
afterAll(async () => {
  await host?.close();
  await stopHarness(h);
});

interface Watched {
  context: BrowserContext;
  page: Page;
  /** Every violation any frame reported, and Chromium's console lines about the policy. */
  violations: () => Promise<string[]>;
}

/** A page whose every frame records securitypolicyviolation events. */
async function watched(): Promise<Watched> {
  const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.site.url });
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
  });
  const page = await context.newPage();
  const console: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) console.push(m.text());
  });
  page.on('pageerror', (e) => {
    if (/EvalError|Content Security Policy/i.test(e.message)) console.push(e.message);
  });
  const violations = async () => {
    const out = [...console];
    for (const frame of page.frames()) {
      try {
        out.push(...(await frame.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [])));
      } catch {
        // A frame that went away has nothing more to say.
      }
    }
    return out;
  };
  return { context, page, violations };
}

describe('under the Content-Security-Policy', () => {
  it('the simulator steps, edits in Monaco, searches and opens a share link with nothing refused', async () => {
    const { context, page, violations } = await watched();
    await page.goto(`${h.site.url}/simulator/`);
    await page.locator('nsl-player.nsl-live').first().waitFor();
    expect(await page.locator('meta[http-equiv="content-security-policy"]').count()).toBe(1);

    for (let i = 0; i < 3; i++) await button(page, 'Step forward').first().click();
    await until(async () => (await status(page)).startsWith('Step 3 of'), 'step 3');

    await openEditor(page);
    await editorBox(page).focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('x');
    await page.getByText(/^The text is not valid JSON/).waitFor();
    // The JSON worker's diagnostics reach the page: Monaco's workers run.
    await until(async () => (await page.locator('.monaco-editor .squiggly-error').count()) > 0, "Monaco's JSON diagnostics");
    await page.keyboard.press('Backspace');
    await page.getByText(/Applied|Edits apply/).first().waitFor();

    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const search = page.getByRole('dialog', { name: 'Search' }).getByRole('search').getByRole('textbox');
    await search.waitFor();
    await search.fill('reconnect-ms');
    await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');

    await page.goto(`${h.site.url}/simulator/#${await encodeLink(LIBVIRT, { step: 4 })}`);
    await until(async () => (await status(page)).startsWith('Step 4 of 8'), 'the shared link on step 4');

    expect(await violations()).toEqual([]);
    await context.close();
  });

  it('the embed, in a frame on another origin, guided and edited, steps with nothing refused', async () => {
    const { context, page, violations } = await watched();
    const guided = `${h.site.url}/embed/#${await encodeLink(LIBVIRT, { step: 2 })}`;
    const edited = `${h.site.url}/embed/?theme=light#${await encodeLink({ ...LIBVIRT, title: 'Edited', steps: LIBVIRT.steps.slice(0, 3) }, { step: 1, release: '8.2' })}`;
    writeFileSync(
      join(host.dir, 'csp.html'),
      `<!doctype html><html lang="en"><head><title>Host</title></head><body><main><iframe src="${guided}" title="a" width="720" height="520"></iframe><iframe src="${edited}" title="b" width="720" height="520"></iframe></main></body></html>`,
    );
    await page.goto(`${host.url}csp.html`);
    for (const [url, first] of [
      [guided, 'Step 2 of 8'],
      [edited, 'Step 1 of 3'],
    ] as const) {
      const frame = await until(() => page.frames().find((f) => f.url() === url), 'the frame');
      await frame!.locator('[data-embed-stage]:not([hidden])').waitFor();
      expect(await status(frame!.locator('body'))).toMatch(new RegExp(`^${first} `));
      await button(frame!.locator('body'), 'Step forward').click();
      await until(async () => !(await status(frame!.locator('body'))).startsWith(first), 'a step in the frame');
    }
    expect(await violations()).toEqual([]);
    await context.close();
  });

  it('refuses a script it does not allow, and the listener hears it', async () => {
    const { context, page, violations } = await watched();
    await page.goto(`${h.site.url}/embed/`);
    await page.locator('nsl-player.nsl-live').waitFor();
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.injected = true;';
      document.body.append(s);
    });
    await until(async () => (await violations()).length > 0, 'a reported violation');
    expect(await page.evaluate(() => 'injected' in window)).toBe(false);
    expect((await violations()).some((v) => v.startsWith('script-src-elem inline'))).toBe(true);
    await context.close();
  });

  it('with README’s response headers, lets other sites frame the embed and no other page', async () => {
    // A static host with README's headers (the nginx example's), serving the built site.
    const server: Server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      let file = join(DIST, path);
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!file.startsWith(DIST) || !existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, {
        'content-type': file.endsWith('.html') ? 'text/html; charset=utf-8' : file.endsWith('.js') ? 'text/javascript' : file.endsWith('.json') ? 'application/json' : 'text/css',
        'content-security-policy': path.startsWith('/embed/') ? 'frame-ancestors *' : "frame-ancestors 'self'",
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'strict-origin-when-cross-origin',
      });
      res.end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const site = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const embed = `${site}/embed/#${await encodeLink(LIBVIRT, { step: 1 })}`;
      writeFileSync(join(host.dir, 'frames.html'), `<!doctype html><html lang="en"><head><title>Host</title></head><body><iframe src="${embed}" title="embed"></iframe><iframe src="${site}/simulator/" title="simulator"></iframe></body></html>`);
      const { context, page, violations } = await watched();
      await page.goto(`${host.url}frames.html`);
      const frame = await until(() => page.frames().find((f) => f.url() === embed), 'the embed frame');
      await frame!.locator('[data-embed-stage]:not([hidden])').waitFor();
      expect(await status(frame!.locator('body'))).toMatch(/^Step 1 of 8 /);
      // The simulator's frame is refused: it holds no document of the site.
      await until(async () => (await violations()).some((v) => /frame-ancestors/.test(v)), "Chromium's refusal of the simulator's frame");
      const sim = page.frames().find((f) => f.url().startsWith(`${site}/simulator/`));
      expect(sim ? await sim.locator('nsl-player').count() : 0).toBe(0);
      expect((await violations()).filter((v) => !/frame-ancestors/.test(v))).toEqual([]);
      await context.close();
      // The site itself still frames its own pages.
      const own = await watched();
      await own.page.goto(`${site}/embed/`);
      await own.page.evaluate((src) => {
        const f = document.createElement('iframe');
        f.src = src;
        f.title = 'own';
        document.body.append(f);
      }, `${site}/simulator/`);
      const inner = await until(() => own.page.frames().find((f) => f.url() === `${site}/simulator/`), 'the same-origin frame');
      await inner!.locator('nsl-player.nsl-live').first().waitFor();
      await own.context.close();
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
