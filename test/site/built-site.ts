/**
 * Builds the docs site for the tests: once at the root and once under a
 * sub-path, into temporary folders, with the same command `npm run build`
 * runs. A static server serves a build the way any static host would.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';

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
    throw new Error(`astro build (base ${base}) failed:\n${err.stdout?.toString() ?? ''}\n${err.stderr?.toString() ?? ''}`);
  }
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`astro build wrote no index.html into ${dir}`);
  return { dir, base };
}

/** Removes a build made by buildSite. */
export function removeSite(site: BuiltSite | undefined): void {
  if (site && site.dir.startsWith(tmpdir())) rmSync(site.dir, { recursive: true, force: true });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml',
  '.txt': 'text/plain',
};

/** Serves `site.dir` under `site.base` on a free local port, like a plain static host. */
export async function serveSite(site: BuiltSite): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(site.base)) {
      res.writeHead(404).end();
      return;
    }
    let file = join(site.dir, path.slice(site.base.length));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(site.dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}${site.base}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
