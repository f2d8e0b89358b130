/**
 * `netdev-sim qemu`: a stand-in QEMU for testing management software. It
 * takes the part of qemu-system's command line that matters here
 * (qemu-options.ts, libvirt's form included), runs the engine in real
 * time, puts each QMP monitor on a real socket (qmp-server.ts) and every
 * stream netdev on real sockets (real-sockets.ts), and lives and dies as
 * QEMU does (process-life.ts): SHUTDOWN before quit's reply, every socket
 * closed and its file removed, exit status 0 within milliseconds.
 *
 * It keeps no history (the engine's outputs are off and deleted netdevs
 * forgotten) unless --record asks for the session (session-record.ts).
 */
import { initNetdevs, parseNetdevs } from '../core/boot.ts';
import { Engine, QEMU_BINARY } from '../core/engine.ts';
import { announceShutdown, SHUTDOWN_EXIT_STATUS } from '../core/qmp/shutdown.ts';
import { schemaChecker } from '../core/qmp/schema-checker.ts';
import { setNativeWarning } from './backlog-listener.ts';
import { OptionError, parseQemuArgs, type QemuOptions } from './qemu-options.ts';
import {
  daemonize,
  daemonReady,
  exitWithParent,
  isDaemonChild,
  killReport,
  messagePrefix,
  onTermSignal,
  removePidfile,
  SIGNALS,
  writePidfile,
} from './process-life.ts';
import { QmpServer } from './qmp-server.ts';
import { RealSockets } from './real-sockets.ts';
import { SessionRecorder } from './session-record.ts';

export interface QemuIo {
  err: (text: string) => void;
  out?: (text: string) => void;
}

const QEMU_PREFIX = `${QEMU_BINARY}: `;

/** The longest delay setTimeout takes (2^31 - 1 ms); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export { parseQemuArgs, OptionError };

/** For running the stand-in inside another program (src/lib/stand-in.ts). */
export interface QemuHooks {
  /** Listen for SIGINT and SIGTERM and follow the parent process, as the command does (default true). */
  signals?: boolean;
  /** Every event QEMU emits, as its monitors' clients get it. */
  onEvent?: (msg: Record<string, unknown>) => void;
  /** The monitors listen and the netdevs exist; `stop` ends the stand-in as SIGTERM from this process would. */
  onReady?: (stop: () => void) => void;
}

/** Runs the stand-in; resolves to the exit status once everything is closed. */
export async function runQemu(argv: readonly string[], io: QemuIo, hooks: QemuHooks = {}): Promise<number> {
  let opts: QemuOptions;
  try {
    opts = parseQemuArgs(argv);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    io.err(`${e.timestamped ? messagePrefix(true, null) : ''}${e.message}\n`);
    return 1;
  }
  if (opts.version) {
    // As QEMU prints it (the recorder reads the release from this).
    const r = opts.release;
    const pkg = r.build.package ? ` (${r.build.package})` : '';
    (io.out ?? ((t: string) => process.stdout.write(t)))(
      `QEMU emulator version ${r.major}.${r.minor}.${r.build.micro}${pkg}\nCopyright (c) 2003-2022 Fabrice Bellard and the QEMU Project developers\n`,
    );
    return 0;
  }
  if (opts.daemonize && !isDaemonChild()) return daemonize(argv, io.err);

  let quiet = false;
  const guest = opts.guestNameInMessages ? opts.name : null;
  const line = (text: string) => {
    if (!quiet) io.err(`${messagePrefix(opts.timestamps, guest)}${text}\n`);
  };
  setNativeWarning((t) => {
    if (!quiet) io.err(t);
  });

  const t0 = performance.now();
  const now = () => performance.now() - t0;
  let timer: NodeJS.Timeout | null = null;
  let shuttingDown = false;
  const kick = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (shuttingDown) return;
    engine.runThrough(now());
    const next = engine.nextTaskAt();
    // Node's timers hold at most 2^31-1 ms; a later task is looked at again then.
    if (next !== null) timer = setTimeout(kick, Math.min(MAX_TIMER_MS, Math.max(0, next - now())));
  };
  // Work the callback queued for now (an accept, a read) runs at once, as
  // QEMU's main loop would run it next, not a timer tick later.
  const enter = <T>(fn: () => T): T => {
    engine.runThrough(now());
    const r = fn();
    if (!shuttingDown) engine.runThrough(now());
    kick();
    return r;
  };
  let sockets!: RealSockets;
  const engine: Engine = new Engine({
    release: opts.release,
    checker: schemaChecker,
    epochSeconds: 0,
    epochMicros: Date.now() * 1000,
    keepOutputs: false,
    sockets: (host) => (sockets = new RealSockets(host, { enter })),
  });
  const recorder = opts.record ? new SessionRecorder(opts, () => now()) : null;

  // QEMU parses -netdev options with the rest of its command line, before
  // any socket exists; a bad option stops it there.
  const parsed = parseNetdevs(engine, opts.netdevs);
  if (parsed.ok === 'declined') {
    line(`${QEMU_PREFIX}-netdev ${opts.netdevs[parsed.index]}: ${parsed.message}`);
    return 1;
  }
  if (parsed.ok === false) {
    line(parsed.line);
    return 1;
  }

  let pidfile: { path: string; fd: number } | null = null;
  if (opts.pidfile !== null) {
    const r = writePidfile(opts.pidfile);
    if ('error' in r) {
      line(r.error);
      return 1;
    }
    pidfile = { path: opts.pidfile, fd: r.fd };
  }

  let done: (status: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (done = resolve));
  const servers: QmpServer[] = [];
  let stopSignals: () => void = () => {};

  const shutdown = (status: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (timer) clearTimeout(timer);
    engine.exit();
    sockets.closeAll();
    stopSignals();
    if (pidfile) removePidfile(pidfile.path, pidfile.fd);
    recorder?.finish(status);
    void Promise.all(servers.map((s) => s.close())).then(() => done(status));
  };

  // The QMP sockets come next, as QEMU creates chardevs before netdevs.
  for (const spec of opts.monitors) {
    const server = new QmpServer(engine, spec, {
      enter,
      onQuit: () => shutdown(SHUTDOWN_EXIT_STATUS),
      ...(recorder && servers.length === 0 ? { onMessage: (dir, msg, client) => recorder.qmp(dir, msg, client) } : {}),
    });
    const why = await server.listen();
    if (why !== null) {
      line(`${QEMU_PREFIX}${spec.location}: ${why}`);
      shutdown(1);
      return finished;
    }
    servers.push(server);
  }
  engine.eventTap = (msg) => {
    for (const s of servers) s.deliver(msg);
    hooks.onEvent?.(msg);
  };

  const terminate = (signo: number, pid: number) => {
    if (shuttingDown) return;
    line(killReport(signo, pid));
    enter(() => announceShutdown(engine, 'host-signal'));
    shutdown(SHUTDOWN_EXIT_STATUS);
  };
  const signals = hooks.signals ?? true;
  const stopTermSignals = signals ? onTermSignal((signal, pid) => terminate(SIGNALS[signal], pid), (t) => io.err(t)) : () => {};
  // A daemon's parent exits on purpose; only a foreground stand-in follows its parent.
  const stopWatchingParent = !signals || isDaemonChild() ? () => {} : exitWithParent((pid) => terminate(SIGNALS.SIGTERM, pid));
  stopSignals = () => {
    stopTermSignals();
    stopWatchingParent();
  };

  // With wait=on QEMU waits for a client of that socket before going on.
  for (const s of servers.filter((x) => x.spec.wait)) {
    line(`${QEMU_PREFIX}${s.spec.location}: info: QEMU waiting for connection on: disconnected:${s.spec.filename}`);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (s.busy || shuttingDown) {
          clearInterval(check);
          resolve();
        }
      }, 2);
    });
  }

  engine.stderrSink = (text) => line(text);
  if (recorder) recorder.watch(engine, sockets);
  const boot = enter(() => initNetdevs(engine, parsed.netdevs));
  if (boot.ok !== true) {
    if (boot.ok === false) line(boot.line);
    shutdown(1);
    return finished;
  }
  kick();
  if (isDaemonChild() && daemonReady()) quiet = true;
  hooks.onReady?.(() => terminate(SIGNALS.SIGTERM, process.pid));
  return finished;
}
