/**
 * QEMU listens with backlog 0, so Linux keeps one connection waiting while
 * another is served. Random peers connecting, sending and hanging up on a
 * server netdev, checked step by step against that model: a peer's unix
 * connect fails with EAGAIN exactly when the queue is full, and no peer
 * beyond the backlog ever produces a QMP event; on TCP a connect into a
 * full queue waits for a SYN retry, and QEMU still never has more than one
 * connection waiting.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemaChecker } from '../../src/core/qmp/schema-checker.ts';
import { checkScenario, type Scenario } from '../../src/core/scenario/schema.ts';
import { Session } from '../../src/core/scenario/session.ts';
import { viewSession } from '../../src/core/scenario/view.ts';
import { SAMPLE_ARP_FRAME_HEX } from '../../src/core/net/sample-frame.ts';

const UNIX = { type: 'unix', path: '/tmp/sim/n0.sock' };
const INET = { type: 'inet', host: '127.0.0.1', port: '47070' };

const peer = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const stepArb = (addr: object) =>
  fc.oneof(
    { weight: 4, arbitrary: peer.map((p) => ({ peer: p, connect: addr })) },
    { weight: 2, arbitrary: peer.map((p) => ({ peer: p, close: true })) },
    { weight: 1, arbitrary: peer.map((p) => ({ peer: p, send: SAMPLE_ARP_FRAME_HEX })) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 2500 }).map((ms) => ({ wait: ms })) },
  );

function scenarioOf(addr: object, steps: object[], release: string): Scenario {
  const c = checkScenario({
    scenario: 1,
    title: 'random peers on one server',
    description: '',
    qemu: release,
    netdevs: [{ id: 'n0', type: 'stream', server: true, addr }],
    steps,
  });
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  return c.scenario;
}

const releaseArb = fc.constantFrom('7.2', '10.0', '11.1');

/** QEMU's listener in the simulated kernel (the only one a netdev owns). */
function qemuListener(s: Session) {
  return [...s.engine.kernel().listeners.values()].find((l) => l.owner.kind === 'netdev');
}

describe('a server netdev never hears from a peer beyond its backlog', () => {
  it('unix: a connect fails with EAGAIN exactly when one peer is served and one waits, and such a peer never causes an event', () => {
    fc.assert(
      fc.property(fc.array(stepArb(UNIX), { minLength: 1, maxLength: 25 }), releaseArb, (steps, release) => {
        const s = new Session(scenarioOf(UNIX, steps, release), { checker: schemaChecker });
        let refused = 0;
        let admitted = 0;
        for (const step of steps) {
          const l = qemuListener(s);
          const holding = 'connect' in step && !s.engine.peerList().find((p) => p.name === step.peer)?.conn;
          const full = l !== undefined && l.queue.length > l.backlog;
          const before = s.engine.stderr.length;
          s.step();
          const said = s.engine.stderr.slice(before);
          const eagain = said.some((x) => x === `[recorder] peer ${(step as { peer?: string }).peer} connect failed: Resource temporarily unavailable`);
          if (holding) {
            expect(eagain, `connect with the queue ${full ? 'full' : 'not full'}`).toBe(full);
            if (eagain) refused++;
            else admitted++;
          } else expect(eagain).toBe(false);
          // Never more than backlog + 1 waiting.
          const after = qemuListener(s);
          if (after) expect(after.queue.length).toBeLessThanOrEqual(after.backlog + 1);
        }
        const connected = s.engine.events.filter((e) => e.event === 'NETDEV_STREAM_CONNECTED').length;
        expect(connected).toBeLessThanOrEqual(admitted);
        void refused;
      }),
      { numRuns: 300 },
    );
  });

  it('TCP: a connect into a full queue stays pending until a SYN retry finds room, and a peer that gives up before never causes an event', () => {
    fc.assert(
      fc.property(fc.array(stepArb(INET), { minLength: 1, maxLength: 25 }), releaseArb, (steps, release) => {
        const s = new Session(scenarioOf(INET, steps, release), { checker: schemaChecker });
        const connOf = (name: string) => {
          const id = s.engine.peerList().find((p) => p.name === name)?.conn?.connId;
          return id === undefined ? undefined : s.engine.kernel().connections.get(id);
        };
        const neverAdmitted = new Set<string>();
        let pendingSeen = 0;
        for (const step of steps) {
          const name = (step as { peer?: string }).peer;
          const l = qemuListener(s);
          const full = l !== undefined && l.queue.length > l.backlog;
          const fresh = 'connect' in step && !connOf(name!);
          if ('close' in step) {
            const c = connOf(name!);
            if (c?.state === 'blocked') neverAdmitted.add(String((c.ends[0].local as { port: number }).port));
          }
          s.step();
          if (fresh) {
            const c = connOf(name!);
            // The step's window (150 ms) is shorter than the first SYN retry (1 s).
            expect(c?.state === 'blocked', `connect with the queue ${full ? 'full' : 'not full'}`).toBe(full);
            if (full) pendingSeen++;
          }
          const after = qemuListener(s);
          if (after) expect(after.queue.length).toBeLessThanOrEqual(after.backlog + 1);
        }
        expect(s.engine.stderr.filter((x) => x.includes('Resource temporarily unavailable'))).toEqual([]);
        const ports = s.engine.events.filter((e) => e.event === 'NETDEV_STREAM_CONNECTED').map((e) => (e.data.addr as { port: string }).port);
        expect(ports.filter((p) => neverAdmitted.has(p))).toEqual([]);
        void pendingSeen;
      }),
      { numRuns: 200 },
    );
  });
});

describe("a peer's failed connect in the simulator's views", () => {
  it('leaves the peer unconnected and shows the reason until it connects again', () => {
    const connect = (p: string) => ({ peer: p, connect: UNIX });
    const s = new Session(scenarioOf(UNIX, [connect('a'), connect('b'), connect('c'), { peer: 'a', close: true }, connect('c')], '11.1'), {
      checker: schemaChecker,
    });
    for (let i = 0; i < 3; i++) s.step();
    const c = () => viewSession(s).peers.find((p) => p.name === 'c')!;
    expect(c()).toMatchObject({ connection: null, waitingForBacklog: false, connectFailed: 'Resource temporarily unavailable' });
    expect(viewSession(s).stderr).toContain('[recorder] peer c connect failed: Resource temporarily unavailable');
    s.step();
    s.step();
    expect(c().connectFailed).toBeNull();
    expect(c().connection).not.toBeNull();
  });
});
