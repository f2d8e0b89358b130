/**
 * npm run bench:standin — netdev-sim qemu measured as management software
 * meets it, side by side in one run with real QEMU (when
 * qemu-system-x86_64 is on PATH) and bare `node -e 0`:
 * start-up to a readable QMP greeting, QMP round trip, CONNECTED and
 * DISCONNECTED latency, intake of 100,000 small frames, RSS growth over
 * 10,000 connect/disconnect cycles and 10,000 netdev_add/netdev_del pairs,
 * and one 10 MB QMP line (time, peak RSS, event latency meanwhile).
 *
 * Options: --quick (fewer repetitions), --line-mb N (default 10), --no-qemu.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const lineMb = Number(process.argv[process.argv.indexOf('--line-mb') + 1]) || 10;
const N = (full: number, small: number) => (quick ? small : full);

interface Target {
  name: string;
  cmd: string;
  args: (qmp: string) => string[];
}

const STANDIN: Target = { name: 'netdev-sim qemu', cmd: process.execPath, args: (qmp) => [join(ROOT, 'bin/netdev-sim.mjs'), 'qemu', '--release', '7.2', '-M', 'none', '-nodefaults', '-display', 'none', '-qmp', `unix:${qmp},server=on,wait=off`] };
const QEMU: Target = { name: 'QEMU 7.2', cmd: 'qemu-system-x86_64', args: (qmp) => ['-M', 'none', '-nodefaults', '-display', 'none', '-qmp', `unix:${qmp},server=on,wait=off`] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

function rssKb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function connect(path: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(path, () => resolve(s));
    s.once('error', reject);
  });
}

/** A QMP client that resolves waits on lines as they arrive. */
class Qmp {
  private buf = '';
  private waiters: {
    pred: (m: Record<string, unknown>) => boolean;
    resolve: (v: { msg: Record<string, unknown>; at: number }) => void;
    reject: (e: Error) => void;
  }[] = [];
  closed = false;
  constructor(readonly sock: net.Socket) {
    sock.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w.reject(new Error('QMP connection closed'));
    });
    sock.on('error', () => {});
    sock.setEncoding('utf8');
    sock.on('data', (t: string) => {
      const at = performance.now();
      this.buf += t;
      let i;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const row = this.buf.slice(0, i).trim();
        this.buf = this.buf.slice(i + 1);
        if (!row) continue;
        const msg = JSON.parse(row) as Record<string, unknown>;
        const w = this.waiters.findIndex((x) => x.pred(msg));
        if (w >= 0) this.waiters.splice(w, 1)[0]!.resolve({ msg, at });
      }
    });
  }
  next(pred: (m: Record<string, unknown>) => boolean) {
    return new Promise<{ msg: Record<string, unknown>; at: number }>((resolve, reject) => {
      if (this.closed) reject(new Error('QMP connection closed'));
      else this.waiters.push({ pred, resolve, reject });
    });
  }
  async cmd(execute: string, args?: unknown) {
    const r = this.next((m) => 'return' in m || 'error' in m);
    this.sock.write(`${JSON.stringify(args ? { execute, arguments: args } : { execute })}\n`);
    return r;
  }
}

async function start(t: Target, dir: string): Promise<{ child: ChildProcess; qmp: Qmp; greetingMs: number }> {
  const path = join(dir, 'qmp.sock');
  rmSync(path, { force: true });
  const t0 = performance.now();
  const child = spawn(t.cmd, t.args(path), { stdio: ['ignore', 'ignore', 'ignore'] });
  for (;;) {
    if (existsSync(path)) {
      try {
        const sock = await connect(path);
        const qmp = new Qmp(sock);
        await qmp.next((m) => 'QMP' in m);
        const greetingMs = performance.now() - t0;
        await qmp.cmd('qmp_capabilities');
        return { child, qmp, greetingMs };
      } catch {
        // not listening yet
      }
    }
    if (performance.now() - t0 > 20_000) throw new Error(`${t.name} did not start`);
    await sleep(1);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await done;
}

async function greeting(t: Target, dir: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < N(10, 3); i++) {
    const s = await start(t, dir);
    out.push(s.greetingMs);
    await stop(s.child);
  }
  return out;
}

function bareNode(): number[] {
  const out: number[] = [];
  for (let i = 0; i < N(10, 3); i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    out.push(performance.now() - t0);
  }
  return out;
}

async function measure(t: Target, dir: string) {
  const r: Record<string, number | string> = {};
  const g = await greeting(t, dir);
  r.greeting = median(g);
  const { child, qmp } = await start(t, dir);
  const pid = child.pid!;
  try {
    step('QMP round trip.');
    // QMP round trip.
    const rt: number[] = [];
    for (let i = 0; i < N(1000, 200); i++) {
      const t0 = performance.now();
      await qmp.cmd('query-version');
      rt.push(performance.now() - t0);
    }
    r.rtMedian = median(rt);
    r.rtP99 = pct(rt, 99);
    step('CONNECTED / DISCONNECTED latency');
    // CONNECTED / DISCONNECTED latency on a unix server netdev.
    const nd = join(dir, 'n0.sock');
    rmSync(nd, { force: true });
    await qmp.cmd('netdev_add', { id: 'n0', type: 'stream', server: true, addr: { type: 'unix', path: nd } });
    while (!existsSync(nd)) await sleep(1);
    await sleep(50);
    const con: number[] = [];
    const dis: number[] = [];
    for (let i = 0; i < N(300, 50); i++) {
      const c = qmp.next((m) => m.event === 'NETDEV_STREAM_CONNECTED');
      // From the peer's connect() call: QEMU may accept before Node reports the connect done.
      const t1 = performance.now();
      const s = await connect(nd);
      con.push((await c).at - t1);
      const d = qmp.next((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
      const t2 = performance.now();
      s.destroy();
      dis.push((await d).at - t2);
    }
    r.conMedian = median(con);
    r.conP99 = pct(con, 99);
    r.disMedian = median(dis);
    r.disP99 = pct(dis, 99);
    step('100,000 small frames');
    // 100,000 small frames, then end-of-file: DISCONNECTED comes once QEMU read them all.
    const frame = Buffer.alloc(4 + 60);
    frame.writeUInt32BE(60, 0);
    const all = Buffer.concat(new Array<Buffer>(100_000).fill(frame));
    const intake: number[] = [];
    for (let k = 0; k < 6; k++) {
      const c = qmp.next((m) => m.event === 'NETDEV_STREAM_CONNECTED');
      const s = await connect(nd);
      await c;
      const d = qmp.next((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
      const t0 = performance.now();
      s.end(all);
      intake.push((await d).at - t0);
    }
    // The first run includes the JIT's warm-up (QEMU is compiled ahead of time).
    r.framesFirst = intake[0]!;
    r.frames = median(intake.slice(1));
    step('RSS over connect/disconnect');
    // RSS over connect/disconnect cycles (the first 500 warm up).
    const cycle = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const c = qmp.next((m) => m.event === 'NETDEV_STREAM_CONNECTED');
        const s = await connect(nd);
        await c;
        const d = qmp.next((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
        s.destroy();
        await d;
      }
    };
    await cycle(500);
    const rss0 = rssKb(pid);
    await cycle(N(10_000, 1000));
    r.rssCycles = (rssKb(pid) - rss0) / 1024;
    r.rssAfterCycles = rssKb(pid) / 1024;
    step('One big QMP line');
    // One big QMP line, with a peer connecting while it is read.
    const big = `{"execute":"query-version","arguments":{"x":"${'x'.repeat(lineMb * 1024 * 1024)}"}}\n`;
    const reply = qmp.next((m) => 'error' in m || 'return' in m);
    const t0 = performance.now();
    qmp.sock.write(big);
    await sleep(50);
    const c = qmp.next((m) => m.event === 'NETDEV_STREAM_CONNECTED');
    const t1 = performance.now();
    const s = await connect(nd);
    r.conDuringLine = (await c).at - t1;
    s.destroy();
    r.lineSeconds = ((await reply).at - t0) / 1000;
    r.linePeakMb = rssKb(pid, 'VmHWM') / 1024;
    step('RSS over netdev_add');
    // RSS over netdev_add / netdev_del pairs.
    const pairs = async (n: number) => {
      for (let i = 0; i < n; i++, done++) {
        await qmp.cmd('netdev_add', { id: `x${i}`, type: 'stream', server: false, addr: { type: 'unix', path: join(dir, 'none.sock') } });
        await qmp.cmd('netdev_del', { id: `x${i}` });
      }
    };
    let done = 0;
    try {
      await pairs(500);
      const rss1 = rssKb(pid);
      done = 500;
      await pairs(N(10_000, 1000));
      r.rssPairs = (rssKb(pid) - rss1) / 1024;
    } catch {
      // QEMU 7.2 dies of SIGSEGV after some fast netdev_add/netdev_del pairs (seen here).
      await new Promise((res) => (child.exitCode !== null || child.signalCode !== null ? res(null) : child.once('exit', res)));
      r.rssPairs = `died (${child.signalCode ?? child.exitCode}) after ${done}+ pairs`;
    }
  } finally {
    await stop(child);
  }
  return r;
}

const step = (what: string) => process.stderr.write(`  ${what}\n`);
const fmt = (v: number | string | undefined, digits = 2) => (typeof v === 'number' ? v.toFixed(digits) : (v ?? '-'));

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'nsb-'));
  try {
    const hasQemu = !process.argv.includes('--no-qemu') && spawnSync('qemu-system-x86_64', ['--version']).status === 0;
    const node = bareNode();
    process.stderr.write('measuring netdev-sim qemu...\n');
    const ours = await measure(STANDIN, dir);
    let theirs: Record<string, number | string> | null = null;
    if (hasQemu) {
      process.stderr.write(`measuring QEMU 7.2 (a ${lineMb} MB line takes it about ${Math.round(lineMb * 3.7)} s)...\n`);
      theirs = await measure(QEMU, dir);
    }
    const rows: [string, string, number | undefined, string][] = [
      ['greeting (ms, median)', 'greeting', undefined, '<= 2.5x QEMU, <= 2x bare node'],
      ['QMP round trip median (ms)', 'rtMedian', undefined, '<= 2x QEMU'],
      ['QMP round trip p99 (ms)', 'rtP99', undefined, ''],
      ['CONNECTED latency median (ms)', 'conMedian', undefined, '<= 2x QEMU'],
      ['CONNECTED latency p99 (ms)', 'conP99', undefined, ''],
      ['DISCONNECTED latency median (ms)', 'disMedian', undefined, '<= 2x QEMU'],
      ['DISCONNECTED latency p99 (ms)', 'disP99', undefined, ''],
      ['100,000 frames intake, first run (ms)', 'framesFirst', undefined, ''],
      ['100,000 frames intake, median of 5 more (ms)', 'frames', undefined, '<= 3x QEMU'],
      [`RSS growth over ${N(10_000, 1000)} connect/disconnect cycles (MB)`, 'rssCycles', undefined, '<= 5 MB'],
      ['RSS after the cycles (MB)', 'rssAfterCycles', undefined, ''],
      [`RSS growth over ${N(10_000, 1000)} netdev_add/del pairs (MB)`, 'rssPairs', undefined, '<= 5 MB'],
      [`${lineMb} MB QMP line (s)`, 'lineSeconds', undefined, "<= QEMU's time"],
      ['peak RSS by then (MB)', 'linePeakMb', undefined, '<= 200 MB'],
      ['CONNECTED latency during the line (ms)', 'conDuringLine', undefined, 'a few ms'],
    ];
    const out: string[] = [];
    out.push(`| measure | netdev-sim qemu | ${hasQemu ? 'QEMU 7.2 | ratio |' : ''} target |`);
    out.push(`|---|---|${hasQemu ? '---|---|' : ''}---|`);
    for (const [label, key, , target] of rows) {
      const a = ours[key] as number;
      const b = theirs?.[key] as number | undefined;
      const ratio = typeof b === 'number' && b > 0 ? `${(a / b).toFixed(2)}x` : '-';
      out.push(`| ${label} | ${fmt(a)} | ${hasQemu ? `${fmt(b)} | ${ratio} |` : ''} ${target} |`);
    }
    const nodeMs = median(node);
    out.push(`| bare \`node -e 0\` (ms, median) | ${fmt(nodeMs)} | ${hasQemu ? '| |' : ''} greeting/bare node = ${(Number(ours.greeting) / nodeMs).toFixed(2)}x |`);
    process.stdout.write(`${out.join('\n')}\n`);
    if (!hasQemu) process.stdout.write('(qemu-system-x86_64 not on PATH: no QEMU column)\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
