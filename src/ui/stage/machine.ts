/**
 * The stage's state machine: one mode of the backend (the selected netdev's
 * server or client states, laid out by src/ui/diagram/arc-layout.ts at build
 * time), with that netdev's state lit, the transition it just took marked
 * and the ones that can happen next labelled. The page holds both modes'
 * diagrams; only the marks change here.
 */
import { h, type VNode } from '../dom/h.ts';
import type { Trace } from '../trace/types.ts';
import { leaves } from '../views/state-diagram.ts';

export interface MachineMarks {
  /** The netdev shown (its handle), or null when the run has none. */
  handle: number | null;
  id: string | null;
  mode: 'server' | 'client';
  /** Its state at this position, or null before it exists. */
  state: string | null;
  /** The transition it took to get here ("source>target"), if it moved. */
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

export function machineMarks(trace: Trace, k: number, chosen: number | null, before = -1): MachineMarks {
  const handle = chosen !== null && trace.cast.netdevs.some((c) => c.handle === chosen) ? chosen : defaultNetdev(trace, k);
  const cast = trace.cast.netdevs.find((c) => c.handle === handle);
  const n = trace.positions[k]!.netdevs.find((x) => x.handle === handle);
  const prev = before >= 0 ? trace.positions[before]?.netdevs.find((x) => x.handle === handle) : undefined;
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

/** Lights the state, marks the transitions and shows the right mode's diagram. */
export function markMachine(root: Element, m: MachineMarks): void {
  for (const box of root.querySelectorAll<HTMLElement>('[data-stage-mode]')) box.hidden = box.dataset.stageMode !== m.mode;
  const svg = root.querySelector(`[data-stage-mode="${m.mode}"] svg`);
  if (!svg) return;
  const next = leaves(m.state);
  for (const g of svg.querySelectorAll<SVGGElement>('[data-state]')) g.classList.toggle('nsl-on', g.dataset.state === m.state);
  for (const b of svg.querySelectorAll<SVGTextElement>('[data-badge]')) b.textContent = b.dataset.badge === m.state ? (m.id ?? '') : '';
  for (const e of svg.querySelectorAll<SVGGElement>('[data-edge]')) {
    e.classList.toggle('nsl-taken', e.dataset.edge === m.taken);
    e.classList.toggle('nsl-next', next(e.dataset.edge!));
  }
  const note = root.querySelector('[data-view="state-summary"]');
  if (note) note.textContent = m.text;
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
