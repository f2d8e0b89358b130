/**
 * The simulator's edits as pure functions (src/ui/simulator): inserting and
 * removing steps, the undo/redo stacks, the addresses and peers a scenario
 * knows (the defaults of "Be a peer"), and the form that builds a step.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenario, MAX_WAIT_MS, type Scenario } from '../../src/core/scenario/schema.ts';
import { canRedo, canUndo, emptyHistory, HISTORY_LIMIT, record, redo, undo, type History } from '../../src/ui/simulator/edit-history.ts';
import { freshPeerName, knownAddresses, knownAddressLabel, NEW_ADDRESS, peerDefaults, peerNames } from '../../src/ui/simulator/known-addresses.ts';
import { insertStep, removeStep, sameScenario } from '../../src/ui/simulator/scenario-edits.ts';
import { stepFromForm, type PeerFields } from '../../src/ui/simulator/step-form.ts';
import { historyKey } from '../../src/ui/simulator/undo-redo.ts';
import { ROOT } from '../support/site.ts';

function scenarioFile(name: string): Scenario {
  const c = checkScenario(JSON.parse(readFileSync(join(ROOT, 'content/scenarios', name), 'utf8')));
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  return c.scenario;
}

const base: Scenario = {
  scenario: 1,
  qemu: '11.1',
  netdevs: [{ id: 'n0', type: 'stream', server: true, addr: { type: 'unix', path: '/tmp/sim/n0.sock' } }],
  steps: [{ peer: 'a', connect: { type: 'unix', path: '/tmp/sim/n0.sock' } }, { wait: 100 }, { peer: 'a', close: true }],
};

describe('inserting and removing steps', () => {
  it('inserts a step right after the position, moves the player onto it, and leaves the original alone', () => {
    const before = JSON.stringify(base);
    const r = insertStep(base, 1, { wait: 5 });
    expect(r.scenario.steps).toEqual([base.steps[0], { wait: 5 }, base.steps[1], base.steps[2]]);
    expect(r.position).toBe(2);
    expect(JSON.stringify(base)).toBe(before);
    expect(insertStep(base, 0, { wait: 5 }).scenario.steps[0]).toEqual({ wait: 5 });
    expect(insertStep(base, 3, { wait: 5 }).scenario.steps[3]).toEqual({ wait: 5 });
  });

  it('refuses a position outside the scenario, saying how many steps it has', () => {
    expect(() => insertStep(base, 4, { wait: 5 })).toThrow('cannot insert a step after position 4: the scenario has 3 steps');
    expect(() => insertStep(base, -1, { wait: 5 })).toThrow(RangeError);
  });

  it('removes a step; a player past it moves back one, a player before it stays', () => {
    expect(removeStep(base, 2, 3)).toEqual({ scenario: { ...base, steps: [base.steps[0], base.steps[2]] }, position: 2 });
    expect(removeStep(base, 2, 2).position).toBe(1);
    expect(removeStep(base, 2, 1).position).toBe(1);
    expect(() => removeStep(base, 4, 0)).toThrow('there is no step 4: the scenario has 3 steps');
    expect(() => removeStep(base, 0, 0)).toThrow(RangeError);
  });

  it('tells equal scenarios from different ones', () => {
    expect(sameScenario(base, structuredClone(base))).toBe(true);
    expect(sameScenario(base, insertStep(base, 0, { wait: 1 }).scenario)).toBe(false);
  });
});

describe('undo and redo stacks', () => {
  const entry = (n: number) => ({ label: `edit ${n}`, before: { value: n - 1, position: 0 }, after: { value: n, position: 1 } });

  it('undoes the last edit first and can redo it', () => {
    let h: History<number> = emptyHistory();
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBeNull();
    h = record(record(h, entry(1)), entry(2));
    const u = undo(h)!;
    expect(u.entry.label).toBe('edit 2');
    expect(u.entry.before.value).toBe(1);
    expect(canRedo(u.history)).toBe(true);
    const r = redo(u.history)!;
    expect(r.entry.after.value).toBe(2);
    expect(r.history).toEqual(h);
    expect(redo(r.history)).toBeNull();
  });

  it('walks back through every edit and forward again in order', () => {
    let h: History<number> = emptyHistory();
    for (let n = 1; n <= 5; n++) h = record(h, entry(n));
    const undone: string[] = [];
    for (let u = undo(h); u; u = undo(h)) {
      undone.push(u.entry.label);
      h = u.history;
    }
    expect(undone).toEqual(['edit 5', 'edit 4', 'edit 3', 'edit 2', 'edit 1']);
    const redone: number[] = [];
    for (let r = redo(h); r; r = redo(h)) {
      redone.push(r.entry.after.value);
      h = r.history;
    }
    expect(redone).toEqual([1, 2, 3, 4, 5]);
  });

  it('forgets what could be redone when a new edit is made', () => {
    const h = undo(record(record(emptyHistory<number>(), entry(1)), entry(2)))!.history;
    const after = record(h, entry(9));
    expect(canRedo(after)).toBe(false);
    expect(after.past.map((e) => e.label)).toEqual(['edit 1', 'edit 9']);
  });

  it(`keeps the last ${HISTORY_LIMIT} edits`, () => {
    let h: History<number> = emptyHistory();
    for (let n = 1; n <= HISTORY_LIMIT + 5; n++) h = record(h, entry(n));
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.past[0]!.label).toBe('edit 6');
  });

  it('reads Ctrl+Z as undo, Ctrl+Shift+Z and Ctrl+Y as redo, ⌘ too, and nothing else', () => {
    const k = (key: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) =>
      historyKey({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
    expect(k('z', { ctrlKey: true })).toBe('undo');
    expect(k('Z', { ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(k('y', { ctrlKey: true })).toBe('redo');
    expect(k('z', { metaKey: true })).toBe('undo');
    expect(k('z')).toBeNull();
    expect(k('z', { ctrlKey: true, altKey: true })).toBeNull();
    expect(k('x', { ctrlKey: true })).toBeNull();
  });
});

describe('what the scenario knows: addresses, peers, defaults', () => {
  it('finds the netdevs’ and the steps’ addresses, netdev_add ones included, with who uses them', () => {
    const s = scenarioFile('reconnect-across-releases.json');
    const known = knownAddresses(s);
    expect(known.map((k) => k.text)).toEqual(['unix:/tmp/sim/p.sock']);
    expect(known[0]!.uses).toEqual(['peer p listens', 'netdev c0 connects']);
    expect(known[0]!.netdevConnects).toBe(true);
    expect(known[0]!.netdevListens).toBe(false);
    expect(knownAddressLabel(known[0]!)).toBe('unix:/tmp/sim/p.sock (peer p listens, netdev c0 connects)');
  });

  it("offers reconnect-across-releases' own peer and address, to listen on, never n0", () => {
    const d = peerDefaults(scenarioFile('reconnect-across-releases.json'));
    expect(d.peer).toBe('p');
    expect(d.addr).toEqual({ type: 'unix', path: '/tmp/sim/p.sock' });
    expect(d.action).toBe('listen');
    expect(d.hint).toBe("unix:/tmp/sim/p.sock: peer p listens, netdev c0 connects. Listen there to be the netdev's server.");
  });

  it("prefers a server netdev's address, where connecting reaches QEMU", () => {
    const s: Scenario = {
      ...base,
      netdevs: [
        { id: 'c0', type: 'stream', server: false, addr: { type: 'inet', host: '127.0.0.1', port: '6000' } },
        { id: 's0', type: 'stream', server: 'on', addr: { type: 'inet', host: '::1', port: '7000', ipv6: true } },
      ],
      steps: [],
    };
    const d = peerDefaults(s);
    expect(d.addr).toEqual({ type: 'inet', host: '::1', port: '7000', ipv6: true });
    expect(d.action).toBe('connect');
    expect(d.peer).toBe('a');
  });

  it('says an address is new when the scenario names none, and skips addresses a peer cannot use', () => {
    const s: Scenario = { scenario: 1, qemu: '11.1', netdevs: [{ id: 'f', type: 'stream', addr: { type: 'fd', str: '3' } }], steps: [{ wait: 1 }] };
    expect(knownAddresses(s)).toEqual([]);
    const d = peerDefaults(s);
    expect(d.addr).toEqual(NEW_ADDRESS);
    expect(d.action).toBeNull();
    expect(d.hint).toContain('names no socket address yet');
  });

  it('lists peer names in first-use order and picks a fresh one that is not taken', () => {
    const s: Scenario = { ...base, steps: [{ peer: 'b', close: true }, { peer: 'a', close: true }, { peer: 'b', close: true }] };
    expect(peerNames(s)).toEqual(['b', 'a']);
    expect(freshPeerName(s)).toBe('c');
    const many: Scenario = { ...base, steps: 'abcdefghijklmnopqrstuvwxyz'.split('').map((p) => ({ peer: p, close: true as const })) };
    expect(freshPeerName(many)).toBe('p1');
  });

  it('reads hostile scenario values without throwing', () => {
    const s = { scenario: 1, qemu: '11.1', netdevs: [null, 3, { addr: 'x' }], steps: [null, { peer: 5, connect: { type: 'unix' } }, { qmp: { execute: 'netdev_add', arguments: 7 } }] } as unknown as Scenario;
    expect(knownAddresses(s)).toEqual([]);
    expect(peerNames(s)).toEqual([]);
  });
});

describe('the "Be a peer" form, as a step', () => {
  const fields = (f: Partial<PeerFields> = {}): PeerFields => ({
    peer: 'z',
    addrType: 'unix',
    path: '/tmp/sim/n0.sock',
    host: '127.0.0.1',
    port: '5555',
    hex: 'ffff',
    wait: '200',
    ...f,
  });

  it('builds each kind of peer step', () => {
    expect(stepFromForm('connect', fields())).toEqual({ ok: true, step: { peer: 'z', connect: { type: 'unix', path: '/tmp/sim/n0.sock' } } });
    expect(stepFromForm('listen', fields({ addrType: 'inet' }))).toEqual({ ok: true, step: { peer: 'z', listen: { type: 'inet', host: '127.0.0.1', port: '5555' } } });
    expect(stepFromForm('send', fields({ hex: 'FF ee\n00' }))).toEqual({ ok: true, step: { peer: 'z', send: 'ffee00' } });
    expect(stepFromForm('send-raw', fields())).toEqual({ ok: true, step: { peer: 'z', 'send-raw': 'ffff' } });
    expect(stepFromForm('close', fields({ peer: '  z ' }))).toEqual({ ok: true, step: { peer: 'z', close: true } });
    expect(stepFromForm('wait', fields({ peer: '' }))).toEqual({ ok: true, step: { wait: 200 } });
  });

  it('keeps the extra members of an address picked from the scenario while the fields still match it', () => {
    const known = { type: 'unix' as const, path: '@nsl', abstract: true };
    expect(stepFromForm('connect', fields({ path: '@nsl', known }))).toEqual({ ok: true, step: { peer: 'z', connect: known } });
    expect(stepFromForm('connect', fields({ path: '/other', known }))).toEqual({ ok: true, step: { peer: 'z', connect: { type: 'unix', path: '/other' } } });
  });

  it('says which field is wrong and how, for every kind of bad input', () => {
    expect(stepFromForm('close', fields({ peer: ' ' }))).toEqual({ ok: false, field: 'peer', message: 'Give the peer a name first (any short text, e.g. "a").' });
    expect(stepFromForm('close', fields({ peer: 'x'.repeat(65) }))).toMatchObject({ ok: false, field: 'peer', message: 'A peer name is at most 64 characters.' });
    expect(stepFromForm('connect', fields({ path: '' }))).toMatchObject({ ok: false, field: 'path', message: 'Fill in the socket path (e.g. /tmp/sim/n0.sock).' });
    expect(stepFromForm('connect', fields({ addrType: 'inet', host: '' }))).toMatchObject({ ok: false, field: 'host' });
    expect(stepFromForm('connect', fields({ addrType: 'inet', port: ' ' }))).toMatchObject({ ok: false, field: 'port', message: 'Fill in the port (e.g. 5555).' });
    expect(stepFromForm('connect', fields({ addrType: 'vsock' }))).toMatchObject({ ok: false, field: 'addrType', message: 'The address type must be unix or inet, not "vsock".' });
    for (const hex of ['xyz', 'abc', '']) {
      expect(stepFromForm('send', fields({ hex }))).toEqual({ ok: false, field: 'hex', message: 'The bytes must be hex digits, two per byte (e.g. ffffffffffff…).' });
    }
    for (const wait of ['-1', '1.5', '', 'soon']) {
      expect(stepFromForm('wait', fields({ wait }))).toEqual({ ok: false, field: 'wait', message: 'The wait is a whole number of milliseconds, 0 or more.' });
    }
    expect(stepFromForm('wait', fields({ wait: String(MAX_WAIT_MS + 1) }))).toMatchObject({ ok: false, field: 'wait', message: 'A wait is at most 86,400,000 ms (one simulated day).' });
  });

  it('builds only steps the scenario schema accepts', () => {
    for (const action of ['connect', 'listen', 'close', 'send', 'send-raw', 'wait'] as const) {
      for (const addrType of ['unix', 'inet']) {
        const r = stepFromForm(action, fields({ addrType }));
        if (!r.ok) throw new Error(r.message);
        expect(checkScenario({ ...base, steps: [r.step] }).ok).toBe(true);
      }
    }
  });
});
