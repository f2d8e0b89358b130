/**
 * The stage's state machine: one mode of the backend (the selected netdev's
 * server or client states, laid out by src/ui/diagram/arc-layout.ts at build
 * time), with that netdev's state lit, the transitions it just took marked
 * and labelled, and the ones that can happen next labelled. The page holds
 * both modes' diagrams; only the marks change here.
 */
import { h, type VNode } from '../dom/h.ts';
import type { Trace } from '../trace/types.ts';
import { labelSpan, spreadLabels } from '../diagram/label-spread.ts';
import { leaves } from '../views/state-diagram.ts';

export interface MachineMarks {
  /** The netdev shown (its handle), or null when the run has none. */
  handle: number | null;
  id: string | null;
  mode: 'server' | 'client';
  /** Its state at this position, or null before it exists. */
  state: string | null;
  /** How the step that led here moved it ("source>target" states), if it did; takenPath() finds the transitions. */
  taken: string | null;
  /** What the diagram's caption line says. */
  text: string;
}

/** The netdev the stage shows when the reader has not picked one: the first that exists and is not deleted. */
export function defaultNetdev(trace: Trace, k: number): number | null {
  const p = trace.positions[k]!;
  const alive = trace.cast.netdevs.find((c) => p.netdevs.some((n) => n.handle === c.handle && !n.deleted));
  return (alive ?? trace.cast.netdevs[0])?.handle ?? null;
}

/** The marks at position k: the state there, and how the step that led to k (from k - 1, as the caption says) moved it. */
export function machineMarks(trace: Trace, k: number, chosen: number | null): MachineMarks {
  const handle = chosen !== null && trace.cast.netdevs.some((c) => c.handle === chosen) ? chosen : defaultNetdev(trace, k);
  const cast = trace.cast.netdevs.find((c) => c.handle === handle);
  const n = trace.positions[k]!.netdevs.find((x) => x.handle === handle);
  const prev = k > 0 ? trace.positions[k - 1]?.netdevs.find((x) => x.handle === handle) : undefined;
  const state = n?.state ?? null;
  let taken: string | null = null;
  if (prev && state && prev.state !== state) taken = state === 'deleted' ? '>deleted' : `${prev.state}>${state}`;
  const text = !cast
    ? 'No stream netdev in this run.'
    : !n
      ? `${cast.id} (${cast.mode}) does not exist yet.`
      : `${n.id} (${n.mode}): ${n.state}`;
  return { handle: handle ?? null, id: cast?.id ?? null, mode: cast?.mode ?? 'server', state, taken, text };
}

/**
 * The transitions ("source>target" edges of the diagram) that took a netdev
 * from one state to another within a step: the one edge between them, or
 * else the shortest way along the edges (a step that lets a reconnect
 * timer fire and the connect succeed goes waiting > connecting >
 * connected). The trace keeps a netdev's state at the end of each step,
 * not each transition, so a longer way round within one step would be
 * drawn as the shortest.
 */
export function takenPath(edges: readonly string[], move: string | null): string[] {
  if (move === null) return [];
  if (edges.includes(move)) return [move];
  const sep = move.indexOf('>');
  const from = move.slice(0, sep);
  const to = move.slice(sep + 1);
  if (to === 'deleted') return edges.includes('>deleted') ? ['>deleted'] : [];
  const via = new Map<string, string>([[from, '']]);
  const queue = [from];
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (at === to) break;
    for (const e of edges) {
      const [a, b] = e.split('>') as [string, string];
      if (a !== at || via.has(b)) continue;
      via.set(b, e);
      queue.push(b);
    }
  }
  if (!via.has(to) || to === from) return [];
  const path: string[] = [];
  for (let at = to; at !== from; at = via.get(at)!.split('>')[0]!) path.unshift(via.get(at)!);
  return path;
}

/** Lights the state, marks and labels the transitions and shows the right mode's diagram. */
export function markMachine(root: Element, m: MachineMarks): void {
  for (const box of root.querySelectorAll<HTMLElement>('[data-stage-mode]')) box.hidden = box.dataset.stageMode !== m.mode;
  const svg = root.querySelector(`[data-stage-mode="${m.mode}"] svg`);
  if (!svg) return;
  const next = leaves(m.state);
  for (const g of svg.querySelectorAll<SVGGElement>('[data-state]')) g.classList.toggle('nsl-on', g.dataset.state === m.state);
  for (const b of svg.querySelectorAll<SVGTextElement>('[data-badge]')) b.textContent = b.dataset.badge === m.state ? (m.id ?? '') : '';
  const edges = [...svg.querySelectorAll<SVGGElement>('[data-edge]')];
  const taken = new Set(takenPath(edges.map((e) => e.dataset.edge!), m.taken));
  for (const e of edges) {
    e.classList.toggle('nsl-taken', taken.has(e.dataset.edge!));
    e.classList.toggle('nsl-next', next(e.dataset.edge!));
  }
  spreadShown(svg, edges.filter((e) => e.dataset.edge !== '>deleted' && (taken.has(e.dataset.edge!) || next(e.dataset.edge!))));
  const note = root.querySelector('[data-view="state-summary"]');
  if (note) note.textContent = m.text;
}

/** Moves apart the labels shown that want the same row (label-spread.ts), above netdev.delete's. */
function spreadShown(svg: Element, shown: SVGGElement[]): void {
  const label = (g: Element) => g.querySelector<SVGTextElement>('.nsl-d-label');
  for (const t of svg.querySelectorAll('.nsl-d-label[transform]')) t.removeAttribute('transform');
  const items = shown.flatMap((g) => {
    const t = label(g);
    return t ? [{ key: g.dataset.edge!, ly: Number(t.getAttribute('y')), guarded: t.querySelector('.nsl-d-guard') !== null }] : [];
  });
  const del = label(svg.querySelector('[data-edge=">deleted"]') ?? svg);
  const ceiling = del ? labelSpan(Number(del.getAttribute('y')), false)[0] - 1 : Infinity;
  const at = spreadLabels(items, 0, ceiling);
  for (const i of items) {
    const dy = at.get(i.key)! - i.ly;
    if (dy !== 0) label(shown.find((g) => g.dataset.edge === i.key)!)?.setAttribute('transform', `translate(0,${dy})`);
  }
}

/** The picker of the netdev the stage follows; plain text when the run has one netdev. */
export function pickerView(trace: Trace, m: MachineMarks): VNode {
  if (trace.cast.netdevs.length <= 1) return h('span', { class: 'nsl-stage-netdev' }, m.id ?? 'no netdev');
  return h(
    'select',
    { 'data-stage-netdev': '', 'aria-label': 'Netdev whose state is shown' },
    trace.cast.netdevs.map((c) => h('option', { value: c.handle, selected: c.handle === m.handle }, `${c.id} (${c.mode})`)),
  );
}
