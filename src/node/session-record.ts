/**
 * `netdev-sim qemu --record FILE`: what happened in a stand-in session,
 * written at exit as a scenario (FILE.json) and its transcript
 * (FILE.jsonl), in the formats of the scenario spec. `netdev-sim run
 * FILE.json` replays the scenario in the simulator, `netdev-sim compare
 * FILE.json FILE.jsonl` checks it, `netdev-sim link FILE.json` shares it.
 *
 * The stand-in sees only its side of the world, and writes down that:
 * - QMP: the first client of the first monitor, its requests as `qmp`
 *   steps (its qmp_capabilities is the format's own opening) and every
 *   line both ways as the transcript;
 * - a connection to a server netdev: a peer (peer1, peer2, ...) that
 *   `connect`s to the netdev's address, `send-raw`s the bytes that
 *   arrived and `close`s when it hung up;
 * - a client netdev's peer: `listen`s on the netdev's address before the
 *   connect that succeeded (before the netdev's creation, or after the
 *   last connect that failed), `close`s when it hung up.
 * Times become `wait` steps on the spec's timeline (150 ms after each
 * step), so actions closer together than 150 ms are replayed 150 ms apart.
 * Peers' own behaviour (what a real passt does besides its socket) and
 * events before the QMP client negotiated are not in the scenario. A unix
 * socket in a directory the simulated machine lacks is moved to /tmp/sim
 * (the simulator's own directory), in the scenario and the transcript.
 */
import { writeFileSync } from 'node:fs';
import type { Engine } from '../core/engine.ts';
import { SIMULATED_DIRECTORIES } from '../core/net/filesystem.ts';
import type { SocketAddress } from '../core/net/address.ts';
import type { StreamOptions } from '../core/netdev/stream-logic.ts';
import { STEP_GAP_MS } from '../core/scenario/timeline.ts';
import { bytesToHex } from '../core/util/hex.ts';
import type { QemuOptions } from './qemu-options.ts';
import type { RealSockets } from './real-sockets.ts';

type Step = Record<string, unknown>;

interface Timed {
  at: number;
  step: Step;
}

export function recordPaths(file: string): { scenario: string; transcript: string } {
  const base = file.endsWith('.json') ? file.slice(0, -5) : file;
  return { scenario: `${base}.json`, transcript: `${base}.jsonl` };
}

export class SessionRecorder {
  private steps: Timed[] = [];
  private lines: unknown[] = [];
  private client: number | null = null;
  private negotiatedAt: number | null = null;
  private peerOfConn = new Map<number, string>();
  private peers = 0;
  /** Per client netdev handle: where its peer listens, and where in the steps it must start listening. */
  private clientNetdevs = new Map<number, { name: string; addr: SocketAddress; listenAt: number; listening: boolean }>();
  private engine: Engine | null = null;
  private lastQmpIndex = -1;

  constructor(
    private readonly opts: QemuOptions,
    private readonly now: () => number,
  ) {}

  /** Starts watching the netdevs' sockets. */
  watch(engine: Engine, sockets: RealSockets): void {
    this.engine = engine;
    sockets.observer = {
      accepted: (handle, connId) => {
        const rec = engine.netdevList()[handle];
        if (!rec) return;
        const name = `peer${++this.peers}`;
        this.peerOfConn.set(connId, name);
        this.add({ peer: name, connect: rec.listenAddr ?? rec.options.addr });
      },
      connected: (handle, connId) => {
        const rec = engine.netdevList()[handle];
        if (!rec) return;
        let c = this.clientNetdevs.get(handle);
        if (!c) {
          c = { name: `${rec.id}-peer`, addr: rec.options.addr, listenAt: this.creationIndex(rec.id), listening: false };
          this.clientNetdevs.set(handle, c);
        }
        if (connId === null) {
          // Failed: the peer, if it comes, listens after this attempt.
          c.listenAt = this.steps.length;
          return;
        }
        if (!c.listening) {
          this.steps.splice(c.listenAt, 0, { at: this.steps[c.listenAt]?.at ?? this.now(), step: { peer: c.name, listen: c.addr } });
          c.listening = true;
        }
        this.peerOfConn.set(connId, c.name);
      },
      data: (connId, bytes) => {
        const name = this.peerOfConn.get(connId);
        if (name) this.add({ peer: name, 'send-raw': bytesToHex(bytes) });
      },
      ended: (connId) => {
        const name = this.peerOfConn.get(connId);
        if (!name) return;
        this.peerOfConn.delete(connId);
        this.add({ peer: name, close: true });
        for (const c of this.clientNetdevs.values()) if (c.name === name) c.listening = false;
      },
    };
  }

  /** Where a netdev was created: before its netdev_add step, or at the start for the command line's. */
  private creationIndex(id: string): number {
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const q = this.steps[i]!.step.qmp as { execute?: string; arguments?: { id?: string } } | undefined;
      if (q?.execute === 'netdev_add' && q.arguments?.id === id) return i;
    }
    return 0;
  }

  private add(step: Step): void {
    if (this.negotiatedAt === null) return;
    this.steps.push({ at: this.now(), step });
  }

  /** A line on the first monitor. */
  qmp(dir: '->' | '<-', msg: unknown, client: number): void {
    if (this.client === null) this.client = client;
    if (client !== this.client) return;
    this.lines.push({ dir, msg });
    if (dir === '<-' || msg === null || typeof msg !== 'object') return;
    const req = msg as { execute?: unknown };
    if (this.negotiatedAt === null && req.execute === 'qmp_capabilities') {
      this.negotiatedAt = this.now();
      return;
    }
    if (this.negotiatedAt !== null) {
      this.steps.push({ at: this.now(), step: { qmp: msg } });
      this.lastQmpIndex = this.steps.length - 1;
    }
  }

  /** At exit: the scenario and its transcript. */
  finish(status: number): void {
    const file = this.opts.record;
    if (!file) return;
    const quit = this.lines.some((l) => (l as { msg?: { execute?: string } }).msg?.execute === 'quit');
    if (quit) this.lines.push({ exit: status });
    const steps: Step[] = [];
    let t = (this.negotiatedAt ?? 0) + STEP_GAP_MS;
    for (const { at, step } of this.steps) {
      const wait = Math.round(at - t);
      if (wait > 0) {
        steps.push({ wait });
        t += wait + STEP_GAP_MS;
      }
      steps.push(step);
      t += STEP_GAP_MS;
    }
    const netdevs = this.opts.netdevs.map((optarg) => this.commandLineNetdev(optarg)).filter((n) => n !== null);
    const scenario = {
      scenario: 1,
      title: `Recorded from netdev-sim qemu --release ${this.opts.release.name}`,
      description:
        'Written by `netdev-sim qemu --record`: the QMP requests of its first client and what the stand-in saw of its peers.',
      qemu: this.opts.release.name,
      netdevs,
      steps,
    };
    const moves = directoryMoves(scenario);
    const paths = recordPaths(file);
    writeFileSync(paths.scenario, `${JSON.stringify(moveStrings(scenario, moves), null, 2)}\n`);
    writeFileSync(paths.transcript, this.lines.map((l) => `${JSON.stringify(moveStrings(l, moves))}\n`).join(''));
  }

  private commandLineNetdev(optarg: string): Record<string, unknown> | null {
    const r = this.engine?.checker.commandLineNetdev(this.opts.release, optarg);
    if (!r || !r.ok) return null;
    const { id, type, ...rest } = r.value as { id: string; type: string } & Partial<StreamOptions>;
    return { id, type, ...rest };
  }
}

const SIM_DIR = '/tmp/sim';

/** Directories of unix socket paths that the simulated machine lacks, longest first. */
function directoryMoves(x: unknown): string[] {
  const dirs = new Set<string>();
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'unix' && typeof o.path === 'string' && o.path.startsWith('/') && o.abstract !== true) {
        const dir = o.path.slice(0, o.path.lastIndexOf('/')) || '/';
        if (!SIMULATED_DIRECTORIES.includes(dir)) dirs.add(dir);
      }
      Object.values(o).forEach(visit);
    }
  };
  visit(x);
  return [...dirs].sort((a, b) => b.length - a.length);
}

function moveStrings(x: unknown, moves: readonly string[]): unknown {
  if (typeof x === 'string') return moves.reduce((s, dir) => s.split(`${dir}/`).join(`${SIM_DIR}/`), x);
  if (Array.isArray(x)) return x.map((y) => moveStrings(y, moves));
  if (x !== null && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, moveStrings(v, moves)]));
  }
  return x;
}
