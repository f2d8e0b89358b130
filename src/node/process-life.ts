/**
 * The stand-in's life as a process, QEMU's way: stderr lines with -msg's
 * timestamp and guest name, the pid file (written, locked, removed at
 * exit), -daemonize (the parent returns once QMP is ready), and who sent
 * a terminating signal.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync, ftruncateSync } from 'node:fs';
import { QEMU_BINARY } from '../core/engine.ts';
import { strerror } from '../core/net/strerror.ts';
import { errnoName, nativeHelper } from './native.ts';
import { STAND_IN_NODE_FLAGS } from './node-flags.ts';

/** error_vreport()'s prefixes: "2026-11-30T21:39:14.577561Z " with -msg timestamp=on, then the guest name. */
export function messagePrefix(timestamps: boolean, guestName: string | null): string {
  let p = '';
  if (timestamps) {
    const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    const iso = new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19);
    p += `${iso}.${String(micros % 1_000_000).padStart(6, '0')}Z `;
  }
  if (guestName !== null) p += `${guestName} `;
  return p;
}

/** qemu_get_pid_name(): the sender's argv[0] from /proc, or null. */
export function processName(pid: number): string | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    const first = raw.split('\0')[0] ?? '';
    return first;
  } catch {
    return null;
  }
}

/** QEMU's line for a terminating signal (qemu_kill_report). */
export function killReport(signo: number, pid: number): string {
  if (pid === 0) return `${QEMU_BINARY}: terminated by signal ${signo}`;
  return `${QEMU_BINARY}: terminating on signal ${signo} from pid ${pid} (${processName(pid) ?? '<unknown process>'})`;
}

export const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
export type TermSignal = keyof typeof SIGNALS;

/**
 * Listens for SIGINT and SIGTERM and learns their sender (native helper);
 * returns a function that stops listening.
 */
export function onTermSignal(handler: (signal: TermSignal, senderPid: number) => void, warn: (t: string) => void): () => void {
  const native = nativeHelper(warn);
  const f = (signal: NodeJS.Signals) => {
    const s: TermSignal = signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
    handler(s, native ? native.lastSender(SIGNALS[s]) : 0);
  };
  process.on('SIGINT', f);
  process.on('SIGTERM', f);
  // After Node's own handler is in place: ours records si_pid, then calls Node's.
  if (native) for (const n of Object.values(SIGNALS)) native.watchSender(n);
  return () => {
    process.off('SIGINT', f);
    process.off('SIGTERM', f);
  };
}

/**
 * Under `npm exec`/npx the stand-in runs as npm's shell's child: npm
 * forwards SIGINT/SIGTERM to that shell, not here. So the stand-in asks
 * for SIGTERM when its parent dies (PR_SET_PDEATHSIG), and, under npm,
 * watches npm itself: when either goes, it shuts down as on SIGTERM
 * (`onGone` gets the pid that went) instead of living on as an orphan.
 */
export function exitWithParent(onGone: (pid: number) => void): () => void {
  nativeHelper()?.parentDeathSignal(SIGNALS.SIGTERM);
  if (process.env.npm_command !== 'exec' && process.env.npm_lifecycle_event !== 'npx') return () => {};
  const parent = process.ppid;
  const npm = parentOf(parent);
  if (npm === null || npm <= 1) return () => {};
  const timer = setInterval(() => {
    if (process.ppid !== parent || !exists(npm)) {
      clearInterval(timer);
      onGone(exists(npm) ? parent : npm);
    }
  }, 20);
  timer.unref();
  return () => clearInterval(timer);
}

function parentOf(pid: number): number | null {
  try {
    // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** qemu_write_pidfile(): created, locked, truncated, the pid written; null or QEMU's message. */
export function writePidfile(path: string): { fd: number } | { error: string } {
  let fd: number;
  try {
    fd = openSync(path, 'a', 0o600);
  } catch (e) {
    return { error: `${QEMU_BINARY}: cannot create PID file: Could not create '${path}': ${strerror((e as NodeJS.ErrnoException).code ?? 'EIO')}` };
  }
  const native = nativeHelper();
  if (native) {
    const r = native.lockFile(fd);
    if (r < 0) {
      closeSync(fd);
      return { error: `${QEMU_BINARY}: cannot create PID file: Cannot lock pid file: ${strerror(errnoName(r))}` };
    }
  }
  ftruncateSync(fd, 0);
  writeSync(fd, `${process.pid}\n`, 0);
  return { fd };
}

export function removePidfile(path: string, fd: number): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
}

/** Set in the daemon child: the fd on which it says it is ready. */
export const DAEMON_ENV = 'NETDEV_SIM_DAEMON_READY_FD';

/**
 * -daemonize, parent side: runs the same command as a detached child and
 * relays its stderr until the child is ready (QMP listening, netdevs
 * created); then returns 0, as QEMU's parent exits once its child has set
 * up. A child that fails first passes on its messages and status.
 */
export async function daemonize(argv: readonly string[], err: (t: string) => void): Promise<number> {
  // Loaded here: a stand-in that does not daemonize never needs them (start-up time).
  const [{ spawn }, { isSea }] = await Promise.all([import('node:child_process'), import('node:sea')]);
  return new Promise((resolve) => {
    // A single executable is its own script (its argv[1] is the name it was
    // started by) and brings its own Node flags; a script gets the stand-in's.
    const flags = STAND_IN_NODE_FLAGS.filter((f) => !process.execArgv.includes(f));
    const script = isSea() ? [] : [...flags, ...process.execArgv, process.argv[1]!];
    const child = spawn(process.execPath, [...script, 'qemu', ...argv], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      env: { ...process.env, [DAEMON_ENV]: '3' },
    });
    let done = false;
    const finish = (status: number) => {
      if (done) return;
      done = true;
      child.stderr!.removeAllListeners('data');
      child.stderr!.destroy();
      (child.stdio[3] as NodeJS.ReadableStream & { destroy(): void }).destroy();
      child.unref();
      resolve(status);
    };
    child.stderr!.on('data', (b: Buffer) => err(b.toString('utf8')));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', () => finish(0));
    child.on('exit', (code, signal) => finish(code ?? (signal ? 1 : 0)));
  });
}

/** -daemonize, child side: ready; stderr goes quiet and the working directory becomes /, as in QEMU. */
export function daemonReady(): boolean {
  const fd = Number(process.env[DAEMON_ENV]);
  if (!Number.isInteger(fd) || fd <= 0) return false;
  delete process.env[DAEMON_ENV];
  // As os_setup_post(): the working directory is / before the parent hears "ready".
  process.chdir('/');
  process.stderr.on('error', () => {});
  try {
    writeSync(fd, 'ready\n');
    closeSync(fd);
  } catch {
    // The parent is gone.
  }
  return true;
}

export function isDaemonChild(): boolean {
  return process.env[DAEMON_ENV] !== undefined;
}

