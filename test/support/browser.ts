/**
 * Chromium for browser tests: Debian's /usr/bin/chromium driven by
 * playwright-core, headless, with nothing that talks to the network.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.NSL_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A fresh context that may use the clipboard (for the copy buttons). */
export function newContext(browser: Browser, origin?: string): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1400, height: 900 },
    ...(origin ? { permissions: ['clipboard-read', 'clipboard-write'] } : {}),
  });
}
