/**
 * A small layered layout for a statechart: every compound state stacks its
 * children in ranks (breadth-first from its initial state, along the
 * transitions inside it), ranks are centred rows, compounds grow to fit.
 * A state that leads straight back to the one before it sits beside it;
 * each row is ordered by where its neighbours above sit.
 * Edges run between box borders; an edge whose reverse also exists bends
 * so the two stay apart. Good enough for machines of a dozen states, and
 * deterministic, so the SVG only changes when the machine does.
 */
import { guardLabel, type MachineEdge, type MachineGraph, type MachineNode } from './machine-graph.ts';
import { arrowHead, tenth as r1 } from './svg.ts';

export interface Box {
  id: string;
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  compound: boolean;
  final: boolean;
  initial: boolean;
}

export interface EdgePath {
  source: string;
  target: string;
  /** SVG path data. */
  d: string;
  /** The arrowhead as a polygon's points. */
  head: string;
  /** Where the label goes. */
  lx: number;
  ly: number;
  /** How the label aligns on (lx, ly); centred when not given. */
  anchor?: 'start' | 'middle';
  event: string;
  guard: string | null;
}

export interface DiagramLayout {
  width: number;
  height: number;
  boxes: Box[];
  edges: EdgePath[];
  /** Transitions every state takes (on the root), written as notes. */
  notes: string[];
}

const LEAF_H = 34;
const GAP_X = 118;
const GAP_Y = 86;
const PAD_X = 22;
const PAD_TOP = 34;
const PAD_BOTTOM = 24;
const CHAR_W = 7.4;

const leafWidth = (name: string) => Math.max(104, Math.round(name.length * CHAR_W + 28));

interface Sized {
  node: MachineNode;
  w: number;
  h: number;
  /** Child positions relative to this node's top-left. */
  at: Map<string, { x: number; y: number; s: Sized }>;
}

function size(node: MachineNode, edges: MachineEdge[]): Sized {
  if (node.children.length === 0) return { node, w: leafWidth(node.name), h: LEAF_H, at: new Map() };
  const kids = node.children.map((c) => size(c, edges));
  const byId = new Map(kids.map((k) => [k.node.id, k]));
  // Which child does an id belong to (the child itself or one of its descendants)?
  const childOf = (id: string): string | undefined => {
    for (const k of kids) if (id === k.node.id || id.startsWith(`${k.node.id}.`)) return k.node.id;
    return undefined;
  };
  const rank = new Map<string, number>();
  const start = node.initial ? childOf(node.initial) : kids[0]?.node.id;
  if (start) {
    rank.set(start, 0);
    const queue = [start];
    while (queue.length > 0) {
      const cur = queue.shift()!;
      for (const e of edges) {
        const s = childOf(e.source);
        const t = childOf(e.target);
        if (s !== cur || t === undefined || rank.has(t) || e.source === node.id) continue;
        // A state that leads straight back (a two-state loop) goes beside, not below.
        const loop = edges.some((b) => childOf(b.source) === t && childOf(b.target) === cur);
        rank.set(t, rank.get(cur)! + (loop ? 0 : 1));
        if (loop) queue.unshift(t);
        else queue.push(t);
      }
    }
  }
  let max = Math.max(-1, ...rank.values());
  for (const k of kids) if (!rank.has(k.node.id)) rank.set(k.node.id, ++max);
  const rows: Sized[][] = [];
  for (const k of kids) (rows[rank.get(k.node.id)!] ??= []).push(k);
  // Order each row by where its neighbours in the rows above sit (fewer crossings).
  const where = new Map<string, number>();
  const linked = (a: string, b: string) => edges.some((e) => (childOf(e.source) === a && childOf(e.target) === b) || (childOf(e.source) === b && childOf(e.target) === a));
  rows.forEach((row, r) => {
    const key = (k: Sized) => {
      const xs = [...where].filter(([id]) => linked(id, k.node.id)).map(([, x]) => x);
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0.5;
    };
    if (r > 0) {
      const keys = new Map(row.map((k) => [k, key(k)]));
      row.sort((a, b) => keys.get(a)! - keys.get(b)!);
    }
    row.forEach((k, i) => where.set(k.node.id, (i + 0.5) / row.length));
  });
  const rowW = rows.map((r) => r.reduce((a, k) => a + k.w, 0) + GAP_X * (r.length - 1));
  const inner = Math.max(...rowW);
  const w = inner + 2 * PAD_X;
  const at = new Map<string, { x: number; y: number; s: Sized }>();
  let y = PAD_TOP;
  rows.forEach((r, i) => {
    let x = PAD_X + (inner - rowW[i]!) / 2;
    const rh = Math.max(...r.map((k) => k.h));
    for (const k of r) {
      at.set(k.node.id, { x, y: y + (rh - k.h) / 2, s: k });
      x += k.w + GAP_X;
    }
    y += rh + GAP_Y;
  });
  void byId;
  return { node, w, h: y - GAP_Y + PAD_BOTTOM, at };
}

function place(s: Sized, x: number, y: number, initial: boolean, out: Box[]): void {
  out.push({
    id: s.node.id,
    name: s.node.name,
    x,
    y,
    w: s.w,
    h: s.h,
    compound: s.node.children.length > 0,
    final: s.node.final,
    initial,
  });
  for (const [id, p] of s.at) place(p.s, x + p.x, y + p.y, s.node.initial === id, out);
}

/** Where the ray from the box's centre towards (tx, ty) leaves the box. */
function border(b: Box, tx: number, ty: number): [number, number] {
  const cx = b.x + b.w / 2;
  const cy = b.y + b.h / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  if (dx === 0 && dy === 0) return [cx, cy];
  const sx = dx === 0 ? Infinity : b.w / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : b.h / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return [cx + dx * s, cy + dy * s];
}

/** The arrowheads of this layout: 9 long, 9 wide. */
const head = (x: number, y: number, fromX: number, fromY: number) => arrowHead(x, y, fromX, fromY, 9, 4.5);

export function layoutDiagram(graph: MachineGraph): DiagramLayout {
  const sized = size(graph.root, graph.edges);
  const boxes: Box[] = [];
  place(sized, 0, 0, false, boxes);
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const edges: EdgePath[] = [];
  const notes: string[] = [];
  const pairs = new Set(graph.edges.map((e) => `${e.source}>${e.target}`));
  for (const e of graph.edges) {
    const guard = guardLabel(graph.edges, e);
    if (e.source === e.target) {
      notes.push(`In every state, ${e.event} is handled without leaving the state.`);
      continue;
    }
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t) continue;
    if (t.id.startsWith(`${s.id}.`) || s.id === '') {
      // A transition of an enclosing state: it leaves whichever state is active.
      const x = t.x + t.w / 2;
      const y0 = t.y - GAP_Y * 0.7;
      edges.push({
        source: e.source,
        target: e.target,
        d: `M${r1(x)},${r1(y0)} L${r1(x)},${r1(t.y)}`,
        head: head(x, t.y, x, y0),
        lx: x + 8,
        ly: y0 + 14,
        event: `${e.event} (from any state)`,
        guard,
      });
      continue;
    }
    const scx = s.x + s.w / 2;
    const scy = s.y + s.h / 2;
    const tcx = t.x + t.w / 2;
    const tcy = t.y + t.h / 2;
    const bend = pairs.has(`${e.target}>${e.source}`) ? 26 : 0;
    // Control point: off the straight line, to the left of the direction of travel.
    const len = Math.hypot(tcx - scx, tcy - scy) || 1;
    const nx = -(tcy - scy) / len;
    const ny = (tcx - scx) / len;
    const mx = (scx + tcx) / 2 + nx * bend * 2;
    const my = (scy + tcy) / 2 + ny * bend * 2;
    const [x1, y1] = border(s, bend ? mx : tcx, bend ? my : tcy);
    const [x2, y2] = border(t, bend ? mx : scx, bend ? my : scy);
    const d = bend ? `M${r1(x1)},${r1(y1)} Q${r1(mx)},${r1(my)} ${r1(x2)},${r1(y2)}` : `M${r1(x1)},${r1(y1)} L${r1(x2)},${r1(y2)}`;
    const tip = bend ? head(x2, y2, mx, my) : head(x2, y2, x1, y1);
    // The label sits at the curve's middle.
    const lx = bend ? 0.25 * x1 + 0.5 * mx + 0.25 * x2 : (x1 + x2) / 2;
    const ly = bend ? 0.25 * y1 + 0.5 * my + 0.25 * y2 : (y1 + y2) / 2;
    edges.push({ source: e.source, target: e.target, d, head: tip, lx: r1(lx), ly: r1(ly), event: e.event, guard });
  }
  const root = byId.get('')!;
  return { width: root.w, height: root.h + (notes.length ? 18 * notes.length + 6 : 0), boxes, edges, notes };
}
