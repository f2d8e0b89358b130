/**
 * A narrow layout of one mode of the backend machine (the states inside
 * "server" or "client"), for the simulator's stage: the states in one
 * column, in the order a depth-first walk from the initial state meets
 * them (so the usual path reads downwards), and every transition as an
 * arc on the right of the column, wider the more rows it spans. "deleted"
 * closes the column, reached from any state.
 *
 * The stage labels the transitions that can happen next and the ones just
 * taken. A transition's label sits on the row of the state it leads to,
 * in a column right of every arc, so no label covers a line; the
 * transitions leaving one state lead to different states, so their labels
 * have rows of their own, and label-spread.ts moves apart the few that
 * want one row (test/ui/stage.test.ts checks every state with every way
 * into it).
 *
 * About 320 units wide whatever the machine, so a phone shows it at full
 * size; computed at build time from the machine definition.
 */
import type { Box, DiagramLayout, EdgePath } from './layout.ts';
import { guardLabel, type MachineGraph, type MachineNode } from './machine-graph.ts';
import { arrowHead, tenth as r1 } from './svg.ts';

const BOX_W = 104;
const BOX_H = 20;
const ROW = 28;
const LEFT = 4;
const TOP = 6;
const BULGE = 13;
const BULGE_STEP = 10;
/** How much further out an upward arc bulges than a downward one of the same span. */
const UP_EXTRA = 8;
/** Average advance of a label character at 12 px (DejaVu Sans, the widest of the usual system fonts). */
export const LABEL_CHAR = 7;
/** Room between a label and the arcs on its left. */
const LABEL_GAP = 6;

/** How far right a label reaches. */
export function labelEnd(e: Pick<EdgePath, 'lx' | 'event' | 'guard'>): number {
  return e.lx + LABEL_CHAR * Math.max(e.event.length, e.guard ? e.guard.length + 2 : 0);
}

/** The arrowheads of this layout: 8 long, 8 wide. */
const head = (x: number, y: number, fromX: number, fromY: number) => arrowHead(x, y, fromX, fromY, 8, 4);

function find(node: MachineNode, id: string): MachineNode | undefined {
  if (node.id === id) return node;
  for (const c of node.children) {
    const f = find(c, id);
    if (f) return f;
  }
  return undefined;
}

/** The layout of the states inside `mode` ("server" or "client") and "deleted". */
export function arcLayout(graph: MachineGraph, mode: string): DiagramLayout {
  const compound = find(graph.root, mode);
  if (!compound || compound.children.length === 0) throw new Error(`arcLayout: the machine has no compound state "${mode}"`);
  const inside = (id: string) => id.startsWith(`${mode}.`);
  const edges = graph.edges.filter((e) => inside(e.source) && inside(e.target) && e.source !== e.target);
  // Depth-first from the initial state, transitions in the machine's order.
  const order: string[] = [];
  const visit = (id: string) => {
    if (order.includes(id)) return;
    order.push(id);
    for (const e of edges) if (e.source === id) visit(e.target);
  };
  visit(compound.initial ?? compound.children[0]!.id);
  for (const c of compound.children) visit(c.id);
  const deleted = graph.edges.find((e) => e.source === '' && e.target !== '' && !inside(e.target));
  const rows = deleted ? [...order, deleted.target] : order;

  const boxes: Box[] = [{ id: '', name: '', x: 0, y: 0, w: 0, h: 0, compound: true, final: false, initial: false }];
  const at = new Map<string, Box>();
  rows.forEach((id, i) => {
    const node = find(graph.root, id);
    const b: Box = {
      id,
      name: node?.name ?? id,
      x: LEFT + 18,
      y: TOP + i * ROW + (deleted && id === deleted.target ? 10 : 0),
      w: BOX_W,
      h: BOX_H,
      compound: false,
      final: node?.final ?? false,
      initial: id === compound.initial,
    };
    boxes.push(b);
    at.set(id, b);
  });

  const out: EdgePath[] = [];
  const right = LEFT + 18 + BOX_W;
  /** How far right each arc reaches. */
  const reaches: number[] = [];
  for (const e of edges) {
    const s = at.get(e.source)!;
    const t = at.get(e.target)!;
    const span = Math.abs(rows.indexOf(e.target) - rows.indexOf(e.source));
    const down = t.y > s.y;
    // Arcs leave and enter on the right edge; downward ones a little lower, upward ones a little higher, so a pair stays apart.
    const sy = s.y + s.h / 2 + (down ? 5 : -5);
    const ty = t.y + t.h / 2 + (down ? -5 : 5);
    const bulge = BULGE + BULGE_STEP * (span - 1) + (down ? 0 : UP_EXTRA);
    const cx = right + bulge * 1.35;
    // The curve's outermost point is at 3/4 of the way to its control points.
    reaches.push(right + (cx - right) * 0.75 + 1);
    out.push({
      source: e.source,
      target: e.target,
      d: `M${right},${r1(sy)} C${r1(cx)},${r1(sy)} ${r1(cx)},${r1(ty)} ${right},${r1(ty)}`,
      head: head(right, ty, cx, ty),
      lx: 0,
      // On the row of the state the transition leads to.
      ly: r1(t.y + t.h / 2),
      anchor: 'start',
      event: e.event,
      guard: guardLabel(graph.edges, e),
    });
  }
  // The labels' column: right of every arc (arrowheads lie within their arcs' reach), so a label moved
  // up or down (label-spread.ts) still covers no line.
  const widest = Math.max(right + 8, ...reaches);
  for (const e of out) e.lx = r1(widest + LABEL_GAP);
  if (deleted) {
    const t = at.get(deleted.target)!;
    const x = t.x + t.w / 2;
    out.push({
      source: '',
      target: deleted.target,
      d: `M${x},${t.y - 14} L${x},${t.y}`,
      head: head(x, t.y, x, t.y - 14),
      lx: x + 8,
      // Between the last state and "deleted", clear of both.
      ly: t.y - 7,
      anchor: 'start',
      event: `${deleted.event} (from any state)`,
      guard: null,
    });
  }
  const last = boxes[boxes.length - 1]!;
  const width = Math.ceil(Math.max(widest, ...out.map(labelEnd)));
  return { width, height: last.y + last.h + 4, boxes, edges: out, notes: [] };
}
