/**
 * Screenshots of built pages in Debian's Chromium, at the two sizes every
 * page change is looked at: a 1366×768 laptop and a 390×844 phone, before
 * any scrolling.
 *
 *   npm run shot -- /simulator/ [/other/page/ ...] [--out DIR] [--dark] [--full] [--steps N]
 *
 * Serves dist/ (build it first) on a free port and writes
 * DIR/<page>-<width>x<height>[-dark][-stepN].png (DIR defaults to
 * /tmp/nsl-shots). --steps N presses the player's "Step forward" N times
 * first (the stage after a few steps).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../test/support/browser.ts';
import { serveSite } from '../test/support/site.ts';

const SIZES = [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
] as const;

const args = process.argv.slice(2);
let out = '/tmp/nsl-shots';
let dark = false;
let full = false;
let steps = 0;
const pages: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--out') out = args[++i] ?? out;
  else if (a === '--dark') dark = true;
  else if (a === '--full') full = true;
  else if (a === '--steps') steps = Number(args[++i] ?? 0);
  else pages.push(a);
}
if (pages.length === 0) pages.push('/simulator/');
mkdirSync(out, { recursive: true });

const site = await serveSite();
const browser = await launchBrowser();
try {
  for (const path of pages) {
    for (const size of SIZES) {
      const context = await browser.newContext({ viewport: size, colorScheme: dark ? 'dark' : 'light' });
      const page = await context.newPage();
      if (dark) await page.addInitScript(() => localStorage.setItem('starlight-theme', 'dark'));
      await page.goto(`${site.url}${path}`, { waitUntil: 'networkidle' });
      if (steps > 0) {
        await page.locator('nsl-player.nsl-live').first().waitFor();
        for (let i = 0; i < steps; i++) await page.getByRole('button', { name: 'Step forward', exact: true }).first().click();
        await page.waitForTimeout(1000);
      }
      const name = path.replace(/#.*$/, '-link').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'home';
      const file = join(out, `${name}-${size.width}x${size.height}${dark ? '-dark' : ''}${steps ? `-step${steps}` : ''}.png`);
      await page.screenshot({ path: file, fullPage: full });
      console.log(file);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await site.close();
}
