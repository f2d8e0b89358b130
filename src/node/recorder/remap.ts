/**
 * Moves a scenario's socket paths and ports somewhere private, so that
 * several runs (and other programs) do not collide, and maps what comes
 * back (transcript, stderr) to the scenario's own names.
 *
 * A directory the scenario uses (the deepest directory of the simulated
 * machine that holds a path, such as /tmp/sim) becomes a fresh directory
 * under /tmp with a name of the same length, so path-length limits (108
 * bytes for a unix socket) fall where they fell in the scenario. Every
 * port the scenario writes becomes a free port (numbers above 65535 stay
 * above it: QEMU takes them modulo 65536).
 */
import { mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { SIMULATED_DIRECTORIES, WORKING_DIRECTORY, absolutePath } from '../../core/net/filesystem.ts';

/** The directory every recording has: QMP's socket lives there. */
export const SIM_DIR = WORKING_DIRECTORY;

export interface Remap {
  /** scenario directory -> private directory, longest first. */
  readonly dirs: readonly { from: string; to: string }[];
  /** scenario port -> private port (as text). */
  readonly ports: readonly { from: string; to: string }[];
  /** Where the scenario's SIM_DIR went. */
  readonly simDir: string;
  /** The scenario with private paths and ports. */
  forward<T>(x: T): T;
  /** Any JSON value (transcript lines) or text, with the scenario's names again. */
  back<T>(x: T): T;
  /** Removes the private directories. */
  remove(): void;
}

/** Ports written in the scenario (key `port`, digits, not 0). */
function writtenPortNumbers(x: unknown, out = new Set<number>(), key?: string): Set<number> {
  if (Array.isArray(x)) x.forEach((y) => writtenPortNumbers(y, out));
  else if (x !== null && typeof x === 'object') for (const [k, y] of Object.entries(x)) writtenPortNumbers(y, out, k);
  else if (key === 'port' && typeof x === 'string' && /^\d{1,9}$/.test(x) && Number(x) > 0) out.add(Number(x));
  return out;
}

/** Port ranges of inet addresses (`port` to `to`), so they can move as a block. */
function writtenRanges(x: unknown, out: [number, number][] = []): [number, number][] {
  if (Array.isArray(x)) x.forEach((y) => writtenRanges(y, out));
  else if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (typeof o.port === 'string' && /^\d{1,5}$/.test(o.port) && typeof o.to === 'number' && o.to >= Number(o.port) && o.to - Number(o.port) < 64) {
      out.push([Number(o.port), o.to]);
    }
    for (const y of Object.values(o)) writtenRanges(y, out);
  }
  return out;
}

/** Unix paths written in the scenario (key `path`). */
function writtenPaths(x: unknown, out = new Set<string>(), key?: string): Set<string> {
  if (Array.isArray(x)) x.forEach((y) => writtenPaths(y, out));
  else if (x !== null && typeof x === 'object') for (const [k, y] of Object.entries(x)) writtenPaths(y, out, k);
  else if (key === 'path' && typeof x === 'string' && x !== '') out.add(x);
  return out;
}

/** The deepest simulated directory below the top level that holds `path`. */
function homeDirectory(path: string): string | null {
  const abs = absolutePath(path);
  let best: string | null = null;
  for (const d of SIMULATED_DIRECTORIES) {
    if (d.split('/').filter(Boolean).length < 2) continue;
    if (abs.startsWith(`${d}/`) && (best === null || d.length > best.length)) best = d;
  }
  return best;
}

const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new directory under /tmp whose path is as long as `like` (at least /tmp/ + 3 characters). */
function privateDirectory(like: string): string {
  const n = Math.max(3, like.length - '/tmp/'.length);
  for (let tries = 0; tries < 1000; tries++) {
    const name = [...randomBytes(n)].map((b) => NAME_CHARS[b % NAME_CHARS.length]).join('');
    const dir = `/tmp/${name}`;
    if (dir === like) continue;
    try {
      mkdirSync(dir, { mode: 0o755 });
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new Error(`could not create a private directory like ${like}`);
}

/** A first port from which `count` ports in a row are free. */
async function freeBlock(count: number): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const base = await freePort();
    if (base + count > 65535) continue;
    let ok = true;
    for (let k = 1; k < count && ok; k++) ok = await portFree(base + k);
    if (ok) return base;
  }
  throw new Error(`no ${count} free ports in a row`);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '::', ipv6Only: false }, () => s.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  const attempt = (host: string) =>
    new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen({ port: 0, host, ipv6Only: false }, () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
  // "::" without IPV6_V6ONLY checks the IPv4 port too; fall back where IPv6 is off.
  return attempt('::').catch(() => attempt('127.0.0.1'));
}

function mapJson(x: unknown, text: (s: string, key?: string) => string, key?: string): unknown {
  if (typeof x === 'string') return text(x, key);
  if (Array.isArray(x)) return x.map((y) => mapJson(y, text));
  if (x !== null && typeof x === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) o[k] = mapJson(v, text, k);
    return o;
  }
  return x;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface RemapOptions {
  /** Keep the scenario's own paths and ports (no private directory besides SIM_DIR's). */
  keep?: boolean;
}

export async function makeRemap(scenario: unknown, options: RemapOptions = {}): Promise<Remap> {
  const homes = new Set<string>([SIM_DIR]);
  for (const p of writtenPaths(scenario)) {
    const h = homeDirectory(p);
    if (h) homes.add(h);
  }
  const dirs: { from: string; to: string }[] = [];
  const ports: { from: string; to: string }[] = [];
  try {
    if (options.keep) {
      mkdirSync(SIM_DIR, { recursive: true });
    } else {
      for (const h of homes) dirs.push({ from: h, to: privateDirectory(h) });
      // A port range (`to`) moves as a block, with every port written inside it.
      const taken = new Set<number>();
      for (const [lo, hi] of writtenRanges(scenario)) {
        if ([...taken].some((t) => t >= lo && t <= hi)) continue;
        const base = await freeBlock(hi - lo + 1);
        for (let k = 0; k <= hi - lo; k++) {
          ports.push({ from: String(lo + k), to: String(base + k) });
          taken.add(lo + k);
        }
      }
      for (const n of writtenPortNumbers(scenario)) {
        if (taken.has(n)) continue;
        const free = await freePort();
        const wraps = Math.floor(n / 65536);
        ports.push({ from: String(n), to: String(free + 65536 * wraps) });
        // QEMU reports a port above 65535 modulo 65536.
        if (wraps > 0) ports.push({ from: String(n % 65536), to: String(free) });
      }
    }
  } catch (e) {
    for (const d of dirs) rmSync(d.to, { recursive: true, force: true });
    throw e;
  }
  dirs.sort((a, b) => b.from.length - a.from.length);
  const forwardDirs = dirs.map((d) => ({ re: new RegExp(`^${escape(d.from)}(?=/|$)`), to: d.to }));
  const backDirs = [...dirs]
    .sort((a, b) => b.to.length - a.to.length)
    .map((d) => ({ re: new RegExp(`${escape(d.to)}(?=/|$|[^A-Za-z0-9_.-])`, 'g'), from: d.from }));
  const portTo = new Map(ports.map((p) => [p.from, p.to]));
  const backPorts = ports.map((p) => ({ re: new RegExp(`(?<![0-9])${p.to}(?![0-9])`, 'g'), from: p.from }));
  const simDir = dirs.find((d) => d.from === SIM_DIR)?.to ?? SIM_DIR;

  const forwardJson = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(forwardJson);
    if (x !== null && typeof x === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) o[k] = typeof v === 'string' ? forwardText(v, k) : forwardJson(v);
      // `to` keeps its distance from `port`.
      const src = x as Record<string, unknown>;
      if (typeof src.to === 'number' && typeof src.port === 'string' && portTo.has(src.port)) {
        o.to = Number(portTo.get(src.port)) + (src.to - Number(src.port));
      }
      return o;
    }
    return x;
  };
  const forwardText = (s: string, key?: string): string => {
    if (key === 'port') return portTo.get(s) ?? s;
    if (key !== 'path') return s;
    for (const d of forwardDirs) if (d.re.test(s)) return s.replace(d.re, d.to);
    return s;
  };
  // A range's `to` is a number: it moves back with its `port`.
  const portFrom = new Map(ports.map((p) => [p.to, p.from]));
  const backJson = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(backJson);
    if (x !== null && typeof x === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) o[k] = backJson(v);
      const to = o.to;
      if (typeof to === 'number' && portFrom.has(String(to))) o.to = Number(portFrom.get(String(to)));
      return o;
    }
    return x;
  };
  const backText = (s: string): string => {
    let out = s;
    for (const d of backDirs) out = out.replace(d.re, d.from);
    for (const p of backPorts) out = out.replace(p.re, p.from);
    return out;
  };
  return {
    dirs,
    ports,
    simDir,
    forward: <T>(x: T) => forwardJson(x) as T,
    back: <T>(x: T) => backJson(mapJson(x, backText)) as T,
    remove: () => {
      for (const d of dirs) rmSync(d.to, { recursive: true, force: true });
    },
  };
}
