/**
 * Build-time data for the simulator's components: traces of scenario files
 * run by the engine here in Node, the state diagram's layout from the
 * machine definition, and JSON made safe to embed in a page.
 */
import { streamNetdevMachine } from '../../core/netdev/stream-machine.ts';
import { schemaChecker } from '../../core/qmp/schema-checker.ts';
import type { Scenario } from '../../core/scenario/schema.ts';
import { machineGraph } from '../../ui/diagram/machine-graph.ts';
import { layoutDiagram, type DiagramLayout } from '../../ui/diagram/layout.ts';
import { arcLayout } from '../../ui/diagram/arc-layout.ts';
import { buildTrace } from '../../ui/trace/build.ts';
import type { Trace } from '../../ui/trace/types.ts';

let layout: DiagramLayout | null = null;

/** The backend machine's diagram, laid out once per build. */
export function diagramLayout(): DiagramLayout {
  layout ??= layoutDiagram(machineGraph(streamNetdevMachine));
  return layout;
}

let modes: { server: DiagramLayout; client: DiagramLayout } | null = null;

/** The stage's narrow diagrams of each mode of the machine, laid out once per build. */
export function modeLayouts(): { server: DiagramLayout; client: DiagramLayout } {
  if (!modes) {
    const graph = machineGraph(streamNetdevMachine);
    modes = { server: arcLayout(graph, 'server'), client: arcLayout(graph, 'client') };
  }
  return modes;
}

const traces = new Map<string, Trace>();

export function traceOf(key: string, scenario: Scenario, release = scenario.qemu): Trace {
  const id = `${key}@@${release}`;
  let t = traces.get(id);
  if (!t) {
    t = buildTrace(scenario, { checker: schemaChecker, release });
    traces.set(id, t);
  }
  return t;
}

/**
 * JSON for a `<script type="application/json">`: `<`, `>`, `&` and the two
 * line separators are written as \u escapes, so no text inside (a title,
 * a QMP string) can end the script element or be read as markup.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
