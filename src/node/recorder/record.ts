/**
 * Records a scenario on a real QEMU (or anything that behaves like one):
 * starts it with the conformance command line and the scenario's netdevs,
 * negotiates QMP, runs the steps on the spec's timeline with real peers,
 * and returns the transcript and QEMU's stderr in the conformance format
 * (content/conformance/README.md).
 *
 * The final `quit` the recorder sends after the last window is not part of
 * the transcript. A scenario whose last step is `quit` keeps its reply,
 * the SHUTDOWN event and QEMU's exit (`{"exit":0}`, the last line).
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { SocketAddress } from '../../core/net/address.ts';
import { schemaChecker } from '../../core/qmp/schema-checker.ts';
import type { Scenario } from '../../core/scenario/schema.ts';
import { timeline } from '../../core/scenario/timeline.ts';
import type { TranscriptLine } from '../../core/transcript/format.ts';
import { hexToBytes } from '../../core/util/hex.ts';
import { bindInto, CommandError, type QemuCommand } from './command.ts';
import { RealPeers } from './peers.ts';
import { isEvent, isGreeting, isReply, QmpClient } from './qmp-client.ts';
import { makeRemap } from './remap.ts';

/** The options every recording starts QEMU with (before the scenario's -netdev options). */
export function qemuArguments(qmpPath: string): string[] {
  return ['-M', 'none', '-nodefaults', '-no-user-config', '-display', 'none', '-qmp', `unix:${qmpPath},server=on,wait=off`];
}

export interface QemuBuild {
  /** MAJOR.MINOR, the release the engine models. */
  release: string;
  /** MAJOR.MINOR.MICRO. */
  version: string;
  /** The greeting's package string, e.g. "Debian 1:7.2+dfsg-7+deb12u18+b3". */
  package: string;
}

export interface Recorded {
  /** The transcript, with the scenario's own paths and ports. */
  lines: TranscriptLine[];
  /** The stderr sidecar: QEMU's stderr and the recorder's lines. */
  stderr: string;
  /** What QEMU said it is (greeting, or `--version` when it never greeted); null if unknown. */
  build: QemuBuild | null;
  /** QEMU refused to start: the transcript is the one exit line. */
  refused: boolean;
  /** Things the recorder tolerated or noticed, for the user (not part of the recording). */
  notes: string[];
}

export interface RecordOptions {
  command: QemuCommand;
  /** Keep the scenario's paths and ports instead of private ones. */
  keepNames?: boolean;
  /** How long QEMU may take to create its QMP socket and greet (ms). */
  startTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** QEMU's own refusal among its stderr lines: the first that is not a warning. */
function refusalLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  return lines.find((l) => !/^[^:]*: warning: /.test(l)) ?? lines[lines.length - 1] ?? '';
}

export function buildFromGreeting(msg: unknown): QemuBuild | null {
  if (!isGreeting(msg)) return null;
  const q = msg.QMP.version?.qemu;
  if (!q || typeof q.major !== 'number') return null;
  return { release: `${q.major}.${q.minor}`, version: `${q.major}.${q.minor}.${q.micro}`, package: msg.QMP.version.package ?? '' };
}

/** `QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)` from `CMD --version`. */
export function buildFromVersionText(text: string): QemuBuild | null {
  const m = /version (\d+)\.(\d+)\.(\d+)(?:\s*\(([^)]*)\))?/.exec(text);
  if (!m) return null;
  return { release: `${m[1]}.${m[2]}`, version: `${m[1]}.${m[2]}.${m[3]}`, package: m[4] ?? '' };
}

export function askVersion(command: QemuCommand): QemuBuild | null {
  const [program, ...rest] = command.words;
  const r = spawnSync(program!, [...rest, '--version'], { encoding: 'utf8', timeout: 30_000 });
  return buildFromVersionText(`${r.stdout ?? ''}`);
}

export async function record(scenario: Scenario, options: RecordOptions): Promise<Recorded> {
  const remap = await makeRemap(scenario, { keep: options.keepNames ?? false });
  const undo: (() => void)[] = [() => remap.remove()];
  try {
    if (options.command.chrootRoot) for (const d of remap.dirs) undo.unshift(bindInto(options.command.chrootRoot, d.to));
    const r = await recordIn(remap.forward(scenario), remap.simDir, options);
    return { ...r, lines: remap.back(r.lines), stderr: remap.back(r.stderr) };
  } finally {
    for (const u of undo) u();
  }
}

async function recordIn(s: Scenario, simDir: string, options: RecordOptions): Promise<Omit<Recorded, never>> {
  const qmpPath = join(simDir, 'qmp.sock');
  const [program, ...lead] = options.command.words;
  const args = [...lead, ...qemuArguments(qmpPath), ...s.netdevs.flatMap((nd) => ['-netdev', schemaChecker.dottedOptions(nd)])];
  const notes: string[] = [];
  let stderr = '';
  const note = (line: string) => {
    // Keep a line QEMU is half-way through writing whole.
    stderr += stderr === '' || stderr.endsWith('\n') ? `${line}\n` : `\n${line}\n`;
  };
  // QEMU runs in the recorder's directory (a command such as `npx netdev-sim
  // qemu` finds its program from there); a relative socket path in a
  // scenario is relative to it, for QEMU and peers alike.
  const child = spawn(program!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (t: string) => (stderr += t));
  // Widened so the checks below do not narrow it: the exit handler sets it later.
  let exitCode = null as number | null;
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', (e) => reject(new CommandError(`cannot run ${options.command.text}: ${e.message}`)));
    child.once('exit', (code, signal) => {
      exitCode = code ?? 128 + (signal ? (({ SIGKILL: 9, SIGTERM: 15, SIGSEGV: 11, SIGABRT: 6 }) as Record<string, number>)[signal] ?? 0 : 0);
      resolve(exitCode);
    });
  });
  // Wait for exit asynchronously only once; a failed spawn rejects here.
  const exitOrWait = (ms: number) => Promise.race([exited, sleep(ms).then(() => 'wait' as const)]);
  const peers = new RealPeers(note, process.cwd());
  let qmp: QmpClient | null = null;
  const stderrDone = new Promise<void>((r) => child.stderr.once('end', () => r()));
  const refused = async (why: string): Promise<Recorded> => {
    const code = await exited;
    await Promise.race([stderrDone, sleep(1000)]);
    note(`[recorder] qemu exit status ${code} (${why})`);
    const build = askVersion(options.command);
    return { lines: [{ exit: code, stderr: refusalLine(stderr) }], stderr, build, refused: true, notes };
  };
  try {
    // The QMP socket, or QEMU giving up first.
    const started = performance.now();
    const timeout = options.startTimeoutMs ?? 30_000;
    while (!qmp) {
      if ((await exitOrWait(10)) !== 'wait') return await refused('QMP socket never accepted');
      qmp = await QmpClient.connect(qmpPath);
      if (!qmp && performance.now() - started > timeout) {
        throw new CommandError(`${options.command.text} did not create its QMP socket within ${timeout / 1000} s; stderr: ${stderr.trim()}`);
      }
    }
    // The greeting. 11.1 once sent a RESUME event before it (a start-up race,
    // content/conformance/README.md): it is left out of the transcript.
    let greeting: unknown;
    for (;;) {
      greeting = await qmp.next((m) => isGreeting(m) || isEvent(m), timeout);
      if (greeting === 'closed') return await refused('no QMP greeting');
      if (greeting === 'timeout') throw new CommandError(`${options.command.text} accepted the QMP connection but sent no greeting within ${timeout / 1000} s`);
      if (isGreeting(greeting)) break;
      if (isEvent(greeting, 'RESUME') && qmp.lines.length === 1) {
        qmp.lines.shift();
        notes.push('QEMU sent a RESUME event before its greeting (a start-up race, see content/conformance/README.md); left out of the transcript');
      }
    }
    const build = buildFromGreeting(greeting);
    const caps = qmp.next(isReply, 10_000);
    qmp.send({ execute: 'qmp_capabilities' });
    if ((await caps) === 'closed') throw new CommandError(`${options.command.text} closed the QMP connection during negotiation`);
    const t0 = performance.now();
    const tl = timeline(s.steps);
    let quitSent = false;
    for (const [i, step] of s.steps.entries()) {
      await sleep(t0 + tl.starts[i]! - performance.now());
      const st = step as Record<string, unknown>;
      if ('wait' in st) continue;
      if ('qmp' in st) {
        if (qmp.closed) {
          note('[recorder] QMP connection closed; command not sent');
          continue;
        }
        const req = st.qmp as { execute?: unknown };
        if (req && typeof req === 'object' && req.execute === 'quit') quitSent = true;
        qmp.send(st.qmp);
        continue;
      }
      const name = st.peer as string;
      if ('listen' in st) peers.listen(name, st.listen as SocketAddress);
      else if ('connect' in st) peers.connect(name, st.connect as SocketAddress);
      else if ('send' in st) peers.send(name, hexToBytes(st.send as string), true);
      else if ('send-raw' in st) peers.send(name, hexToBytes(st['send-raw'] as string), false);
      else if ('close' in st) peers.close(name);
    }
    // The last window: up to the end of the timeline, or QEMU exiting after the scenario's quit.
    const left = t0 + tl.end - performance.now();
    const early = quitSent ? await exitOrWait(left) : (await sleep(left), 'wait');
    void early;
    if (exitCode === null) {
      // The recorder's own quit: not part of the recording.
      qmp.frozen = true;
      if (!qmp.closed) qmp.send({ execute: 'quit' });
      if ((await exitOrWait(5000)) === 'wait') {
        child.kill('SIGKILL');
        await exited;
        notes.push('QEMU did not exit within 5 s of quit and was killed');
      }
      qmp.destroy();
    } else {
      // QEMU went away during the scenario: everything it sent, then its exit.
      await qmp.waitClosed(2000);
      qmp.frozen = true;
      qmp.lines.push({ exit: exitCode });
      if (!quitSent) note(`[recorder] qemu exit status ${exitCode}`);
    }
    await Promise.race([stderrDone, sleep(1000)]);
    if (qmp.garbage.length > 0) notes.push(`QEMU sent ${qmp.garbage.length} line(s) that are not JSON: ${qmp.garbage[0]}`);
    return { lines: qmp.lines, stderr, build, refused: false, notes };
  } finally {
    peers.closeAll();
    qmp?.destroy();
    if (exitCode === null && child.exitCode === null && child.pid !== undefined) {
      child.kill('SIGKILL');
      await Promise.race([exited.catch(() => 0), sleep(2000)]);
    }
  }
}
