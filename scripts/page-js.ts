/**
 * The JavaScript a page makes Chromium load, as the reader would pay for it:
 * every JavaScript response the page (or a worker it starts) receives, each
 * file once, plus the inline scripts of its HTML; each gzipped at level 9
 * from the body Chromium received, as a server would send it (our static
 * test servers send bodies uncompressed).
 *
 * "Before interaction" means from navigation until, after the load event,
 * the network has been quiet (no request waiting for its response, none
 * started) for 1.5 s, so code a page fetches on its own once idle
 * (requestIdleCallback, timers, observers) counts too.
 *
 * Used by scripts/site-size.ts (docs pages) and scripts/sim-size.ts.
 */
import { gzipSync } from 'node:zlib';
import type { Page, Request, Response } from 'playwright-core';

/** How long the network must stay quiet before a page counts as settled. */
export const QUIET_MS = 1500;

export interface ScriptLoad {
  /** Site path of the file ("/_astro/x.js"), or "inline #n" for a script in the HTML. */
  path: string;
  bytes: number;
  gzip: number;
}

export const gzipSize = (body: string | Buffer) => gzipSync(body, { level: 9 }).length;

const isJsType = (contentType: string) => /\b(?:java|ecma)script\b/i.test(contentType);
const isJsPath = (path: string) => /\.m?js$/.test(path);

export interface ScriptRecorder {
  /** Every JavaScript file received so far, in order of arrival, each once. */
  readonly loads: ScriptLoad[];
  /** Waits for the load event, then for QUIET_MS without a request in flight, and for the sizes. */
  settle(timeoutMs?: number): Promise<void>;
  /** The files received since `mark` (a length of `loads` taken earlier). */
  since(mark: number): ScriptLoad[];
}

/** Starts recording a page's JavaScript; call before navigating. */
export function recordScripts(page: Page): ScriptRecorder {
  const loads: ScriptLoad[] = [];
  const seen = new Set<string>();
  const sizing: Promise<void>[] = [];
  const failures: string[] = [];
  const inFlight = new Set<Request>();
  let lastActivity = Date.now();

  const started = (r: Request) => {
    inFlight.add(r);
    lastActivity = Date.now();
  };
  const ended = (r: Request) => {
    inFlight.delete(r);
    lastActivity = Date.now();
  };
  // A worker's script is requested again when a page restarts the worker,
  // and the request of a worker stopped early never ends: a response for a
  // URL, or the end of its worker, ends every request for that URL.
  const endedAll = (url: string) => {
    for (const r of inFlight) if (r.url() === url) inFlight.delete(r);
    lastActivity = Date.now();
  };
  page.on('request', started);
  page.on('response', (r) => endedAll(r.url()));
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  page.on('worker', (w) => w.on('close', () => endedAll(w.url())));

  page.on('response', (r: Response) => {
    const url = new URL(r.url());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
    if (!isJsType(r.headers()['content-type'] ?? '') && !isJsPath(url.pathname)) return;
    if (r.status() < 200 || r.status() >= 300) return;
    // A file fetched again (a worker restarted, say) costs the reader once.
    if (seen.has(url.pathname)) return;
    seen.add(url.pathname);
    const load: ScriptLoad = { path: url.pathname, bytes: 0, gzip: 0 };
    loads.push(load);
    sizing.push(
      bodyOf(page, r).then(
        (body) => {
          load.bytes = body.length;
          load.gzip = gzipSize(body);
        },
        // Reported by settle(); a page closed without settling leaves nothing unhandled.
        (e: unknown) => void failures.push(`${url.pathname}: ${e instanceof Error ? e.message : String(e)}`),
      ),
    );
  });

  return {
    loads,
    since: (mark) => loads.slice(mark),
    async settle(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      await page.waitForLoadState('load', { timeout: timeoutMs });
      lastActivity = Math.max(lastActivity, Date.now());
      while (inFlight.size > 0 || Date.now() - lastActivity < QUIET_MS) {
        if (Date.now() > deadline) {
          const pending = [...inFlight].map((r) => r.url()).join(', ');
          throw new Error(`${page.url()}: the network did not go quiet within ${timeoutMs} ms${pending ? ` (in flight: ${pending})` : ''}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      await Promise.all(sizing);
      if (failures.length > 0) throw new Error(`could not size every script: ${failures.join('; ')}`);
    },
  };
}

/**
 * The body Chromium received. Playwright cannot hand out the body of a
 * worker's own script; then the same URL is fetched again outside the page.
 */
async function bodyOf(page: Page, r: Response): Promise<Buffer> {
  try {
    return await r.body();
  } catch {
    const again = await page.request.get(r.url());
    if (!again.ok()) throw new Error(`${r.url()}: could not read the script's body (HTTP ${again.status()})`);
    return again.body();
  }
}

/** The page's inline scripts that are code (not JSON data), as the HTML has them. */
export async function inlineScripts(page: Page): Promise<ScriptLoad[]> {
  const codes = await page.evaluate(() =>
    [...document.querySelectorAll('script:not([src])')]
      .filter((s) => /^(|module|text\/javascript|application\/javascript)$/i.test((s.getAttribute('type') ?? '').trim()))
      .map((s) => s.textContent ?? '')
      .filter((code) => code.trim() !== ''),
  );
  return codes.map((code, i) => ({ path: `inline #${i + 1}`, bytes: Buffer.byteLength(code), gzip: gzipSize(code) }));
}

export const totalGzip = (loads: readonly ScriptLoad[]) => loads.reduce((n, l) => n + l.gzip, 0);

export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
