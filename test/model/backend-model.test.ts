/**
 * Model-based tests of the stream backend machine with xstate/graph.
 *
 * For each mode and release the graph utilities generate a path to every
 * state, and one path through every transition (the shortest path to its
 * source state, then the transition's event). Every path is then compiled
 * into a real scenario (peers that connect, hang up and send frames, QMP
 * commands, waits) and run through the whole engine: the machine inside
 * the engine must pass through the path's states, emit the same events,
 * and keep the run invariants.
 */
import { createActor, type SnapshotFrom } from 'xstate';
import { getShortestPaths, getStateNodes } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { streamNetdevMachine, type NetdevEvent, type NetdevInput } from '../../src/core/netdev/stream-machine.ts';
import { schemaChecker } from '../../src/core/qmp/schema-checker.ts';
import { findRelease } from '../../src/core/releases.ts';
import { checkScenario, type Step } from '../../src/core/scenario/schema.ts';
import { Session } from '../../src/core/scenario/session.ts';
import { invariantViolations } from '../support/invariants.ts';
import { SAMPLE_ARP_FRAME_HEX } from '../../src/core/net/sample-frame.ts';

type Snap = SnapshotFrom<typeof streamNetdevMachine>;

const SERVER_PATH = '/tmp/sim/n0.sock';
const CLIENT_TARGET = '/tmp/sim/p.sock';
const OVERSIZED = `${(69633).toString(16).padStart(8, '0')}${'00'.repeat(69633)}`;

const EVENTS: NetdevEvent[] = [
  { type: 'listen.succeeded' },
  { type: 'listen.failed', message: "Failed to bind socket to /tmp/sim/nodir/n0.sock: No such file or directory" },
  { type: 'client.accepted', connId: 1, local: { type: 'unix', path: SERVER_PATH }, remote: { type: 'unix', path: '' } },
  { type: 'connect.succeeded', connId: 1, remote: { type: 'unix', path: CLIENT_TARGET } },
  { type: 'connect.failed', message: `Failed to connect to '${CLIENT_TARGET}': No such file or directory` },
  { type: 'connection.ended', reason: 'end-of-file' },
  { type: 'connection.ended', reason: 'oversized-frame' },
  { type: 'read.stalled' },
  { type: 'reconnect.due' },
  { type: 'link.set', up: false },
  { type: 'netdev.delete' },
];

interface Variant {
  name: string;
  release: string;
  options: NetdevInput['options'];
}

const VARIANTS: Variant[] = [
  { name: 'server on 7.2', release: '7.2', options: { server: true, addr: { type: 'unix', path: SERVER_PATH } } },
  { name: 'server on 11.1', release: '11.1', options: { server: true, addr: { type: 'unix', path: SERVER_PATH } } },
  { name: 'client without reconnect on 7.2', release: '7.2', options: { server: false, addr: { type: 'unix', path: CLIENT_TARGET } } },
  { name: 'client with reconnect on 8.0', release: '8.0', options: { server: false, addr: { type: 'unix', path: CLIENT_TARGET }, reconnect: 1 } },
  { name: 'client with reconnect-ms on 10.0', release: '10.0', options: { server: false, addr: { type: 'unix', path: CLIENT_TARGET }, 'reconnect-ms': 300 } },
  { name: 'client without reconnect on 11.1', release: '11.1', options: { server: false, addr: { type: 'unix', path: CLIENT_TARGET } } },
];

const inputOf = (v: Variant): NetdevInput => ({ id: 'n0', release: findRelease(v.release)!, options: v.options });
const stateKey = (s: Snap) => JSON.stringify(s.value);
const eventKey = (e: NetdevEvent) => JSON.stringify(e);

interface AbstractPath {
  events: NetdevEvent[];
  states: string[];
}

/**
 * In `server.initializing` and `client.connecting` QEMU is waiting for its
 * listen/connect thread, which the engine completes in the same instant:
 * no QMP command or peer can act in between, so only completions happen.
 */
function realizable(s: Snap, e: NetdevEvent): boolean {
  const v = s.value as Record<string, string> | string;
  const transient = typeof v === 'object' && (v.server === 'initializing' || v.client === 'connecting');
  return !transient || /^(listen|connect)\./.test(e.type);
}

/** A path to every state, then one path per transition out of every reachable state. */
function generatePaths(v: Variant): { paths: AbstractPath[]; reachedStates: Set<string>; transitions: Set<string> } {
  const input = inputOf(v);
  const shortest = getShortestPaths(streamNetdevMachine, {
    input,
    events: EVENTS,
    filterEvents: (snap, e) => realizable(snap, e),
    serializeState: (s) => stateKey(s),
    serializeEvent: (e) => eventKey(e),
  });
  const paths: AbstractPath[] = [];
  const reachedStates = new Set<string>();
  const transitions = new Set<string>();
  for (const p of shortest) {
    const events = p.steps.map((s) => s.event).filter((e) => !e.type.startsWith('xstate.'));
    const states = p.steps.filter((s) => !s.event.type.startsWith('xstate.')).map((s) => stateKey(s.state));
    reachedStates.add(stateKey(p.state));
    paths.push({ events, states });
    // Extend with every event the end state reacts to.
    for (const e of EVENTS) {
      const actor = createActor(streamNetdevMachine, { input });
      actor.start();
      for (const ev of events) actor.send(ev);
      const before = actor.getSnapshot();
      if (before.status !== 'active') continue;
      if (!before.can(e) || !realizable(before, e)) continue;
      actor.send(e);
      const after = actor.getSnapshot();
      transitions.add(`${stateKey(before)} --${e.type}${'reason' in e ? `(${e.reason})` : ''}--> ${stateKey(after)}`);
      paths.push({ events: [...events, e], states: [...states, stateKey(after)] });
    }
  }
  return { paths, reachedStates, transitions };
}

/** Every transition written in the machine definition, as "state --event-->" text. */
function definedTransitions(): Set<string> {
  const out = new Set<string>();
  for (const node of getStateNodes(streamNetdevMachine.root)) {
    for (const [eventType, ts] of node.transitions) {
      for (const t of ts) out.add(`${node.id} --${eventType}--> ${t.target?.map((x) => x.id).join(',') ?? '(self)'}`);
    }
  }
  return out;
}

/**
 * Turns an abstract path into scenario steps a real peer and QMP client
 * perform, remembering after which step each abstract event has happened.
 */
function compile(v: Variant, path: AbstractPath): { steps: Step[]; marks: number[] } {
  const steps: Step[] = [];
  const marks: number[] = [];
  const server = v.options.server === true;
  const addr = (ok: boolean) => ({ type: 'unix', path: server ? (ok ? SERVER_PATH : '/tmp/sim/nodir/n0.sock') : CLIENT_TARGET });
  const args = (ok: boolean) => ({ id: 'n0', type: 'stream', ...v.options, addr: addr(ok) });
  const reconnectMs = 'reconnect-ms' in v.options ? v.options['reconnect-ms']! : (v.options.reconnect ?? 0) * 1000;
  let listening = false;
  const first = path.events[0];
  const wantListener = (yes: boolean) => {
    if (yes && !listening) steps.push({ peer: 'p', listen: { type: 'unix', path: CLIENT_TARGET } });
    if (!yes && listening) steps.push({ peer: 'p', close: true });
    listening = yes;
  };
  if (!server) wantListener(first?.type === 'connect.succeeded');
  steps.push({ qmp: { execute: 'netdev_add', arguments: args(first?.type !== 'listen.failed') } });
  path.events.forEach((e, i) => {
    switch (e.type) {
      case 'listen.succeeded':
      case 'listen.failed':
      case 'connect.succeeded':
      case 'connect.failed':
        // Happen by themselves after netdev_add or a reconnect.
        break;
      case 'client.accepted':
        steps.push({ peer: 'a', connect: { type: 'unix', path: SERVER_PATH } });
        break;
      case 'connection.ended':
        if (e.reason === 'oversized-frame') steps.push({ peer: server ? 'a' : 'p', 'send-raw': OVERSIZED });
        else steps.push({ peer: server ? 'a' : 'p', close: true });
        if (!server && e.reason === 'end-of-file') listening = false;
        break;
      case 'read.stalled':
        steps.push({ peer: server ? 'a' : 'p', send: '' }, { peer: server ? 'a' : 'p', send: SAMPLE_ARP_FRAME_HEX });
        break;
      case 'reconnect.due': {
        const next = path.events[i + 1];
        wantListener(next?.type === 'connect.succeeded');
        steps.push({ wait: Math.max(0, reconnectMs - 150) });
        break;
      }
      case 'link.set':
        steps.push({ qmp: { execute: 'set_link', arguments: { name: 'n0', up: e.up } } });
        break;
      case 'netdev.delete':
        steps.push({ qmp: { execute: 'netdev_del', arguments: { id: 'n0' } } });
        break;
    }
    marks.push(steps.length);
  });
  // A last look, so the final event's state is checked 150 ms after it, not at the very end.
  steps.push({ qmp: { execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } } });
  return { steps, marks };
}

/** The QMP events a bare actor emits along the path. */
function modelEmissions(v: Variant, path: AbstractPath): string[] {
  const actor = createActor(streamNetdevMachine, { input: inputOf(v) });
  const out: string[] = [];
  actor.on('qmp.event', (e) => out.push(e.event));
  actor.start();
  for (const e of path.events) actor.send(e);
  return out;
}

describe('the stream backend machine, explored with xstate/graph', () => {
  const allDefined = definedTransitions();
  const covered = new Set<string>();
  const reached = new Set<string>();

  for (const v of VARIANTS) {
    describe(v.name, () => {
      const { paths, reachedStates, transitions } = generatePaths(v);

      it('has generated paths', () => {
        expect(paths.length).toBeGreaterThan(3);
        for (const s of reachedStates) reached.add(s);
        for (const t of transitions) covered.add(t);
      });

      it('runs every generated path through the engine with real peers, visiting the same states', () => {
        for (const path of paths) {
          const { steps, marks } = compile(v, path);
          const checked = checkScenario({ scenario: 1, qemu: v.release, netdevs: [], steps });
          if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
          const session = new Session(checked.scenario, { checker: schemaChecker });
          const expectedEvents = modelEmissions(v, path);
          let k = 0;
          for (let i = 0; i < path.events.length; i++) {
            while (session.position < marks[i]!) session.step();
            const rec = session.engine.netdevList()[0];
            const value = rec && !rec.deleted ? JSON.stringify(session.engine.netdevMachine(rec.handle)?.value) : JSON.stringify('deleted');
            // connecting/initializing end in the same instant; the next event's state is checked instead.
            if (/"(connecting|initializing)"/.test(path.states[i]!)) continue;
            expect(value, `after ${path.events.slice(0, i + 1).map((e) => e.type).join(' > ')}; steps ${JSON.stringify(steps).slice(0, 400)}`).toBe(path.states[i]);
            k = i;
          }
          void k;
          const emitted = session.engine.events.filter((e) => e.handle === 0).map((e) => e.event);
          expect(emitted).toEqual(expectedEvents);
          session.runToEnd();
          expect(invariantViolations(session)).toEqual([]);
        }
      });
    });
  }

  it('reaches every state of the machine on some path', () => {
    const all = getStateNodes(streamNetdevMachine.root)
      .filter((n) => n.type === 'atomic' || n.type === 'final')
      .map((n) => n.path.join('.'));
    const reachedLeaves = new Set(
      [...reached].map((s) => {
        const v = JSON.parse(s) as unknown;
        return typeof v === 'string' ? v : Object.entries(v as Record<string, string>).map(([a, b]) => `${a}.${b}`)[0]!;
      }),
    );
    // `created` is transient: it is left at once through its `always` transitions.
    expect(all.filter((s) => s !== 'created' && !reachedLeaves.has(s))).toEqual([]);
  });

  it('takes every transition the machine defines on some path', () => {
    const taken = new Set([...covered].map((t) => t.replace(/\(.*?\)/, '')));
    const missing: string[] = [];
    for (const t of allDefined) {
      const [, source, event] = /^streamNetdev\.?(.*) --(.*)--> /.exec(t)!;
      const sourcePath = source ?? '';
      const hit = [...taken].some((c) => {
        const [cs, ce] = c.split(' --');
        const value = JSON.parse(cs!) as unknown;
        const leaf = typeof value === 'string' ? value : Object.entries(value as Record<string, string>).map(([a, b]) => `${a}.${b}`)[0]!;
        return ce!.startsWith(`${event}-->`) && (sourcePath === '' || leaf === sourcePath || leaf.startsWith(`${sourcePath}.`));
      });
      if (!hit) missing.push(t);
    }
    expect(missing).toEqual([]);
  });
});
