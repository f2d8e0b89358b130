/**
 * Running netdev-sim qemu (the bin a user runs) and talking to it as
 * management software does: a raw QMP client that keeps every line and
 * when it arrived, helpers to wait for socket files and processes.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const BIN = join(ROOT, 'bin/netdev-sim.mjs');

const cleanups: (() => void)[] = [];

/** Ends every process and removes every directory the helpers made (call in afterEach). */
export function cleanUp(): void {
  for (const f of cleanups.splice(0).reverse()) f();
}

export function tempDir(prefix = 'nsq-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

export interface Proc {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  stderr: () => string;
}

export function run(cmd: string, args: string[], options: SpawnOptions = {}): Proc {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], ...options });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (t: string) => (err += t));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return { child, exited, stderr: () => err };
}

/** node bin/netdev-sim.mjs qemu ARGS */
export function standIn(args: string[], options: SpawnOptions = {}): Proc {
  return run(process.execPath, [BIN, 'qemu', ...args], options);
}

export async function waitFor(check: () => boolean, ms = 10_000, what = 'a condition'): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const waitForPath = (path: string, ms = 10_000) => waitFor(() => existsSync(path), ms, path);

export interface QmpLine {
  msg: Record<string, unknown>;
  at: number;
}

/** A QMP client: connects, keeps every line; `negotiate` reads the greeting and sends qmp_capabilities. */
export async function qmpConnect(path: string | { host: string; port: number }) {
  const once = () =>
    new Promise<net.Socket>((resolve, reject) => {
      const s = typeof path === 'string' ? net.connect(path) : net.connect(path.port, path.host);
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
  // Like QEMU's, the socket file exists a moment before it listens: a refused connect is tried again.
  let sock: net.Socket | null = null;
  for (let tries = 0; !sock; tries++) {
    try {
      sock = await once();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNREFUSED' || tries > 100) throw e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  cleanups.push(() => sock.destroy());
  const lines: QmpLine[] = [];
  let buf = '';
  let closedAt: number | null = null;
  sock.setEncoding('utf8');
  sock.on('data', (t: string) => {
    buf += t;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const row = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (row) lines.push({ msg: JSON.parse(row) as Record<string, unknown>, at: performance.now() });
    }
  });
  sock.on('error', () => {});
  sock.on('close', () => (closedAt = performance.now()));
  const find = (pred: (m: Record<string, unknown>) => boolean) => lines.find((l) => pred(l.msg));
  const waitMsg = async (pred: (m: Record<string, unknown>) => boolean, ms = 10_000) => {
    await waitFor(() => find(pred) !== undefined, ms, 'a QMP message');
    return find(pred)!.msg;
  };
  const send = (m: unknown) => sock.write(`${JSON.stringify(m)}\n`);
  const client = {
    sock,
    lines,
    send,
    waitMsg,
    closedAt: () => closedAt,
    events: () => lines.filter((l) => 'event' in l.msg).map((l) => [l.msg.event, l.msg.data] as const),
    async negotiate() {
      await waitMsg((m) => 'QMP' in m);
      send({ execute: 'qmp_capabilities' });
      await waitMsg((m) => 'return' in m);
      return client;
    },
    /** Sends a command and resolves to its reply (the next non-event line after it). */
    async command(execute: string, args?: Record<string, unknown>) {
      const before = lines.length;
      send(args ? { execute, arguments: args } : { execute });
      await waitFor(() => lines.slice(before).some((l) => !('event' in l.msg)), 10_000, `the reply to ${execute}`);
      return lines.slice(before).find((l) => !('event' in l.msg))!.msg;
    },
  };
  return client;
}

/** Is a process with this pid still there (and not a zombie)? */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie still answers kill(0); its /proc status says Z.
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}

export type QmpClient = Awaited<ReturnType<typeof qmpConnect>>;

export interface PeerVisit {
  /** NETDEV_STREAM_CONNECTED's data. */
  connected: unknown;
  /** The process's exit status after `quit`. */
  exit: number | null;
  stderr: string;
}

/**
 * Drives a started stand-in (`proc`, from run()) as management software
 * does, through a server netdev listening at `netdevPath`: waits up to
 * `startMs` for its QMP socket `qmpPath`, negotiates, runs `first` (more
 * checks on the session), lets a peer connect and hang up, waits for
 * NETDEV_STREAM_CONNECTED and NETDEV_STREAM_DISCONNECTED, and sends `quit`.
 * The process is killed if anything fails on the way.
 */
export async function peerVisit(proc: Proc, qmpPath: string, netdevPath: string, opts: { startMs?: number; first?: (qmp: QmpClient) => Promise<void> } = {}): Promise<PeerVisit> {
  try {
    await waitForPath(qmpPath, opts.startMs);
    const qmp = await (await qmpConnect(qmpPath)).negotiate();
    await opts.first?.(qmp);
    await waitForPath(netdevPath);
    const peer = net.connect(netdevPath);
    const ev = await qmp.waitMsg((m) => m.event === 'NETDEV_STREAM_CONNECTED');
    peer.destroy();
    await qmp.waitMsg((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
    qmp.send({ execute: 'quit' });
    const { code } = await proc.exited;
    return { connected: ev.data, exit: code, stderr: proc.stderr() };
  } finally {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
  }
}
