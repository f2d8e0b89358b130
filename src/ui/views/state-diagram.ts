/**
 * The backend machine as SVG, from a layout of its definition. The page
 * gets it once; stepping only changes which states and transitions are
 * marked (markDiagram) and the netdev names written beside them.
 */
import type { DiagramLayout } from '../diagram/layout.ts';
import { h, type VNode } from '../dom/h.ts';
import type { TracePosition } from '../trace/types.ts';

/**
 * `at` says which netdevs are in which state (statesAt); the build passes
 * the starting position's, the player re-marks on every step.
 */
export function stateDiagramView(
  layout: DiagramLayout,
  label: string,
  at: Map<string, string[]> = new Map(),
  options: { className?: string; next?: (edge: string) => boolean; top?: number; left?: number } = {},
): VNode {
  const within = (id: string) => !at.has(id) && [...at.keys()].some((s) => s.startsWith(`${id}.`));
  const edges = layout.edges.map((e) =>
    h(
      'g',
      { class: options.next?.(`${e.source}>${e.target}`) ? 'nsl-d-edge nsl-next' : 'nsl-d-edge', 'data-edge': `${e.source}>${e.target}` },
      h('path', { d: e.d, fill: 'none' }),
      h('polygon', { points: e.head }),
      h(
        'text',
        { x: e.lx, y: e.ly, class: 'nsl-d-label', 'text-anchor': e.anchor ?? 'middle' },
        e.event && h('tspan', { x: e.lx, dy: e.guard ? '-0.2em' : '0.35em' }, e.event),
        e.guard && h('tspan', { x: e.lx, dy: e.event ? '1.15em' : '0.35em', class: 'nsl-d-guard' }, `[${e.guard}]`),
      ),
    ),
  );
  const states = layout.boxes
    .filter((b) => b.id !== '')
    .map((b) =>
      h(
        'g',
        {
          class: ['nsl-d-state', b.compound && 'nsl-d-compound', at.has(b.id) && 'nsl-on', within(b.id) && 'nsl-within'].filter(Boolean).join(' '),
          'data-state': b.id,
        },
        h('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: b.compound ? 12 : 8 }),
        b.final && h('rect', { x: b.x + 4, y: b.y + 4, width: b.w - 8, height: b.h - 8, rx: 6, class: 'nsl-d-final' }),
        h(
          'text',
          b.compound
            ? { x: b.x + 12, y: b.y + 20, class: 'nsl-d-name nsl-d-cname' }
            : { x: b.x + b.w / 2, y: b.y + b.h / 2 + 4, 'text-anchor': 'middle', class: 'nsl-d-name' },
          b.name,
        ),
        b.initial &&
          h(
            'g',
            { class: 'nsl-d-initial' },
            h('circle', { cx: b.x - 14, cy: b.y + b.h / 2, r: 4 }),
            h('path', { d: `M${b.x - 10},${b.y + b.h / 2} L${b.x},${b.y + b.h / 2}`, fill: 'none' }),
          ),
        !b.compound && h('text', { x: b.x + b.w - 4, y: b.y - 4, 'text-anchor': 'end', class: 'nsl-d-badge', 'data-badge': b.id }, (at.get(b.id) ?? []).join(', ')),
      ),
    );
  const root = layout.boxes.find((b) => b.id === '')!;
  const notes = layout.notes.map((n, i) => h('text', { x: 4, y: root.h + 16 + 18 * i, class: 'nsl-d-note' }, n));
  return h(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: options.className ? `nsl-diagram ${options.className}` : 'nsl-diagram',
      viewBox: `${-(options.left ?? 24)} ${-(options.top ?? 14)} ${layout.width + (options.left ?? 24) + 8} ${layout.height + 6 + (options.top ?? 14)}`,
      // Its natural width, so the page can keep the text at full size.
      style: `--d-w:${layout.width + (options.left ?? 24) + 8}px`,
      role: 'img',
      'aria-label': label,
    },
    // States first so that edges and their labels are drawn above the boxes.
    h('g', { class: 'nsl-d-states' }, states),
    h('g', { class: 'nsl-d-edges' }, edges),
    notes,
  );
}

/** Transitions that leave `state` (or, for "deleted", none): the ones that can happen next. */
export const leaves = (state: string | null) => (edge: string) => state !== null && state !== 'deleted' && (edge.startsWith(`${state}>`) || edge === '>deleted');

/** Which netdevs are in which state, by the diagram's state ids. */
export function statesAt(p: TracePosition): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const n of p.netdevs) {
    const list = m.get(n.state) ?? [];
    list.push(n.id);
    m.set(n.state, list);
  }
  return m;
}

/** The transitions taken between two positions, as "source>target" keys. */
export function edgesTaken(before: TracePosition | undefined, now: TracePosition): Set<string> {
  const out = new Set<string>();
  if (!before) return out;
  for (const n of now.netdevs) {
    const prev = before.netdevs.find((b) => b.handle === n.handle);
    if (!prev || prev.state === n.state) continue;
    out.add(`${prev.state}>${n.state}`);
    if (n.state === 'deleted') out.add('>deleted');
  }
  return out;
}

/** One line per netdev: what the diagram shows, for screen readers and the text view. */
export function stateSummary(p: TracePosition): string {
  if (p.netdevs.length === 0) return 'No stream netdev exists.';
  return p.netdevs.map((n) => `${n.id} (${n.mode}): ${n.state}`).join('; ');
}
