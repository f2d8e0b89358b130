/**
 * npm run bench:standin — netdev-sim qemu measured as management software
 * meets it, side by side in one run with real QEMU (when
 * qemu-system-x86_64 is on PATH) and bare `node -e 0`:
 * start-up to a readable QMP greeting, QMP round trip, CONNECTED and
 * DISCONNECTED latency, intake of 100,000 small frames, RSS growth over
 * connect/disconnect cycles and netdev_add/netdev_del pairs (from start,
 * and after V8 has sized its heap), one 10 MB QMP line (time, peak RSS,
 * event latency meanwhile), and the time from `quit` to the exit.
 *
 * The stand-in runs as npm installs it: bin/, dist-cli/ and the native
 * helper copied to a temporary directory (a source checkout's bin also
 * checks that the bundle is current; its greeting is shown apart), once
 * as is and once with the start-up flags of src/node/node-flags.ts
 * (through NODE_OPTIONS, as a user would pass them).
 *
 * Options: --quick (fewer repetitions), --line-mb N (default 10), --no-qemu.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAND_IN_NODE_FLAGS } from '../src/node/node-flags.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const lineMb = Number(process.argv[process.argv.indexOf('--line-mb') + 1]) || 10;
const N = (full: number, small: number) => (quick ? small : full);
/** Cycles (and pairs) in the measured window, and before it while V8 sizes its heap. */
const WINDOW = N(10_000, 1000);
const WARM_UP = N(10_000, 1000);

interface Target {
  name: string;
  cmd: string;
  args: (qmp: string) => string[];
  env?: NodeJS.ProcessEnv;
}

const QEMU_ARGS = (qmp: string) => ['-M', 'none', '-nodefaults', '-display', 'none', '-qmp', `unix:${qmp},server=on,wait=off`];
const QEMU: Target = { name: 'QEMU 7.2', cmd: 'qemu-system-x86_64', args: QEMU_ARGS };
const standIn = (name: string, bin: string, env?: NodeJS.ProcessEnv): Target => ({
  name,
  cmd: process.execPath,
  args: (qmp) => [bin, 'qemu', '--release', '7.2', ...QEMU_ARGS(qmp)],
  ...(env ? { env: { ...process.env, ...env } } : {}),
});

/** The files npm installs (package.json "files"), the native helper where the bundle finds it. */
function installedCopy(dir: string): string {
  const app = join(dir, 'app');
  for (const d of ['bin', 'dist-cli']) cpSync(join(ROOT, d), join(app, d), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
  mkdirSync(join(app, 'build'), { recursive: true });
  cpSync(join(ROOT, 'build/native'), join(app, 'build/native'), { recursive: true });
  return join(app, 'bin/netdev-sim.mjs');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

function rssKb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}
const rssMb = (pid: number) => rssKb(pid) / 1024;

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
  const child = spawn(t.cmd, t.args(path), { stdio: ['ignore', 'ignore', 'ignore'], ...(t.env ? { env: t.env } : {}) });
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
    await sleep(0.5);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await done;
}

/** Greetings of every target, taken in turn so a busy spell of the machine hits them alike. */
async function greetings(targets: Target[], dir: string): Promise<{ greeting: number[][]; node: number[] }> {
  const greeting: number[][] = targets.map(() => []);
  const node: number[] = [];
  for (let i = 0; i < N(21, 5); i++) {
    for (const [k, t] of targets.entries()) {
      const s = await start(t, dir);
      greeting[k]!.push(s.greetingMs);
      await stop(s.child);
    }
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    node.push(performance.now() - t0);
  }
  return { greeting, node };
}

/** From `quit` to the process's exit, with the client still connected. */
async function quitToExit(t: Target, dir: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < N(11, 3); i++) {
    const { child, qmp } = await start(t, dir);
    const exited = new Promise<number>((r) => child.once('exit', () => r(performance.now())));
    const t0 = performance.now();
    qmp.sock.write('{"execute":"quit"}\n');
    out.push((await exited) - t0);
    qmp.sock.destroy();
  }
  return out;
}

type Row = Record<string, number | string>;

/** A server netdev on a unix socket in `dir`; resolves to its path once it listens. */
async function addServerNetdev(qmp: Qmp, dir: string): Promise<string> {
  const nd = join(dir, 'n0.sock');
  rmSync(nd, { force: true });
  await qmp.cmd('netdev_add', { id: 'n0', type: 'stream', server: true, addr: { type: 'unix', path: nd } });
  while (!existsSync(nd)) await sleep(1);
  await sleep(50);
  return nd;
}

/** CONNECTED and DISCONNECTED latencies of `n` connect/disconnect cycles, from the peer's connect() and close(). */
async function latencies(qmp: Qmp, nd: string, n: number) {
  const con: number[] = [];
  const dis: number[] = [];
  for (let i = 0; i < n; i++) {
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
  return { con, dis };
}

async function roundTrips(qmp: Qmp, n: number): Promise<number[]> {
  const rt: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const { at } = await qmp.cmd('query-version');
    rt.push(at - t0);
  }
  return rt;
}

/** 100,000 small frames, then end-of-file: DISCONNECTED comes once QEMU read them all. */
const FRAMES = (() => {
  const frame = Buffer.alloc(4 + 60);
  frame.writeUInt32BE(60, 0);
  return Buffer.concat(new Array<Buffer>(100_000).fill(frame));
})();
async function frameIntake(qmp: Qmp, nd: string): Promise<number> {
  const c = qmp.next((m) => m.event === 'NETDEV_STREAM_CONNECTED');
  const s = await connect(nd);
  await c;
  const d = qmp.next((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
  const t0 = performance.now();
  s.end(FRAMES);
  return (await d).at - t0;
}

/**
 * Round trips, event latencies and frame intake of every target, taken in
 * turn block by block, so a busy spell of the machine hits them alike.
 * The first 100 events run before the JIT has compiled their path (QEMU
 * is compiled ahead of time): they are reported apart, then 400 more warm
 * up before the blocks that count.
 */
async function timings(targets: Target[], dir: string, say: (t: string) => void): Promise<Row[]> {
  const runs = [];
  for (const [k, t] of targets.entries()) {
    const d = join(dir, `t${k}`);
    mkdirSync(d, { recursive: true });
    const { child, qmp } = await start(t, d);
    runs.push({ child, qmp, nd: await addServerNetdev(qmp, d), rt: [] as number[], con: [] as number[], dis: [] as number[], frames: [] as number[], row: {} as Row });
  }
  try {
    for (const r of runs) {
      const cold = await latencies(r.qmp, r.nd, 100);
      r.row.conCold = median(cold.con);
      r.row.disCold = median(cold.dis);
      r.row.framesFirst = await frameIntake(r.qmp, r.nd);
      await roundTrips(r.qmp, 200);
      await latencies(r.qmp, r.nd, N(400, 100));
    }
    const blocks = N(10, 3);
    for (let b = 0; b < blocks; b++) {
      say(`  round trips, event latencies, frames: block ${b + 1} of ${blocks}\n`);
      for (const r of runs) {
        r.rt.push(...(await roundTrips(r.qmp, 100)));
        const l = await latencies(r.qmp, r.nd, 100);
        r.con.push(...l.con);
        r.dis.push(...l.dis);
        r.frames.push(await frameIntake(r.qmp, r.nd));
      }
    }
  } finally {
    for (const r of runs) await stop(r.child);
  }
  return runs.map((r) => ({
    ...r.row,
    rtMedian: median(r.rt),
    rtP99: pct(r.rt, 99),
    conMedian: median(r.con),
    conP99: pct(r.con, 99),
    disMedian: median(r.dis),
    disP99: pct(r.dis, 99),
    frames: median(r.frames),
  }));
}


async function measure(t: Target, dir: string, step: (what: string) => void): Promise<Row> {
  const r: Row = {};
  const { child, qmp } = await start(t, dir);
  const pid = child.pid!;
  const rssStart = rssMb(pid);
  try {
    const nd = await addServerNetdev(qmp, dir);
    step(`RSS over ${WARM_UP} + ${WINDOW} connect/disconnect cycles`);
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
    // RSS is sampled through the window: V8's collections make it a sawtooth
    // of a few MB, so growth is the mean of the last quarter of the samples
    // less the mean of the first quarter (the lowest and highest are shown too).
    const sampled = async (run: (n: number) => Promise<void>) => {
      const samples = [rssMb(pid)];
      for (let done = 0; done < WINDOW; done += WINDOW / 20) {
        await run(WINDOW / 20);
        samples.push(rssMb(pid));
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const q = Math.ceil(samples.length / 4);
      return {
        growth: mean(samples.slice(-q)) - mean(samples.slice(0, q)),
        range: `${Math.min(...samples).toFixed(1)}-${Math.max(...samples).toFixed(1)}`,
        end: samples.at(-1)!,
      };
    };
    await cycle(WARM_UP);
    const cycles = await sampled(cycle);
    r.rssCycles = cycles.growth;
    r.rssCyclesRange = cycles.range;
    r.rssCyclesFromStart = cycles.end - rssStart;
    r.rssStart = rssStart;

    step(`One ${lineMb} MB QMP line`);
    // One big QMP line, with peers connecting and leaving while it is read.
    const big = `{"execute":"query-version","arguments":{"x":"${'x'.repeat(lineMb * 1024 * 1024)}"}}\n`;
    const reply = qmp.next((m) => 'error' in m || 'return' in m);
    let replied = false;
    void reply.then(() => (replied = true));
    const t0 = performance.now();
    qmp.sock.write(big);
    const during: number[] = [];
    while (!replied) {
      const c = qmp.next((m) => m.event === 'NETDEV_STREAM_CONNECTED');
      const t1 = performance.now();
      const s = await connect(nd);
      during.push((await c).at - t1);
      const d = qmp.next((m) => m.event === 'NETDEV_STREAM_DISCONNECTED');
      s.destroy();
      await d;
      await sleep(5);
    }
    r.lineSeconds = ((await reply).at - t0) / 1000;
    r.linePeakMb = rssKb(pid, 'VmHWM') / 1024;
    r.conDuringLine = `${median(during).toFixed(2)} / ${Math.max(...during).toFixed(2)} (${during.length})`;

    step(`RSS over ${WARM_UP} + ${WINDOW} netdev_add/del pairs`);
    let done = 0;
    const pairs = async (n: number) => {
      for (let i = 0; i < n; i++, done++) {
        await qmp.cmd('netdev_add', { id: `x${done}`, type: 'stream', server: false, addr: { type: 'unix', path: join(dir, 'none.sock') } });
        await qmp.cmd('netdev_del', { id: `x${done}` });
      }
    };
    const rssBeforePairs = rssMb(pid);
    try {
      await pairs(WARM_UP);
      const p = await sampled(pairs);
      r.rssPairs = p.growth;
      r.rssPairsRange = p.range;
      r.rssPairsFromStart = p.end - rssBeforePairs;
    } catch {
      // QEMU 7.2 dies of SIGSEGV after some fast netdev_add/netdev_del pairs (seen here).
      await new Promise((res) => (child.exitCode !== null || child.signalCode !== null ? res(null) : child.once('exit', res)));
      r.rssPairs = `died (${child.signalCode ?? child.exitCode}) after ${done} pairs`;
      r.rssPairsFromStart = '-';
    }
  } finally {
    await stop(child);
  }
  return r;
}

const fmt = (v: number | string | undefined, digits = 2) => (typeof v === 'number' ? v.toFixed(digits) : (v ?? '-'));

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'nsb-'));
  const say = (t: string) => process.stderr.write(t);
  try {
    const hasQemu = !process.argv.includes('--no-qemu') && spawnSync('qemu-system-x86_64', ['--version']).status === 0;
    const bin = installedCopy(dir);
    const plain = standIn('netdev-sim qemu', bin);
    const flagged = standIn(`... NODE_OPTIONS=${STAND_IN_NODE_FLAGS.join(' ')}`, bin, { NODE_OPTIONS: STAND_IN_NODE_FLAGS.join(' ') });
    const checkout = standIn('netdev-sim qemu (source checkout)', join(ROOT, 'bin/netdev-sim.mjs'));
    const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
    say(`load average at start: ${load()}\n`);

    say('greeting (each target in turn)...\n');
    const gTargets = [plain, flagged, checkout, ...(hasQemu ? [QEMU] : [])];
    const g = await greetings(gTargets, dir);
    const all = [plain, flagged, ...(hasQemu ? [QEMU] : [])];
    say('round trips, event latencies, frames (each target in turn)...\n');
    const timed = await timings(all, dir, say);
    const results: Row[] = [];
    for (const [k, t] of all.entries()) {
      say(`measuring ${t.name}${t === QEMU ? ` (a ${lineMb} MB line takes it about ${Math.round(lineMb * 3.7)} s)` : ''}...\n`);
      const r = { ...timed[k]!, ...(await measure(t, dir, (what) => say(`  ${what}\n`))) };
      r.quit = median(await quitToExit(t, dir));
      results.push(r);
    }
    results[0]!.greeting = median(g.greeting[0]!);
    results[1]!.greeting = median(g.greeting[1]!);
    if (hasQemu) results[2]!.greeting = median(g.greeting[3]!);
    const [ours, withFlags, theirs] = [results[0]!, results[1]!, hasQemu ? results[2]! : null];
    const nodeMs = median(g.node);

    const rows: [string, string, string][] = [
      ['greeting (ms, median)', 'greeting', '<= 2.5x QEMU, <= 2x bare node'],
      ['QMP round trip median (ms)', 'rtMedian', '<= 2x QEMU'],
      ['QMP round trip p99 (ms)', 'rtP99', ''],
      ['CONNECTED latency, first 100 events, median (ms)', 'conCold', ''],
      ['CONNECTED latency median (ms)', 'conMedian', '<= 2x QEMU'],
      ['CONNECTED latency p99 (ms)', 'conP99', ''],
      ['DISCONNECTED latency, first 100 events, median (ms)', 'disCold', ''],
      ['DISCONNECTED latency median (ms)', 'disMedian', '<= 2x QEMU'],
      ['DISCONNECTED latency p99 (ms)', 'disP99', ''],
      ['100,000 frames intake, first run (ms)', 'framesFirst', ''],
      ['100,000 frames intake, median of the next 10 (ms)', 'frames', '<= 3x QEMU'],
      ['RSS at the greeting (MB)', 'rssStart', ''],
      [`RSS growth over ${WINDOW} connect/disconnect cycles after ${WARM_UP} (MB; last quarter less first)`, 'rssCycles', '<= 5 MB'],
      ['RSS during those cycles, lowest-highest of 21 samples (MB)', 'rssCyclesRange', ''],
      [`RSS growth over all ${WARM_UP + WINDOW} cycles, from the greeting (MB)`, 'rssCyclesFromStart', ''],
      [`RSS growth over ${WINDOW} netdev_add/del pairs after ${WARM_UP} (MB; last quarter less first)`, 'rssPairs', '<= 5 MB'],
      ['RSS during those pairs, lowest-highest of 21 samples (MB)', 'rssPairsRange', ''],
      [`RSS growth over all ${WARM_UP + WINDOW} pairs, from before them (MB)`, 'rssPairsFromStart', ''],
      [`${lineMb} MB QMP line (s)`, 'lineSeconds', "<= QEMU's time"],
      ['peak RSS by then (MB)', 'linePeakMb', '<= 200 MB'],
      ['CONNECTED latency during the line (ms, median / max (events); the client writing the line is slowed too)', 'conDuringLine', 'a few ms'],
      ['quit to exit, client connected (ms, median)', 'quit', '<= 50 ms'],
    ];
    const out: string[] = [];
    out.push(`| measure | ${plain.name} | ${flagged.name} | ${hasQemu ? 'QEMU 7.2 | ratio |' : ''} target |`);
    out.push(`|---|---|---|${hasQemu ? '---|---|' : ''}---|`);
    for (const [label, key, target] of rows) {
      const a = ours[key];
      const b = theirs?.[key];
      const ratio = typeof a === 'number' && typeof b === 'number' && b > 0 ? `${(a / b).toFixed(2)}x` : '-';
      out.push(`| ${label} | ${fmt(a)} | ${fmt(withFlags[key])} | ${hasQemu ? `${fmt(b)} | ${ratio} |` : ''} ${target} |`);
    }
    out.push(`| bare \`node -e 0\` (ms, median) | ${fmt(nodeMs)} | | ${hasQemu ? '| |' : ''} greeting / bare node = ${(Number(ours.greeting) / nodeMs).toFixed(2)}x |`);
    out.push(`| greeting from a source checkout (ms, median; its bin checks the bundle is current) | ${fmt(median(g.greeting[2]!))} | | ${hasQemu ? '| |' : ''} |`);
    process.stdout.write(`${out.join('\n')}\n`);
    process.stdout.write(`load average at the end: ${load()}\n`);
    if (!hasQemu) process.stdout.write('(qemu-system-x86_64 not on PATH: no QEMU column)\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
