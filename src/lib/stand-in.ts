/**
 * The stand-in QEMU (`netdev-sim qemu`) as a function, for test suites that
 * manage stream netdevs: no child process, no signal handlers unless asked,
 * never process.exit. Its QMP monitor and netdevs are on the host's real
 * sockets, exactly as with the command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQemu } from '../node/qemu.ts';
import type { QmpEvent } from './types.ts';

export interface StandInOptions {
  /** The QEMU release to model ("7.2" … "11.1"); default the newest. */
  release?: string;
  /** -netdev values, e.g. "stream,id=n0,server=on,addr.type=unix,addr.path=/tmp/n0.sock". */
  netdevs?: string[];
  /** Where QMP listens: a unix socket path, or a host and port; default a socket in a new temporary directory. */
  qmp?: string | { host: string; port: number };
  /** More of qemu-system's command line, as for `netdev-sim qemu` (e.g. ["-S", "-name", "guest1"]). */
  args?: string[];
  /** Receives what QEMU writes on stderr; default: kept, see stderr(). */
  stderr?: (text: string) => void;
  /** Shut down on SIGINT/SIGTERM and when the parent process dies, as the command does (default false). */
  handleSignals?: boolean;
}

export interface StandIn {
  /** The QMP monitor's address, as a SocketAddress. */
  readonly qmp: { type: 'unix'; path: string } | { type: 'inet'; host: string; port: string };
  /** Every event QEMU emitted so far, oldest first. */
  readonly events: readonly QmpEvent[];
  /**
   * The oldest event named `name` (and matching `where`) that no earlier
   * call returned; waits for one if there is none. Rejects after `timeoutMs`
   * (default 10 s) or when the stand-in exits first.
   */
  waitForEvent(name: string, options?: { where?: (data: Record<string, unknown>) => boolean; timeoutMs?: number }): Promise<QmpEvent>;
  /** What QEMU wrote on stderr (when no stderr option was given). */
  stderr(): string;
  /** Shuts down as on SIGTERM (SHUTDOWN event, sockets closed, socket files removed); resolves to the exit status. */
  stop(): Promise<number>;
  /** Resolves to the exit status when the stand-in ends (stop(), or a client's `quit`). */
  readonly exited: Promise<number>;
}

const REFUSED = new Set(['-daemonize', '-qmp', '-chardev', '-mon', '--release', '-version', '--version']);

/** Starts a stand-in QEMU in this process; resolves once its QMP socket listens and its netdevs exist. */
export function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const extra = options.args ?? [];
  const bad = extra.find((a) => REFUSED.has(a));
  if (bad !== undefined) return Promise.reject(new TypeError(`startStandIn: ${bad} is not taken in args (use the options; -daemonize cannot work in-process)`));

  let tmp: string | null = null;
  let qmp: StandIn['qmp'];
  let qmpArg: string;
  if (options.qmp === undefined || typeof options.qmp === 'string') {
    if (options.qmp === undefined) tmp = mkdtempSync(join(tmpdir(), 'netdev-sim-'));
    const path = options.qmp ?? join(tmp!, 'qmp.sock');
    qmp = { type: 'unix', path };
    qmpArg = `unix:${path},server=on,wait=off`;
  } else {
    const { host, port } = options.qmp;
    qmp = { type: 'inet', host, port: String(port) };
    qmpArg = `tcp:${host.includes(':') ? `[${host}]` : host}:${port},server=on,wait=off`;
  }
  const argv = ['-M', 'none', '-nodefaults', '-display', 'none', '-qmp', qmpArg, ...(options.release ? ['--release', options.release] : [])];
  for (const nd of options.netdevs ?? []) argv.push('-netdev', nd);
  argv.push(...extra);

  let err = '';
  const write = options.stderr ?? ((t: string) => void (err += t));
  const events: QmpEvent[] = [];
  const taken = new Set<QmpEvent>();
  const waiters = new Set<() => void>();
  let stopper: (() => void) | null = null;
  let ended = false;

  return new Promise<StandIn>((resolve, reject) => {
    const exited = runQemu(argv, { err: write, out: write }, {
      signals: options.handleSignals ?? false,
      onEvent: (msg) => {
        events.push(msg as unknown as QmpEvent);
        for (const w of [...waiters]) w();
      },
      onReady: (stop) => {
        stopper = stop;
        resolve(handle);
      },
    }).then(
      (status) => {
        ended = true;
        if (tmp) rmSync(tmp, { recursive: true, force: true });
        for (const w of [...waiters]) w();
        if (!stopper) reject(new Error(`the stand-in did not start (exit status ${status})${err ? `: ${err.trim()}` : ''}`));
        return status;
      },
      (e: unknown) => {
        // Only before start-up can this happen (the stand-in reports later failures itself).
        ended = true;
        if (tmp) rmSync(tmp, { recursive: true, force: true });
        reject(e instanceof Error ? e : new Error(String(e)));
        return 70;
      },
    );

    const handle: StandIn = {
      qmp,
      events,
      exited,
      stderr: () => err,
      stop() {
        if (!ended) stopper?.();
        return exited;
      },
      waitForEvent(name, { where, timeoutMs = 10_000 } = {}) {
        return new Promise<QmpEvent>((ok, fail) => {
          const check = () => {
            const hit = events.find((e) => e.event === name && !taken.has(e) && (!where || where(e.data ?? {})));
            if (hit) {
              done();
              taken.add(hit);
              ok(hit);
            } else if (ended) {
              done();
              fail(new Error(`the stand-in exited before ${name}`));
            }
          };
          const timer = setTimeout(() => {
            done();
            fail(new Error(`no ${name} within ${timeoutMs} ms`));
          }, timeoutMs);
          const done = () => {
            clearTimeout(timer);
            waiters.delete(check);
          };
          waiters.add(check);
          check();
        });
      },
    };
  });
}
