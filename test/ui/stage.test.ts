/**
 * The stage's data and drawings, checked in Node on guided scenarios: what
 * a trace says each step did and what QEMU said, which connection a
 * frame travels on, wedged and broken connections, the picture drawn from
 * it, and the narrow layout of the machine's modes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamNetdevMachine } from '../../src/core/netdev/stream-machine.ts';
import { schemaChecker } from '../../src/core/qmp/schema-checker.ts';
import { checkScenario } from '../../src/core/scenario/schema.ts';
import type { VNode } from '../../src/ui/dom/h.ts';
import { arcLayout, labelEnd } from '../../src/ui/diagram/arc-layout.ts';
import { labelSpan, spreadLabels } from '../../src/ui/diagram/label-spread.ts';
import type { EdgePath } from '../../src/ui/diagram/layout.ts';
import { machineGraph } from '../../src/ui/diagram/machine-graph.ts';
import { captionView } from '../../src/ui/stage/caption.ts';
import { machineMarks, takenPath } from '../../src/ui/stage/machine.ts';
import { pictureView } from '../../src/ui/stage/picture.ts';
import { buildTrace } from '../../src/ui/trace/build.ts';
import { leaves } from '../../src/ui/views/state-diagram.ts';
import { ROOT } from '../support/site.ts';

function trace(name: string) {
  const c = checkScenario(JSON.parse(readFileSync(join(ROOT, 'content/scenarios', `${name}.json`), 'utf8')));
  if (!c.ok) throw new Error(`${name} is not valid`);
  return buildTrace(c.scenario, { checker: schemaChecker });
}

/** Every element of a tree, depth first. */
function all(node: VNode | string): VNode[] {
  return typeof node === 'string' ? [] : [node, ...node.children.flatMap(all)];
}
const textOf = (node: VNode | string): string => (typeof node === 'string' ? node : node.children.map(textOf).join(''));
const withAttr = (tree: VNode, attr: string, value?: string) =>
  all(tree).filter((n) => attr in n.attrs && (value === undefined || n.attrs[attr] === value));

const backlog = trace('second-client-waits-in-backlog');
const wedge = trace('zero-length-frame-wedge');
const libvirt = trace('libvirt-restarts-passt');

describe('the stage data of a trace', () => {
  it('says what each step did and which QMP events QEMU sent for it, with their data', () => {
    const s1 = backlog.positions[1]!.stage;
    expect(s1.did).toBe('peer a connects to unix:/tmp/sim/n0.sock');
    expect(s1.said.filter((s) => s.kind === 'event')).toEqual([
      { kind: 'event', name: 'NETDEV_STREAM_CONNECTED', netdev: 'n0', text: 'netdev-id: n0, addr: unix:/tmp/sim/n0.sock', delivered: true },
    ]);
    expect(s1.changes).toEqual([{ netdev: 'n0', from: 'server.listening', to: 'server.connected' }]);
    // b's connect completes in the kernel, and QEMU says nothing.
    expect(backlog.positions[2]!.stage.said).toEqual([]);
    // a hangs up: DISCONNECTED for a, then CONNECTED for b, in that order.
    expect(backlog.positions[5]!.stage.said.map((s) => s.name)).toEqual(['NETDEV_STREAM_DISCONNECTED', 'NETDEV_STREAM_CONNECTED']);
    expect(backlog.cast).toEqual({ netdevs: [{ handle: 0, id: 'n0', mode: 'server' }], peers: ['a', 'b'], calloutLines: 2 });
  });

  it("puts a frame on the sender's connection, and says whether QEMU read it", () => {
    const conn = backlog.positions[2]!.peers.find((p) => p.name === 'b')!.connection!;
    expect(backlog.positions[3]!.stage.travel).toEqual({ conn, peer: 'b', kind: 'frame', bytes: 42, readBy: null });
    expect(wedge.positions[3]!.stage.travel).toMatchObject({ peer: 'a', bytes: 42, readBy: 'n0' });
    expect(backlog.positions[1]!.stage.travel).toBeNull();
  });

  it('marks the connection a zero-length frame stalled as wedged, and as broken once the peer hangs up', () => {
    const conn = wedge.positions[1]!.connections[0]!.id;
    expect(wedge.positions[2]!.stage.wedged).toEqual([]);
    expect(wedge.positions[3]!.stage).toMatchObject({ wedged: [conn], broken: [] });
    expect(wedge.positions[4]!.stage).toMatchObject({ wedged: [conn], broken: [conn] });
  });

  it('follows the first netdev that exists, and knows it before netdev_add creates it', () => {
    expect(machineMarks(libvirt, 0, null)).toMatchObject({ id: 'hostnet0', mode: 'client', state: null, text: 'hostnet0 (client) does not exist yet.' });
    expect(machineMarks(libvirt, 4, null)).toMatchObject({ state: 'client.waiting', taken: 'client.connected>client.waiting' });
    // What the step that led here did, wherever the reader came from (as the caption says it).
    expect(machineMarks(libvirt, 7, null)).toMatchObject({ state: 'client.connected', taken: 'client.waiting>client.connected' });
    expect(machineMarks(libvirt, 8, null)).toMatchObject({ state: 'client.connected', taken: null });
  });
});

describe('the network picture', () => {
  it('draws every netdev and peer of the run in the same place at every step', () => {
    const places = backlog.positions.map((_, k) => {
      const svg = pictureView(backlog, k);
      return [...withAttr(svg, 'data-netdev'), ...withAttr(svg, 'data-peer')].map((g) => `${g.attrs['data-netdev'] ?? g.attrs['data-peer']}@${all(g).find((n) => n.tag === 'rect')!.attrs.x}`);
    });
    expect(new Set(places.map((p) => p.join()))).toEqual(new Set([places[0]!.join()]));
    expect(places[0]).toEqual(expect.arrayContaining([expect.stringMatching(/^n0@/), expect.stringMatching(/^a@/), expect.stringMatching(/^b@/)]));
  });

  it('shows the connection, the CONNECTED call-out at n0 and a named element for each thing: a menu button where the page acts on it, else an image', () => {
    const start = pictureView(backlog, 0);
    expect(withAttr(start, 'data-conn')).toEqual([]);
    expect(withAttr(start, 'data-callout')).toEqual([]);
    const svg = pictureView(backlog, 1, { actionable: true });
    const [conn] = withAttr(svg, 'data-conn');
    expect(conn!.attrs['aria-label']).toMatch(/^connection #\d+ between peer a and n0: accepted$/);
    expect(textOf(withAttr(svg, 'data-callout', 'n0')[0]!)).toBe('NETDEV_STREAM_CONNECTED');
    const still = pictureView(backlog, 1);
    for (const attr of ['data-netdev', 'data-peer', 'data-listener', 'data-conn']) {
      expect(withAttr(svg, attr).length, attr).toBeGreaterThan(0);
      for (const g of withAttr(svg, attr)) {
        expect([g.attrs.tabindex, g.attrs.role, g.attrs['aria-haspopup'], g.attrs['aria-expanded']], attr).toEqual(['0', 'button', 'menu', 'false']);
        expect(g.attrs['aria-label'], attr).not.toBe('');
      }
      for (const g of withAttr(still, attr)) {
        expect([g.attrs.tabindex, g.attrs.role, g.attrs['aria-haspopup']], attr).toEqual([undefined, 'img', undefined]);
        expect(g.attrs['aria-label'], attr).not.toBe('');
      }
    }
    expect(withAttr(svg, 'data-listener')[0]!.attrs['aria-label']).toBe(
      'listening socket unix:/tmp/sim/n0.sock of n0, backlog 0 (Linux queues 1): nothing waiting',
    );
  });

  it("puts b's waiting connection in the backlog's slot, with the frame it wrote waiting there", () => {
    const svg = pictureView(backlog, 3);
    const queued = all(svg).find((n) => n.attrs.class?.includes('nsl-pic-queued'))!;
    expect(queued.attrs['aria-label']).toMatch(/between peer b and nobody yet: waiting in the backlog, not accepted$/);
    expect(withAttr(svg, 'class', 'nsl-pic-slot nsl-pic-slot-full')).toHaveLength(1);
    const travel = all(svg).find((n) => n.attrs.class?.includes('nsl-pic-travel'))!;
    expect(textOf(travel)).toBe('42 B waiting');
    expect(all(travel).some((n) => n.tag === 'animateMotion' && n.attrs.begin === 'indefinite')).toBe(true);
  });

  it('draws a wedged connection as wedged, and a broken one with the closed end crossed out', () => {
    const svg = pictureView(wedge, 4);
    const conn = withAttr(svg, 'data-conn')[0]!;
    expect(conn.attrs.class).toContain('nsl-pic-wedged');
    expect(conn.attrs.class).toContain('nsl-pic-broken');
    expect(conn.attrs['aria-label']).toContain('wedged: QEMU stopped reading it; broken: peer a closed its end');
    // Its words are drawn beside it (hidden from assistive technology, which has its name).
    const words = all(svg).find((n) => n.attrs.class === `${conn.attrs.class} nsl-pic-words`)!;
    expect(words.attrs['aria-hidden']).toBe('true');
    expect(textOf(words)).toContain('not read');
    expect(textOf(words)).toContain('✕');
  });
});

describe('the caption', () => {
  it('says what the step did, then what QEMU said', () => {
    expect(textOf(captionView(backlog, 1))).toBe(
      'peer a connects to unix:/tmp/sim/n0.sock → NETDEV_STREAM_CONNECTED {netdev-id: n0, addr: unix:/tmp/sim/n0.sock}n0: listening → connected',
    );
    expect(textOf(captionView(backlog, 2))).toBe('peer b connects to unix:/tmp/sim/n0.sock → QEMU says nothing');
    expect(textOf(captionView(backlog, 4))).toContain('return "n0: index=0,type=stream,unix:/tmp/sim/n0.sock"');
  });
});

describe("the stage's layout of the machine's modes", () => {
  const graph = machineGraph(streamNetdevMachine);
  type Rect = { what: string; x0: number; x1: number; y0: number; y1: number };
  const meets = (a: Rect, b: Rect) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  const nums = (d: string) => [...d.matchAll(/-?\d+(\.\d+)?/g)].map((m) => Number(m[0]));
  const labelRect = (e: EdgePath): Rect => {
    const [y0, y1] = labelSpan(e.ly, e.guard !== null);
    return { what: `label of ${e.source}>${e.target}`, x0: e.lx, x1: labelEnd(e), y0, y1 };
  };
  /** Every line and shape the diagram draws, as boxes: the arcs (to their outermost point), arrowheads, state boxes. */
  const ink = (edges: EdgePath[], boxes: { id: string; x: number; y: number; w: number; h: number }[]): Rect[] => [
    ...edges.map((e) => {
      const n = nums(e.d);
      const xs = n.filter((_, i) => i % 2 === 0);
      const ys = n.filter((_, i) => i % 2 === 1);
      // A cubic's outermost point lies 3/4 of the way to its control points; a line is its ends.
      const reach = n.length === 8 ? xs[0]! + 0.75 * (xs[1]! - xs[0]!) : Math.max(...xs);
      return { what: `arc ${e.source}>${e.target}`, x0: Math.min(...xs), x1: Math.max(reach, xs[0]!), y0: Math.min(...ys), y1: Math.max(...ys) };
    }),
    ...edges.map((e) => {
      const n = nums(e.head);
      const xs = n.filter((_, i) => i % 2 === 0);
      const ys = n.filter((_, i) => i % 2 === 1);
      return { what: `arrowhead ${e.source}>${e.target}`, x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
    }),
    ...boxes.filter((b) => b.id !== '').map((b) => ({ what: `state ${b.id}`, x0: b.x, x1: b.x + b.w, y0: b.y, y1: b.y + b.h })),
  ];

  for (const mode of ['server', 'client']) {
    it(`has every ${mode} state in one column and every transition between them, narrow enough for a phone`, () => {
      const layout = arcLayout(graph, mode);
      const states = graph.edges.flatMap((e) => [e.source, e.target]).filter((id) => id.startsWith(`${mode}.`));
      for (const id of new Set(states)) expect(layout.boxes.map((b) => b.id)).toContain(id);
      expect(layout.boxes.map((b) => b.id)).toContain('deleted');
      const inside = graph.edges.filter((e) => e.source.startsWith(`${mode}.`) && e.target.startsWith(`${mode}.`) && e.source !== e.target);
      expect(layout.edges.map((e) => `${e.source}>${e.target}:${e.event}`)).toEqual(
        expect.arrayContaining(inside.map((e) => `${e.source}>${e.target}:${e.event}`)),
      );
      expect(new Set(layout.boxes.filter((b) => b.id !== '').map((b) => b.x)).size).toBe(1);
      // Narrow enough for a phone at full size (the stage's view adds 10 units of margin).
      expect(layout.width + 10).toBeLessThanOrEqual(360);
      for (const e of layout.edges) expect(labelEnd(e), `label of ${e.source}>${e.target}`).toBeLessThanOrEqual(layout.width);
    });

    it(`keeps the ${mode} labels shown together off every line and apart, whichever state a netdev is in and however it got there`, () => {
      const layout = arcLayout(graph, mode);
      const keys = layout.edges.map((e) => `${e.source}>${e.target}`);
      const byKey = new Map(layout.edges.map((e) => [`${e.source}>${e.target}`, e]));
      const drawn = ink(layout.edges, layout.boxes);
      const states = layout.boxes.map((b) => b.id).filter((id) => id.startsWith(`${mode}.`));
      let sets = 0;
      for (const now of states) {
        for (const before of [null, ...states.filter((s) => s !== now)]) {
          // What the stage labels: the ways on from here, the way it came, and netdev.delete.
          const shown = [...new Set([...keys.filter(leaves(now)), ...takenPath(keys, before && `${before}>${now}`)])].filter((k) => k !== '>deleted');
          // Moved apart as the browser does, above netdev.delete's label.
          const del = byKey.get('>deleted')!;
          const at = spreadLabels(shown.map((k) => ({ key: k, ly: byKey.get(k)!.ly, guarded: byKey.get(k)!.guard !== null })), 0, labelSpan(del.ly, false)[0] - 1);
          const rects = [...shown.map((k) => labelRect({ ...byKey.get(k)!, ly: at.get(k)! })), labelRect(del)];
          for (const r of rects) expect(r.y0, `${now} (from ${before}): ${r.what} inside the diagram`).toBeGreaterThanOrEqual(0);
          for (const r of rects) for (const line of drawn) expect(meets(r, line), `${now} (from ${before}): ${r.what} covers ${line.what}`).toBe(false);
          for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(meets(rects[i]!, rects[j]!), `${now} (from ${before}): ${rects[i]!.what} and ${rects[j]!.what}`).toBe(false);
          sets++;
        }
      }
      expect(sets).toBeGreaterThan(states.length);
    });
  }

  it('moves apart labels that want one row, as little as needed, within the room there is', () => {
    const at = spreadLabels(
      [
        { key: 'a', ly: 72, guarded: true },
        { key: 'b', ly: 72, guarded: true },
        { key: 'c', ly: 16, guarded: false },
      ],
      0,
      200,
    );
    expect(at.get('c')).toBe(16);
    expect(at.get('a')).toBe(72);
    expect(at.get('b')).toBe(72 + 14 + 1 + 12);
    // No room below: the stack moves up instead.
    const low = spreadLabels([{ key: 'a', ly: 100, guarded: false }, { key: 'b', ly: 100, guarded: false }], 0, 105);
    expect([low.get('a'), low.get('b')]).toEqual([105 - 7 - 1 - 6 - 7, 105 - 7]);
  });

  it('finds the transitions a step took: the one edge, or the shortest way along the edges, or netdev.delete', () => {
    const keys = arcLayout(graph, 'client').edges.map((e) => `${e.source}>${e.target}`);
    expect(takenPath(keys, 'client.connected>client.waiting')).toEqual(['client.connected>client.waiting']);
    // A wait that lets the reconnect timer fire and the connect succeed.
    expect(takenPath(keys, 'client.waiting>client.connected')).toEqual(['client.waiting>client.connecting', 'client.connecting>client.connected']);
    expect(takenPath(keys, 'client.connected>deleted')).toEqual(['>deleted']);
    expect(takenPath(keys, 'client.failed>client.connected')).toEqual([]);
    expect(takenPath(keys, null)).toEqual([]);
  });
});

describe("the stage at QEMU's end", () => {
  const server = { type: 'unix', path: '/tmp/sim/n0.sock' };
  const build = (steps: unknown[], netdevs: unknown[], qemu = '10.0') => {
    const c = checkScenario({ scenario: 1, title: 't', description: 'd', qemu, netdevs, steps });
    if (!c.ok) throw new Error(JSON.stringify(c.issues));
    return buildTrace(c.scenario, { checker: schemaChecker });
  };
  const exitWords = (t: ReturnType<typeof build>, k: number) => withAttr(pictureView(t, k), 'class').filter((n) => n.attrs.class!.includes('nsl-pic-exit')).map(textOf);
  const notes = (t: ReturnType<typeof build>, k: number) => all(pictureView(t, k)).filter((n) => n.attrs.class === 'nsl-pic-note').map(textOf);

  it('after quit: QEMU exited (status 0), and its netdevs went with it, not by netdev_del', () => {
    const t = build([{ peer: 'a', connect: server }, { qmp: { execute: 'quit' } }], [{ id: 'n0', type: 'stream', server: true, addr: server }]);
    expect(exitWords(t, 1)).toEqual([]);
    expect(exitWords(t, 2)).toEqual(['QEMU exited (status 0)']);
    expect(notes(t, 2)).toContain('gone with QEMU');
    expect(notes(t, 2)).not.toContain('removed by netdev_del');
    expect(t.positions[2]!.stage.said.map((s) => s.text)).toContain('QEMU exits with status 0');
  });

  it('a netdev deleted before quit stays "removed by netdev_del"', () => {
    const t = build([{ qmp: { execute: 'netdev_del', arguments: { id: 'n0' } } }, { qmp: { execute: 'quit' } }], [{ id: 'n0', type: 'stream', server: true, addr: server }]);
    expect(notes(t, 2)).toContain('removed by netdev_del');
    expect(notes(t, 2)).not.toContain('gone with QEMU');
  });

  it('a crash (a client deleted while its connect waits, then the connect succeeds) is told as one: SIGSEGV', () => {
    const t = build(
      [
        { peer: 'a', connect: server },
        { peer: 'b', connect: server },
        { qmp: { execute: 'netdev_add', arguments: { id: 'c0', type: 'stream', addr: server } } },
        { qmp: { execute: 'netdev_del', arguments: { id: 'c0' } } },
        { peer: 'a', close: true },
      ],
      [{ id: 's0', type: 'stream', server: true, addr: server }],
    );
    expect(t.positions[5]!.stage.said.map((s) => s.text)).toContain('QEMU crashes: killed by SIGSEGV (exit status 139)');
    expect(exitWords(t, 4)).toEqual([]);
    expect(exitWords(t, 5)).toEqual(['QEMU crashed (SIGSEGV)']);
    expect(textOf(captionView(t, 5))).toContain('QEMU crashes: killed by SIGSEGV (exit status 139)');
  });
});
