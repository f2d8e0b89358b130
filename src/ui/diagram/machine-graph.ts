/**
 * The backend machine's structure as plain data, read from the machine
 * definition itself with xstate/graph: states, nesting, initial states and
 * transitions (event, guard), eventless ones included. Runs during the build;
 * the page gets the laid-out SVG, not this code.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { toDirectedGraph } from 'xstate/graph';

export interface MachineEdge {
  /** State ids relative to the machine root ("" is the root itself). */
  source: string;
  target: string;
  event: string;
  guard: string | null;
}

export interface MachineNode {
  /** Relative id, e.g. "server.listening"; "" for the root. */
  id: string;
  /** The last part of the id. */
  name: string;
  initial: string | null;
  final: boolean;
  children: MachineNode[];
}

export interface MachineGraph {
  root: MachineNode;
  edges: MachineEdge[];
}

function relativeId(machineId: string, id: string): string {
  if (id === machineId) return '';
  return id.startsWith(`${machineId}.`) ? id.slice(machineId.length + 1) : id;
}

function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') {
    return (guard as { type: string }).type;
  }
  return 'guard';
}

/**
 * The guard a transition is labelled with: its own, or "else" for an
 * unguarded one that follows guarded ones for the same event from the
 * same state; null when there is none.
 */
export function guardLabel(edges: readonly MachineEdge[], e: MachineEdge): string | null {
  if (e.guard) return e.guard;
  return edges.some((o) => o !== e && o.source === e.source && o.event === e.event && o.guard) ? 'else' : null;
}

export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const rootId = machine.root.id;
  const edges: MachineEdge[] = [];
  type G = ReturnType<typeof toDirectedGraph>;
  const visit = (g: G): MachineNode => {
    const sn = g.stateNode;
    const id = relativeId(rootId, g.id);
    for (const e of g.edges) {
      const t = e.transition as { guard?: unknown };
      edges.push({
        source: relativeId(rootId, e.source.id),
        target: relativeId(rootId, e.target.id),
        event: e.label.text,
        guard: guardName(t.guard),
      });
    }
    // toDirectedGraph leaves out eventless (`always`) transitions; they matter here.
    for (const t of (sn.always ?? []) as { target?: AnyStateNode[]; guard?: unknown }[]) {
      for (const target of t.target ?? []) {
        edges.push({ source: id, target: relativeId(rootId, target.id), event: '', guard: guardName(t.guard) });
      }
    }
    const initialTarget = (sn.initial as unknown as { target?: AnyStateNode[] } | undefined)?.target?.[0];
    return {
      id,
      name: id === '' ? sn.key : id.slice(id.lastIndexOf('.') + 1),
      initial: initialTarget ? relativeId(rootId, initialTarget.id) : null,
      final: sn.type === 'final',
      children: g.children.map(visit),
    };
  };
  const root = visit(toDirectedGraph(machine));
  return { root, edges };
}
