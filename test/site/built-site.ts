/**
 * Builds the docs site for the tests: once at the root and once under a
 * sub-path, into temporary folders, with the same command `npm run build`
 * runs. A static server serves a build the way any static host would.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDirectory, type ServedSite } from '../support/site.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;

export interface BuiltSite {
  dir: string;
  /** "/" or "/sub/". */
  base: string;
}

/** Runs `astro build` with BASE_PATH set to `base`; returns where it wrote the site. */
export function buildSite(base: string): BuiltSite {
  const dir = mkdtempSync(join(tmpdir(), 'netdev-site-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
  // Vitest puts Vite's import.meta.env into process.env (BASE_URL=/, MODE=test, ...); Astro's
  // prerendering would read them back and ignore the base path. Build as `npm run build` would.
  for (const key of Object.keys(env)) {
    if (/^(BASE_URL|MODE|DEV|PROD|SSR|NODE_ENV|TEST|VITEST.*)$/.test(key)) delete env[key];
  }
  if (base === '/') delete env.BASE_PATH;
  else env.BASE_PATH = base;
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', dir], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`astro build (base ${base}) failed:\n${err.stdout?.toString() ?? ''}\n${err.stderr?.toString() ?? ''}`, { cause: e });
  }
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`astro build wrote no index.html into ${dir}`);
  return { dir, base };
}

/** Removes a build made by buildSite. */
export function removeSite(site: BuiltSite | undefined): void {
  if (site && site.dir.startsWith(tmpdir())) rmSync(site.dir, { recursive: true, force: true });
}

/** Serves `site.dir` under `site.base` on a free local port, like a plain static host; `url` ends with the base. */
export function serveSite(site: BuiltSite): Promise<ServedSite> {
  return serveDirectory(site.dir, site.base);
}
