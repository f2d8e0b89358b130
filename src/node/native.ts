/**
 * The stand-in's native helper (native/netdev-sim.c and loop.c, built into
 * build/native/netdev-sim.node by scripts/build-native.mjs), loaded once;
 * native-loop.ts drives its poll handles.
 * Without it the stand-in still runs, on Node's own sockets: it says so on
 * stderr once, and then every connection is accepted at once (no kernel
 * backlog refusals), the pid file is not locked, and a signal's sender is
 * not known.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';

export interface NativeHelper {
  listenUnix(sunPath: Uint8Array, backlog: number): { fd: number } | { stage: 'socket' | 'bind' | 'listen'; errno: number };
  listenInet(host: string, port: number, backlog: number, v6only: boolean): { fd: number } | { stage: 'socket' | 'bind' | 'listen'; errno: number };
  accept(fd: number): number;
  /** getpeername() of a connected inet socket, or -errno. */
  peerName(fd: number): { address: string; port: number; family: 4 | 6 } | number;
  close(fd: number): number;
  /**
   * The callbacks for every report, which Node's event loop calls as it
   * calls its own handles' (native-loop.ts): a listener is readable; `n`
   * bytes of a connection were read into `buffer` (0: end-of-file, -errno).
   */
  start(onReadable: (id: number) => void, onRead: (id: number, n: number) => void, buffer: Uint8Array): number;
  /** An id for watching a listening `fd`, or -errno. */
  watch(fd: number): number;
  /** Reports the listener `id` once, as soon as its fd is readable; 0 or -errno. */
  arm(id: number): number;
  /** An id for reading a connection's `fd` from now on, or -errno. */
  readStart(fd: number): number;
  /** QEMU removed its read watch: the connection is not read any more. */
  readPause(id: number): void;
  /** Stops watching or reading `id` (before its fd is closed). */
  unwatch(id: number): void;
  lockFile(fd: number): number;
  watchSender(signo: number): number;
  lastSender(signo: number): number;
  parentDeathSignal(signo: number): number;
  /** Ends the process with `status` at once, without Node's teardown (the command only, after its cleanup). */
  exitNow(status: number): never;
}

/**
 * Where the helper is looked for: NETDEV_SIM_NATIVE, then beside the bundle
 * or the sources, then the package's prebuilt one for this platform
 * (prebuilds/linux-x64/, made at `npm pack`): on another platform there is
 * none, and the stand-in runs without.
 */
function candidates(): string[] {
  const out: string[] = [];
  if (process.env.NETDEV_SIM_NATIVE) out.push(process.env.NETDEV_SIM_NATIVE);
  const prebuilt = `prebuilds/${process.platform}-${process.arch}/netdev-sim.node`;
  for (const rel of ['../build/native/netdev-sim.node', '../../build/native/netdev-sim.node', `../${prebuilt}`]) {
    out.push(new URL(rel, import.meta.url).pathname);
  }
  return out;
}

let loaded: NativeHelper | null | undefined;
let warned = false;

/** Hands over a helper its host loaded itself (the single executable, src/sea/main.ts), before first use. */
export function provideNativeHelper(helper: NativeHelper): void {
  loaded ??= helper;
}

/** The helper, or null (with one warning through `warn`) when it cannot be loaded. */
export function nativeHelper(warn: (text: string) => void = () => {}): NativeHelper | null {
  if (loaded === undefined) {
    loaded = null;
    let why = `none built for ${process.platform}-${process.arch} (in a source checkout: node scripts/build-native.mjs)`;
    if (process.env.NETDEV_SIM_NATIVE === 'off') {
      why = 'NETDEV_SIM_NATIVE=off';
    } else {
      const require = createRequire(import.meta.url);
      for (const path of candidates()) {
        if (!existsSync(path)) continue;
        try {
          loaded = require(path) as NativeHelper;
          break;
        } catch (e) {
          why = `${path}: ${(e as Error).message}`;
        }
      }
    }
    if (loaded === null && !warned) {
      warned = true;
      warn(
        `netdev-sim: warning: native helper unavailable (${why}); listening sockets accept every connection at once (no backlog refusals), the pid file is not locked and signal senders are unknown\n`,
      );
    }
  }
  return loaded;
}

/** errno numbers to names (ENOENT), for the core's texts. */
const ALIASES = new Set(['EWOULDBLOCK', 'EDEADLOCK', 'ENOTSUP']);
const ERRNO_NAMES = new Map<number, string>(
  Object.entries(constants.errno)
    .filter(([name]) => !ALIASES.has(name))
    .map(([name, n]) => [n, name]),
);

export function errnoName(n: number): string {
  return ERRNO_NAMES.get(Math.abs(n)) ?? `errno ${Math.abs(n)}`;
}
