/**
 * `netdev-sim qemu`: a stand-in QEMU for testing management software. It
 * takes the part of qemu-system's command line that matters here, runs the
 * engine in real time, puts the QMP monitor on a real socket and every
 * stream netdev on real sockets. The engine stays the same pure core; the
 * wall clock and the sockets are adapters in this folder.
 */
import { unlinkSync } from 'node:fs';
import net from 'node:net';
import { initNetdevs, parseNetdevs } from '../core/boot.ts';
import { Engine, QEMU_BINARY } from '../core/engine.ts';
import { inQemuOrder } from '../core/qmp/qdict.ts';
import { QmpJsonStream, qemuJson } from '../core/qmp/json-stream.ts';
import { announceShutdown, SHUTDOWN_EXIT_STATUS } from '../core/qmp/shutdown.ts';
import { schemaChecker } from '../core/qmp/schema-checker.ts';
import { findRelease, NEWEST_RELEASE, RELEASE_NAMES, type Release } from '../core/releases.ts';
import { strerror } from '../core/net/strerror.ts';
import { errnoOf, RealSockets, unixBindErrno } from './real-sockets.ts';

export interface QemuIo {
  err: (text: string) => void;
  /** Waits for signals; returns a function that stops listening. */
  onSignal: (handler: (signal: 'SIGINT' | 'SIGTERM') => void) => () => void;
}

export type QmpEndpoint =
  | { kind: 'unix'; path: string; wait: boolean; spec: string }
  | { kind: 'tcp'; host: string; port: number; wait: boolean; spec: string };

export interface QemuOptions {
  qmp: QmpEndpoint[];
  netdevs: string[];
  release: Release;
  paused: boolean;
  /** -version: print the version and exit. */
  version?: boolean;
}

export class OptionError extends Error {}

const QEMU_PREFIX = `${QEMU_BINARY}: `;

/** The longest delay setTimeout takes (2^31 - 1 ms); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Options QEMU takes with an argument, and the ones that stand alone. */
const WITH_ARGUMENT = new Set(['-qmp', '-netdev', '-M', '-machine', '-display', '--release', '-release']);
const ALONE = new Set(['-nodefaults', '-no-user-config', '-S', '-version']);

/** Parses the command line; throws OptionError with QEMU's style of message. */
export function parseQemuArgs(argv: readonly string[]): QemuOptions {
  const out: QemuOptions = { qmp: [], netdevs: [], release: NEWEST_RELEASE, paused: false };
  for (let i = 0; i < argv.length; i++) {
    let opt = argv[i]!;
    let inline: string | undefined;
    if (opt.startsWith('--') && opt.includes('=')) {
      inline = opt.slice(opt.indexOf('=') + 1);
      opt = opt.slice(0, opt.indexOf('='));
    }
    const norm = opt.startsWith('--') && opt !== '--release' ? opt.slice(1) : opt;
    if (ALONE.has(norm)) {
      if (norm === '-S') out.paused = true;
      if (norm === '-version') out.version = true;
      continue;
    }
    if (!WITH_ARGUMENT.has(norm)) {
      if (!opt.startsWith('-')) throw new OptionError(`${QEMU_PREFIX}${opt}: invalid option`);
      throw new OptionError(`${QEMU_PREFIX}${opt}: invalid option`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new OptionError(`${QEMU_PREFIX}${opt}: requires an argument`);
    switch (norm) {
      case '-qmp':
        out.qmp.push(parseQmpSpec(value));
        break;
      case '-netdev':
        out.netdevs.push(value);
        break;
      case '-M':
      case '-machine': {
        const type = value.split(',')[0]!.replace(/^type=/, '');
        if (type !== 'none') throw new OptionError(`${QEMU_PREFIX}${opt} ${value}: netdev-sim models only -M none (no machine, no NIC)`);
        break;
      }
      case '-display':
        if (value.split(',')[0] !== 'none') throw new OptionError(`${QEMU_PREFIX}-display ${value}: netdev-sim has no display; use -display none`);
        break;
      case '--release':
      case '-release': {
        const r = findRelease(value);
        if (!r) {
          throw new OptionError(
            `${QEMU_PREFIX}--release ${value}: unknown release; modelled releases are ${RELEASE_NAMES.join(', ')}`,
          );
        }
        out.release = r;
        break;
      }
    }
  }
  if (out.qmp.length === 0 && !out.version) throw new OptionError(`${QEMU_PREFIX}no -qmp option: a QMP socket is needed (for example -qmp unix:/tmp/qmp.sock,server=on,wait=off)`);
  return out;
}

function parseQmpSpec(spec: string): QmpEndpoint {
  const fail = (why: string) => new OptionError(`${QEMU_PREFIX}-qmp ${spec}: ${why}`);
  const [where, ...opts] = spec.split(',');
  let server = false;
  let wait = true;
  for (const o of opts) {
    const [k, v = 'on'] = o.split('=');
    const on = v === 'on' || v === 'yes' || v === 'true';
    const off = v === 'off' || v === 'no' || v === 'false';
    if (!on && !off) throw fail(`Parameter '${k}' expects 'on' or 'off'`);
    if (k === 'server') server = on;
    else if (k === 'wait') wait = on;
    else if (k === 'nowait') wait = false;
    else throw fail(`netdev-sim does not model the chardev option '${k}'`);
  }
  if (!server) throw fail('netdev-sim only listens for its QMP client: add server=on');
  if (where!.startsWith('unix:')) {
    const path = where!.slice(5);
    if (path === '') throw fail('invalid Unix socket address');
    return { kind: 'unix', path, wait, spec };
  }
  if (where!.startsWith('tcp:')) {
    const m = /^tcp:(\[[^\]]*\]|[^:]*):(\d+)$/.exec(where!);
    if (!m) throw fail(`error parsing address '${where!.slice(4)}'`);
    const host = m[1]!.replace(/^\[|\]$/g, '');
    return { kind: 'tcp', host: host === '' ? '0.0.0.0' : host, port: Number(m[2]), wait, spec };
  }
  throw fail('netdev-sim supports unix: and tcp: QMP sockets');
}

/** A socket file another process is serving (QEMU itself would take the path over). */
function pathInUse(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function runQemu(argv: readonly string[], io: QemuIo): Promise<number> {
  let opts: QemuOptions;
  try {
    opts = parseQemuArgs(argv);
  } catch (e) {
    if (e instanceof OptionError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (opts.version) {
    // As QEMU prints it (the recorder reads the release from this).
    const r = opts.release;
    const pkg = r.build.package ? ` (${r.build.package})` : '';
    process.stdout.write(`QEMU emulator version ${r.major}.${r.minor}.${r.build.micro}${pkg}\nCopyright (c) 2003-2022 Fabrice Bellard and the QEMU Project developers\n`);
    return 0;
  }

  const t0 = performance.now();
  const now = () => performance.now() - t0;
  let timer: NodeJS.Timeout | null = null;
  let shuttingDown = false;
  let engine!: Engine;
  let sockets!: RealSockets;
  const kick = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (shuttingDown) return;
    engine.runThrough(now());
    const next = engine.nextTaskAt();
    // Node's timers hold at most 2^31-1 ms; a later task is looked at again then.
    if (next !== null) timer = setTimeout(kick, Math.min(MAX_TIMER_MS, Math.max(0, next - now())));
  };
  const enter = <T>(fn: () => T): T => {
    engine.runThrough(now());
    const r = fn();
    kick();
    return r;
  };
  engine = new Engine({
    release: opts.release,
    checker: schemaChecker,
    epochSeconds: 0,
    epochMicros: Date.now() * 1000,
    sockets: (host) => (sockets = new RealSockets(host, { enter })),
  });

  // QEMU parses -netdev options with the rest of its command line, before
  // any socket exists; a bad option stops it there.
  const parsed = parseNetdevs(engine, opts.netdevs);
  if (parsed.ok === 'declined') {
    io.err(`${QEMU_PREFIX}-netdev ${opts.netdevs[parsed.index]}: ${parsed.message}\n`);
    return 1;
  }
  if (parsed.ok === false) {
    io.err(`${parsed.line}\n`);
    return 1;
  }

  // The QMP sockets come next, as QEMU creates chardevs before netdevs.
  const servers: { server: net.Server; endpoint: QmpEndpoint }[] = [];
  let client: net.Socket | null = null;
  const waiting: net.Socket[] = [];
  let done: (status: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (done = resolve));
  let stopSignals: () => void = () => {};

  const write = (msg: unknown) => {
    if (client && !client.destroyed) client.write(`${qemuJson(msg)}\r\n`);
  };
  engine.eventSink = write;

  const shutdown = (status: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (timer) clearTimeout(timer);
    engine.exit();
    sockets.closeAll();
    for (const s of [client, ...waiting]) s?.end();
    for (const { server, endpoint } of servers) {
      server.close();
      if (endpoint.kind === 'unix') {
        try {
          unlinkSync(endpoint.path);
        } catch {
          // libuv removed it already.
        }
      }
    }
    stopSignals();
    setImmediate(() => done(status));
  };

  const serveClient = (socket: net.Socket) => {
    client = socket;
    const stream = new QmpJsonStream();
    enter(() => write(engine.monitor.greeting()));
    socket.on('data', (bytes: Buffer) => {
      for (const item of stream.feed(bytes)) {
        if (shuttingDown) return;
        if (!item.ok) {
          write(inQemuOrder({ error: { class: 'GenericError', desc: item.error } }));
          continue;
        }
        const reply = enter(() => engine.monitor.handle(item.value));
        if (reply !== null) write(reply);
        // quit: the core sent SHUTDOWN before this reply; now exit.
        if (engine.monitor.quitRequested) {
          shutdown(SHUTDOWN_EXIT_STATUS);
          return;
        }
      }
    });
    const gone = () => {
      if (client !== socket) return;
      client = null;
      enter(() => engine.monitor.disconnect());
      const next = waiting.shift();
      if (next && !shuttingDown) serveClient(next);
    };
    socket.on('close', gone);
    socket.on('error', () => socket.destroy());
  };

  for (const endpoint of opts.qmp) {
    if (endpoint.kind === 'unix' && (await pathInUse(endpoint.path))) {
      io.err(`${QEMU_PREFIX}-qmp ${endpoint.spec}: socket path ${endpoint.path} is in use by another process\n`);
      shutdown(1);
      return finished;
    }
    if (endpoint.kind === 'unix') {
      try {
        unlinkSync(endpoint.path);
      } catch {
        // Nothing stale to remove.
      }
    }
    const server = net.createServer((socket) => {
      if (client || shuttingDown) waiting.push(socket);
      else serveClient(socket);
    });
    const bound = await new Promise<unknown>((resolve) => {
      server.once('error', resolve);
      if (endpoint.kind === 'unix') server.listen({ path: endpoint.path }, () => resolve(null));
      else server.listen({ host: endpoint.host, port: endpoint.port }, () => resolve(null));
    });
    if (bound !== null) {
      const why =
        endpoint.kind === 'unix'
          ? `Failed to bind socket to ${endpoint.path}: ${strerror(unixBindErrno(endpoint.path, bound))}`
          : `Failed to find an available port: ${strerror(errnoOf(bound))}`;
      io.err(`${QEMU_PREFIX}-qmp ${endpoint.spec}: ${why}\n`);
      shutdown(1);
      return finished;
    }
    server.on('error', () => {});
    servers.push({ server, endpoint });
  }

  stopSignals = io.onSignal((signal) => {
    io.err(`${QEMU_PREFIX}terminating on signal ${signal === 'SIGINT' ? 2 : 15}\n`);
    enter(() => announceShutdown(engine, 'host-signal'));
    shutdown(0);
  });

  // With wait=on QEMU waits for its QMP client before going on.
  const waited = opts.qmp.find((q) => q.wait);
  if (waited) {
    io.err(`QEMU waiting for connection on: disconnected:${waited.spec.split(',')[0]},server=on\n`);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (client || shuttingDown) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
  }

  engine.stderrSink = (line) => io.err(`${line}\n`);
  const boot = enter(() => initNetdevs(engine, parsed.netdevs));
  if (boot.ok !== true) {
    if (boot.ok === false) io.err(`${boot.line}\n`);
    shutdown(1);
    return finished;
  }
  kick();
  return finished;
}
