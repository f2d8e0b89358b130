/**
 * The built site for browser tests: `ensureSiteBuilt()` runs `astro build`
 * once for a whole test run (only when dist/ is missing or older than the
 * sources), with a lock so that test files running in parallel build once
 * and wait for each other; `serveSite()` serves a private copy of dist/ over
 * node:http, so a build started elsewhere (another test, another engineer)
 * cannot change files under a running browser test. `serveDirectory()`
 * serves any build, under its base path.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { createHash } from 'node:crypto';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const DIST = join(ROOT, 'dist');

/** What the site is built from; a change to any of these makes dist/ stale. */
const SOURCES = ['src', 'content', 'public', 'astro.config.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];

const LOCK = join(tmpdir(), `nsl-site-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
const LOCK_STALE_MS = 10 * 60_000;

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** When dist/ was last built: Astro writes the home page near the end of a build. */
function builtAt(): number {
  const marker = join(DIST, 'index.html');
  return existsSync(marker) && existsSync(join(DIST, 'simulator', 'index.html')) ? statSync(marker).mtimeMs : 0;
}

export function siteIsFresh(): boolean {
  const built = builtAt();
  return built > 0 && SOURCES.every((s) => newestMtime(join(ROOT, s)) <= built);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withLock<T>(fn: () => T | Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      break;
    } catch {
      // Someone else holds it: wait, unless its holder is gone.
      let stale: boolean;
      try {
        const pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
        stale = (pid > 0 && !pidAlive(pid)) || Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS;
      } catch {
        stale = existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 5_000;
      }
      if (stale) rmSync(LOCK, { recursive: true, force: true });
      else await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * The environment `npm run build` would have. Vitest puts Vite's
 * import.meta.env values (BASE_URL, MODE, ...) into process.env, and Astro
 * would read them back while prerendering.
 */
function buildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
  for (const key of Object.keys(env)) {
    if (/^(BASE_URL|BASE_PATH|MODE|DEV|PROD|SSR|NODE_ENV|TEST|VITEST.*)$/.test(key)) delete env[key];
  }
  return env;
}

/** Builds the site into dist/ (`astro build`, as `npm run build` does) unless it is already up to date. */
export async function ensureSiteBuilt(): Promise<void> {
  if (siteIsFresh()) return;
  await withLock(() => {
    if (siteIsFresh()) return; // built by whoever held the lock
    for (let attempt = 1; ; attempt++) {
      const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: buildEnv(),
        maxBuffer: 64 * 1024 * 1024,
      });
      if (r.status === 0 && builtAt() > 0) return;
      // A build started by someone not using this lock can collide with ours; one retry.
      if (attempt >= 2) throw new Error(`astro build failed (status ${r.status}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
    }
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export interface ServedSite {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the files of `dir` under the path `base` ("/" or "/sub/") on a free
 * local port, as a plain static host would: uncompressed, no caching, a
 * folder's index.html for the folder. `url` is the origin followed by `base`.
 */
export async function serveDirectory(dir: string, base = '/', onClose?: () => void): Promise<ServedSite> {
  const root = resolve(dir);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(base)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    let file = normalize(join(root, path.slice(base.length)));
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => {
          onClose?.();
          r();
        });
      }),
  };
}

/** Copies dist/ aside and serves the copy at the root of a free local port; `url` has no trailing slash. */
export async function serveSite(): Promise<ServedSite> {
  await ensureSiteBuilt();
  const served = await serveTempDirectory('nsl-site-');
  await withLock(() => cpSync(DIST, served.dir, { recursive: true }));
  return { url: served.url.replace(/\/$/, ''), close: () => served.close() };
}

/** A new empty temporary directory served at the root of a free local port (a second site to put pages in), removed on close. */
export async function serveTempDirectory(prefix: string): Promise<ServedSite & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const served = await serveDirectory(dir, '/', () => rmSync(dir, { recursive: true, force: true }));
  return { ...served, dir };
}
