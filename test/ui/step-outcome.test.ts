/**
 * What a step did (src/ui/simulator/outcome.ts), compare mode's rows and
 * summary (compare-rows.ts) and predict mode's questions (predict-logic.ts),
 * on traces the engine builds in Node.
 */
import { describe, expect, it } from 'vitest';
import { schemaChecker } from '../../src/core/qmp/schema-checker.ts';
import { checkScenario, type Scenario, type Step } from '../../src/core/scenario/schema.ts';
import { buildTrace } from '../../src/ui/trace/build.ts';
import type { Trace } from '../../src/ui/trace/types.ts';
import { alignRows, compareSummary, infoLines, transcriptRows } from '../../src/ui/simulator/compare-rows.ts';
import { outcomeOf, outcomeSentence, whyNothing } from '../../src/ui/simulator/outcome.ts';
import { answerText, derivedWhy, isRight, questionAt, questionSteps, scoreText, whyText } from '../../src/ui/simulator/predict-logic.ts';
import { entriesAt } from '../../src/ui/views/transcript.ts';
import { menuFor, targetOf } from '../../src/ui/simulator/picture-menu.ts';

const N0 = { type: 'unix', path: '/tmp/sim/n0.sock' } as const;
const server = { id: 'n0', type: 'stream', server: true, addr: N0 };
const INFO = { qmp: { execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } } };

function run(steps: Step[], opts: { qemu?: string; release?: string; netdevs?: Record<string, unknown>[] } = {}): { trace: Trace; scenario: Scenario } {
  const c = checkScenario({ scenario: 1, qemu: opts.qemu ?? '11.1', netdevs: opts.netdevs ?? [server], steps });
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  return { scenario: c.scenario, trace: buildTrace(c.scenario, { checker: schemaChecker, release: opts.release ?? c.scenario.qemu }) };
}

describe("a step's outcome", () => {
  it('names the event and the netdev it concerns', () => {
    const { trace } = run([{ peer: 'a', connect: N0 }, { peer: 'a', close: true }]);
    const connected = outcomeOf(trace, 1);
    expect(connected.notes).toEqual([{ kind: 'event', label: 'NETDEV_STREAM_CONNECTED', netdev: 'n0', text: 'NETDEV_STREAM_CONNECTED (netdev n0, addr unix:/tmp/sim/n0.sock)' }]);
    expect(outcomeSentence(outcomeOf(trace, 2))).toBe('QEMU sent NETDEV_STREAM_DISCONNECTED (netdev n0).');
  });

  it("quotes QEMU's error and its reply", () => {
    const { trace } = run([{ qmp: { execute: 'netdev_del', arguments: { id: 'nope' } } }, INFO]);
    expect(outcomeSentence(outcomeOf(trace, 1))).toBe("QEMU answered with an error, DeviceNotFound: Device 'nope' not found.");
    expect(outcomeSentence(outcomeOf(trace, 2))).toBe('QEMU replied "n0: index=0,type=stream,listening".');
  });

  it('counts frames that reached a netdev', () => {
    const { trace } = run([{ peer: 'a', connect: N0 }, { peer: 'a', send: 'ffffffffffff5254001234560806' }]);
    expect(outcomeSentence(outcomeOf(trace, 2))).toBe('QEMU said nothing over QMP. 1 frame reached netdev n0.');
  });

  it('says why a connect to an address nobody listens on does nothing', () => {
    const { trace, scenario } = run([{ peer: 'z', connect: { type: 'unix', path: '/tmp/sim/none.sock' } }]);
    expect(outcomeOf(trace, 1).nothing).toBe(true);
    expect(whyNothing(trace, 1, scenario.steps[0]!)).toBe('nothing listens on unix:/tmp/sim/none.sock at the start, so the connect fails at once (listening: unix:/tmp/sim/n0.sock).');
  });

  it('says why closing or sending without a connection does nothing', () => {
    const { trace, scenario } = run([{ wait: 10 }, { peer: 'q', close: true }, { peer: 'q', send: 'ffff' }]);
    expect(whyNothing(trace, 2, scenario.steps[1]!)).toBe('peer q has no connection and no listener after step 1, so closing changes nothing.');
    expect(whyNothing(trace, 3, scenario.steps[2]!)).toBe('peer q has no connection after step 2, so there is nothing to send on.');
  });

  it('gives no reason for a step that did something', () => {
    const { trace, scenario } = run([{ peer: 'p', listen: { type: 'unix', path: '/tmp/sim/p.sock' } }, { peer: 'a', connect: N0 }]);
    expect(whyNothing(trace, 1, scenario.steps[0]!)).toBeNull(); // a listener appeared
    expect(whyNothing(trace, 2, scenario.steps[1]!)).toBeNull();
    expect(outcomeSentence(outcomeOf(trace, 1))).toBe('QEMU said nothing over QMP.');
  });
});

describe('compare rows', () => {
  it('puts common lines side by side and pairs differing ones', () => {
    expect(alignRows(['a', 'b', 'c'], ['a', 'x', 'c'])).toEqual([
      { a: 0, b: 0, differs: false },
      { a: 1, b: 1, differs: true },
      { a: 2, b: 2, differs: false },
    ]);
  });

  it('leaves a gap on the side that lacks a line', () => {
    expect(alignRows(['a', 'b', 'c'], ['a', 'c'])).toEqual([
      { a: 0, b: 0, differs: false },
      { a: 1, b: null, differs: true },
      { a: 2, b: 1, differs: false },
    ]);
    expect(alignRows([], ['x'])).toEqual([{ a: null, b: 0, differs: true }]);
  });

  it('covers every line of both sides exactly once, in order', () => {
    const a = 'greeting neg ret add ret ev1 info ret'.split(' ');
    const b = 'greeting neg ret add err info ret2'.split(' ');
    const rows = alignRows(a, b);
    expect(rows.map((r) => r.a).filter((x) => x !== null)).toEqual(a.map((_, i) => i));
    expect(rows.map((r) => r.b).filter((x) => x !== null)).toEqual(b.map((_, i) => i));
    for (const r of rows) if (!r.differs) expect(a[r.a!]).toBe(b[r.b!]);
  });

  it('summarises 11.1 against 7.2 as the greeting and info network while listening', () => {
    const steps = [INFO];
    const a = run(steps, { release: '11.1' }).trace;
    const b = run(steps, { release: '7.2' }).trace;
    const ea = entriesAt(a, 1);
    const eb = entriesAt(b, 1);
    const rows = transcriptRows(ea, eb);
    expect(compareSummary(rows, ea, eb, a, b)).toBe('2 lines differ: the greeting, info network while listening');
    expect(infoLines(a.positions[1]!.infoNetwork)).toEqual(['n0: index=0,type=stream,listening']);
    expect(infoLines(b.positions[1]!.infoNetwork)).toEqual(['n0: index=0,type=stream,']);
  });

  it('says when no line differs', () => {
    const a = run([{ wait: 1 }], { release: '10.0' }).trace;
    const ea = entriesAt(a, 1);
    expect(compareSummary(transcriptRows(ea, ea), ea, ea, a, a)).toBe('No line differs (timestamps aside)');
  });
});

describe('predict mode', () => {
  const { trace, scenario } = run(
    [
      { peer: 'a', connect: N0 },
      INFO,
      { qmp: { execute: 'set_link', arguments: { name: 'n0', up: false } } },
      { peer: 'a', close: true, note: 'Peer a hangs up, so QEMU reads end-of-file.' },
      { qmp: { execute: 'netdev_del', arguments: { id: 'nope' } } },
      { wait: 50 },
    ],
  );

  it('stops before events, errors and silent steps a reader may expect an event from, not before the rest', () => {
    expect(questionSteps(trace, scenario)).toEqual([1, 3, 4, 5]);
    expect(questionAt(trace, scenario, 2)).toBeNull();
    expect(questionAt(trace, scenario, 6)).toBeNull();
  });

  it('knows the right answer of each question', () => {
    expect(questionAt(trace, scenario, 1)!.answers).toEqual(['connected']);
    expect(questionAt(trace, scenario, 3)!.answers).toEqual(['nothing']);
    expect(questionAt(trace, scenario, 4)!.answers).toEqual(['disconnected']);
    expect(questionAt(trace, scenario, 5)!.answers).toEqual(['error']);
    expect(isRight(questionAt(trace, scenario, 1)!, 'connected')).toBe(true);
    expect(isRight(questionAt(trace, scenario, 1)!, 'nothing')).toBe(false);
    expect(answerText(questionAt(trace, scenario, 5)!)).toBe("QEMU sends an error, DeviceNotFound: Device 'nope' not found.");
    expect(answerText(questionAt(trace, scenario, 3)!)).toBe('QEMU sends no event and no error.');
  });

  it("explains with the step's note when it has one, from the backend's facts when not", () => {
    expect(whyText(questionAt(trace, scenario, 4)!, trace, scenario)).toBe('Peer a hangs up, so QEMU reads end-of-file.');
    expect(whyText(questionAt(trace, scenario, 1)!, trace, scenario)).toMatch(/^A server netdev sends NETDEV_STREAM_CONNECTED when it accepts a connection/);
    expect(whyText(questionAt(trace, scenario, 3)!, trace, scenario)).toBe('set_link only sets the link flag; the stream backend sends no event for it.');
    expect(derivedWhy(questionAt(trace, scenario, 4)!, trace, scenario)).toMatch(/^QEMU sends NETDEV_STREAM_DISCONNECTED when an established connection ends/);
    expect(whyText(questionAt(trace, scenario, 5)!, trace, scenario)).toMatch(/^QEMU refuses netdev_del/);
  });

  it('explains a client netdev that reconnects', () => {
    const p = { type: 'unix', path: '/tmp/sim/p.sock' } as const;
    const r = run(
      [
        { peer: 'p', listen: p },
        { peer: 'p', close: true },
        { wait: 300 },
        { peer: 'p', listen: p },
        { wait: 300 },
      ],
      { netdevs: [{ id: 'c0', type: 'stream', server: false, addr: p, 'reconnect-ms': 200 }] },
    );
    const steps = questionSteps(r.trace, r.scenario);
    const last = questionAt(r.trace, r.scenario, steps.at(-1)!)!;
    expect(last.answers).toEqual(['connected']);
    expect(whyText(last, r.trace, r.scenario)).toMatch(/retries on its timer; failed retries are silent/);
  });

  it('scores', () => {
    expect(scoreText(3, 4)).toBe('You predicted 3 of 4 right.');
    expect(scoreText(0, 0)).toMatch(/^No question was asked/);
  });
});

describe('the actions offered on the picture', () => {
  const { trace, scenario } = run([{ peer: 'a', connect: N0 }, { wait: 10 }, { peer: 'a', close: true }, { peer: 'b', listen: { type: 'unix', path: '/tmp/sim/b.sock' } }]);
  const labels = (m: { items: { label: string }[] }) => m.items.map((i) => i.label);

  it('offers a peer that holds nothing to connect where something listens', () => {
    const m = menuFor({ kind: 'peer', name: 'a' }, trace, 0, scenario);
    expect(m.title).toBe('peer a');
    expect(labels(m)).toEqual(['Connect to unix:/tmp/sim/n0.sock (QEMU netdev n0 listens)']);
    expect(m.items[0]!.step).toEqual({ peer: 'a', connect: N0 });
  });

  it('offers a connected peer to send a frame, raw bytes, or close', () => {
    const m = menuFor({ kind: 'peer', name: 'a' }, trace, 1, scenario);
    expect(labels(m)).toEqual(['Send a frame (a 42-byte ARP request)', 'Send raw bytes: 00 00 00 2a (a length, no frame yet)', 'Close (its connection #2)']);
    expect(m.items.at(-1)!.step).toEqual({ peer: 'a', close: true });
  });

  it('offers a listening peer to close, and a new peer to connect to its socket', () => {
    const b = menuFor({ kind: 'peer', name: 'b' }, trace, 4, scenario);
    expect(labels(b)).toContain('Close (its listener on unix:/tmp/sim/b.sock)');
    const l = trace.positions[4]!.listeners.find((x) => x.address === 'unix:/tmp/sim/b.sock')!;
    const m = menuFor({ kind: 'listener', id: l.id }, trace, 4, scenario);
    expect(labels(m)).toEqual(['A new peer c connects here', 'peer b closes']);
    expect(m.items[0]!.step).toEqual({ peer: 'c', connect: { type: 'unix', path: '/tmp/sim/b.sock' } });
  });

  it('offers a netdev info network, set_link, netdev_del, a new client and another netdev', () => {
    const m = menuFor({ kind: 'netdev', id: 'n0' }, trace, 0, scenario);
    expect(labels(m)).toEqual([
      'Ask QEMU: info network',
      'A new peer c connects to unix:/tmp/sim/n0.sock',
      'set_link n0 down',
      'set_link n0 up',
      'netdev_del n0',
      'Add netdev n1: a server on unix:/tmp/sim/n1.sock (netdev_add)',
    ]);
    expect(m.items[4]!.step).toEqual({ qmp: { execute: 'netdev_del', arguments: { id: 'n0' } } });
    expect(m.items[1]!.anchor).toEqual({ kind: 'peer', name: 'c' });
  });

  it("offers a connection's peer to hang up, and its netdev to go", () => {
    const c = trace.positions[1]!.connections[0]!;
    const m = menuFor({ kind: 'conn', id: c.id }, trace, 1, scenario);
    expect(labels(m)).toEqual(expect.arrayContaining(['peer a closes it (hangs up)', 'peer a sends a frame on it', 'netdev_del n0']));
  });

  it('says why nothing is offered', () => {
    expect(menuFor({ kind: 'conn', id: 99 }, trace, 0, scenario).none).toBe('This connection is gone at this step.');
    expect(menuFor({ kind: 'listener', id: 99 }, trace, 0, scenario).none).toBe('This socket no longer listens at this step.');
    const lone = run([{ wait: 1 }], { netdevs: [] });
    const m = menuFor({ kind: 'peer', name: 'q' }, lone.trace, 1, lone.scenario);
    expect(m.items).toEqual([]);
    expect(m.none).toMatch(/^peer q has no connection, no listener/);
  });

  it('reads targets from data attributes, refusing what is not one', () => {
    expect(targetOf({ peer: 'a' })).toEqual({ kind: 'peer', name: 'a' });
    expect(targetOf({ listener: '3' })).toEqual({ kind: 'listener', id: 3 });
    expect(targetOf({ conn: 'x' })).toBeNull();
    expect(targetOf({})).toBeNull();
  });

  it('offers only steps the scenario schema accepts', () => {
    for (const k of [0, 1, 2, 3, 4]) {
      for (const t of [{ kind: 'peer', name: 'a' }, { kind: 'peer', name: 'b' }, { kind: 'netdev', id: 'n0' }, { kind: 'qemu' }] as const) {
        for (const item of menuFor(t, trace, k, scenario).items) expect(checkScenario({ ...scenario, steps: [item.step] }).ok).toBe(true);
      }
    }
  });
});
