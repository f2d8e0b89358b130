/**
 * Drives `netdev-sim qemu` the way the recordings drove real QEMU: a real
 * QMP client and real socket peers follow a scenario on the recordings'
 * timeline, in real time, and the transcript is what crossed the QMP
 * socket. Paths and ports are moved into a private directory and free
 * ports so runs can go in parallel; the transcript is mapped back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toDottedOptions } from '../../src/qapi/keyval.ts';
import { encodeFrame } from '../../src/core/net/framing.ts';
import type { Scenario } from '../../src/core/scenario/schema.ts';
import { timeline } from '../../src/core/scenario/timeline.ts';
import type { TranscriptLine } from '../../src/core/transcript/format.ts';
import { hexToBytes } from '../../src/core/util/hex.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SIM_DIR = '/tmp/sim';

export interface RealRun {
  lines: TranscriptLine[];
  stderr: string;
  exitCode: number | null;
  /** The stand-in ignored SIGTERM and had to be killed. */
  stuck?: boolean;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Replaces every occurrence of each key by its value in all strings of `x`. */
function mapStrings(x: unknown, pairs: [string, string][]): unknown {
  if (typeof x === 'string') return pairs.reduce((s, [a, b]) => s.split(a).join(b), x);
  if (Array.isArray(x)) return x.map((y) => mapStrings(y, pairs));
  if (x !== null && typeof x === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) o[k] = mapStrings(v, pairs);
    return o;
  }
  return x;
}

function portsOf(s: Scenario): Set<string> {
  const out = new Set<string>();
  const visit = (x: unknown, key?: string) => {
    if (Array.isArray(x)) x.forEach((y) => visit(y));
    else if (x !== null && typeof x === 'object') for (const [k, y] of Object.entries(x)) visit(y, k);
    else if (key === 'port' && typeof x === 'string' && /^\d+$/.test(x)) out.add(x);
  };
  visit(s);
  return out;
}

/** Sleeps until `deadline` (performance.now() ms). */
async function until(deadline: number): Promise<void> {
  const left = deadline - performance.now();
  if (left > 0) await new Promise((r) => setTimeout(r, left));
}

interface Peer {
  server: net.Server | null;
  serverPath: string | null;
  conn: net.Socket | null;
  queue: net.Socket[];
}

export async function runOnRealSockets(scenario: Scenario, release = scenario.qemu): Promise<RealRun> {
  const dir = mkdtempSync(join(tmpdir(), 'n'));
  const pairs: [string, string][] = [[SIM_DIR, dir]];
  for (const p of portsOf(scenario)) {
    const n = Number(p);
    const free = await freePort();
    // Keep numbers above 65535 above it: QEMU takes them modulo 65536.
    pairs.push([p, String(n > 65535 ? free + 65536 * Math.floor(n / 65536) : free)]);
  }
  const back: [string, string][] = pairs.map(([a, b]) => [b, a]);
  const s = mapStrings(scenario, pairs) as Scenario;
  const qmpPath = join(dir, 'qmp.sock');
  const args = [
    join(ROOT, 'bin/netdev-sim.mjs'),
    'qemu',
    '-M',
    'none',
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-qmp',
    `unix:${qmpPath},server=on,wait=off`,
    '--release',
    release,
    ...s.netdevs.flatMap((nd) => ['-netdev', toDottedOptions(nd)]),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (t: string) => (stderr += t));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines: TranscriptLine[] = [];
  const peers = new Map<string, Peer>();
  let qmp: net.Socket | null = null;
  const result: RealRun = { lines: [], stderr: '', exitCode: null };
  try {
    // Wait for the QMP socket, or for QEMU to give up at start-up.
    const started = performance.now();
    for (;;) {
      const code = await Promise.race([exited, new Promise<'wait'>((r) => setTimeout(() => r('wait'), 20))]);
      if (code !== 'wait') {
        const line = stderr.split('\n').find((l) => l.startsWith('qemu-system-x86_64: -netdev'));
        if (line) lines.push({ exit: code ?? 1, stderr: line });
        return { lines: mapStrings(lines, back) as TranscriptLine[], stderr, exitCode: code };
      }
      const sock = await new Promise<net.Socket | null>((resolve) => {
        const c = net.connect(qmpPath);
        c.once('connect', () => resolve(c));
        c.once('error', () => resolve(null));
      });
      if (sock) {
        qmp = sock;
        break;
      }
      if (performance.now() - started > 10_000) throw new Error(`netdev-sim qemu did not start: ${stderr}`);
    }
    qmp.setEncoding('utf8');
    let buffered = '';
    const waiters: ((l: unknown) => void)[] = [];
    qmp.on('data', (text: string) => {
      buffered += text;
      let i;
      while ((i = buffered.indexOf('\n')) >= 0) {
        const row = buffered.slice(0, i).trim();
        buffered = buffered.slice(i + 1);
        if (row === '') continue;
        const msg = JSON.parse(row) as unknown;
        lines.push({ dir: '<-', msg });
        const w = waiters.shift();
        if (w && msg && typeof msg === 'object' && !('event' in msg)) w(msg);
        else if (w) waiters.unshift(w);
      }
    });
    const nextReply = () => new Promise<unknown>((r) => waiters.push(r));
    // The greeting, then the negotiation (unless QEMU goes away first).
    let closed = false;
    qmp.on('close', () => (closed = true));
    await new Promise<void>((resolve) => {
      const check = () => (lines.length > 0 || closed ? resolve() : setTimeout(check, 2));
      check();
    });
    if (closed && lines.length === 0) {
      const code = await exited;
      const line = stderr.split('\n').find((l) => l.startsWith('qemu-system-x86_64: -netdev'));
      if (line) lines.push({ exit: code ?? 1, stderr: line });
      return { lines: mapStrings(lines, back) as TranscriptLine[], stderr, exitCode: code };
    }
    const send = (msg: unknown) => {
      lines.push({ dir: '->', msg });
      qmp!.write(`${JSON.stringify(msg)}\n`);
    };
    const caps = nextReply();
    send({ execute: 'qmp_capabilities' });
    await caps;
    const t0 = performance.now();
    const tl = timeline(s.steps);
    const peer = (name: string): Peer => {
      let p = peers.get(name);
      if (!p) {
        p = { server: null, serverPath: null, conn: null, queue: [] };
        peers.set(name, p);
      }
      return p;
    };
    const serve = (p: Peer, sock: net.Socket) => {
      p.conn = sock;
      sock.on('data', () => {});
      const done = () => {
        if (p.conn !== sock) return;
        sock.destroy();
        p.conn = null;
        const next = p.queue.shift();
        if (next) serve(p, next);
      };
      sock.on('end', done);
      sock.on('error', done);
      sock.resume();
    };
    for (const [i, step] of s.steps.entries()) {
      await until(t0 + tl.starts[i]!);
      const st = step as Record<string, unknown>;
      if ('qmp' in st) {
        send(st.qmp);
        continue;
      }
      if ('wait' in st) continue;
      const p = peer(st.peer as string);
      if ('listen' in st) {
        const a = st.listen as { type: string; path?: string; abstract?: boolean; tight?: boolean; host?: string; port?: string };
        const server = net.createServer({ pauseOnConnect: true }, (sock) => {
          sock.on('error', () => {});
          if (p.conn) p.queue.push(sock);
          else serve(p, sock);
        });
        server.on('error', () => {});
        if (a.type === 'unix') {
          const path = a.abstract ? (a.tight === false ? `\0${a.path}`.padEnd(108, '\0') : `\0${a.path}`) : a.path!;
          if (!a.abstract) {
            try {
              unlinkSync(a.path!);
            } catch {
              // no stale file
            }
          }
          server.listen({ path, backlog: 16 });
          p.serverPath = a.abstract ? null : a.path!;
        } else {
          server.listen({ host: a.host, port: Number(a.port), backlog: 16 });
        }
        p.server = server;
      } else if ('connect' in st) {
        const a = st.connect as { type: string; path?: string; abstract?: boolean; tight?: boolean; host?: string; port?: string };
        const opts =
          a.type === 'unix'
            ? { path: a.abstract ? (a.tight === false ? `\0${a.path}`.padEnd(108, '\0') : `\0${a.path}`) : a.path! }
            : { host: a.host!, port: Number(a.port) };
        const sock = net.connect(opts);
        sock.on('error', () => {
          if (p.conn === sock) p.conn = null;
        });
        serve(p, sock);
      } else if ('send' in st || 'send-raw' in st) {
        const bytes = 'send' in st ? encodeFrame(hexToBytes(st.send as string)) : hexToBytes(st['send-raw'] as string);
        if (p.conn && !p.conn.destroyed) p.conn.write(bytes);
      } else if ('close' in st) {
        p.conn?.destroy();
        p.conn = null;
        for (const q of p.queue) q.destroy();
        p.queue = [];
        if (p.server) {
          p.server.close();
          if (p.serverPath) {
            try {
              unlinkSync(p.serverPath);
            } catch {
              // already gone
            }
          }
        }
        p.server = null;
      }
    }
    await until(t0 + tl.end);
    result.lines = mapStrings(lines, back) as TranscriptLine[];
    return result;
  } finally {
    for (const p of peers.values()) {
      p.conn?.destroy();
      for (const q of p.queue) q.destroy();
      p.server?.close();
    }
    qmp?.destroy();
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), 5000))]);
      if (code === 'stuck') {
        result.stuck = true;
        child.kill('SIGKILL');
        await exited;
      }
    }
    result.stderr = stderr;
    rmSync(dir, { recursive: true, force: true });
  }
}
