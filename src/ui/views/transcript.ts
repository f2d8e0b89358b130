/**
 * The QMP transcript up to a position, both directions, pretty-printed.
 * Entries that arrived with the current step are marked new; the last one
 * is the newest. `differs` marks entries a comparison found different.
 */
import { h, srOnly, type VNode } from '../dom/h.ts';
import type { Trace, TraceEntry } from '../trace/types.ts';
import { ms } from './format.ts';

export interface TranscriptOptions {
  /** Indexes of entries that differ from the other side of a comparison. */
  differs?: ReadonlySet<number>;
}

const DIRECTION: Record<string, string> = {
  command: 'client → QEMU',
  exit: 'QEMU exits',
};

function body(e: TraceEntry): string {
  try {
    const line = JSON.parse(e.line) as { msg?: unknown; stderr?: string; exit?: number };
    if (e.kind === 'exit') return line.stderr ?? `exit status ${String(line.exit)}`;
    return JSON.stringify(line.msg, null, 2);
  } catch {
    return e.line;
  }
}

export function entriesAt(trace: Trace, position: number): TraceEntry[] {
  return trace.transcript.slice(0, trace.positions[position]?.transcript ?? 0);
}

export function transcriptView(trace: Trace, position: number, opts: TranscriptOptions = {}): VNode {
  const entries = entriesAt(trace, position);
  if (entries.length === 0) return h('p', { class: 'nsl-empty' }, 'Nothing has crossed the QMP socket yet.');
  const last = entries.length - 1;
  return h(
    'ol',
    { class: 'nsl-tx' },
    entries.map((e, i) => {
      const isNew = e.step === position && position > 0;
      const differs = opts.differs?.has(i) ?? false;
      return h(
        'li',
        {
          class: [
            'nsl-tx-entry',
            `nsl-k-${e.kind}`,
            e.kind === 'command' ? 'nsl-tx-in' : 'nsl-tx-out',
            isNew && 'nsl-new',
            i === last && 'nsl-newest',
            differs && 'nsl-differs',
          ]
            .filter(Boolean)
            .join(' '),
          'data-index': i,
        },
        h(
          'div',
          { class: 'nsl-tx-meta' },
          h('span', { class: 'nsl-tx-dir' }, DIRECTION[e.kind] ?? 'QEMU → client'),
          h('span', { class: 'nsl-tx-label' }, e.label),
          h('span', { class: 'nsl-tx-t' }, ms(e.t)),
          i === last && h('span', { class: 'nsl-badge' }, 'newest'),
          isNew && i !== last && h('span', { class: 'nsl-badge nsl-badge-soft' }, 'new'),
          differs && h('span', { class: 'nsl-badge nsl-badge-diff' }, 'differs'),
        ),
        h('pre', { class: 'nsl-tx-json' }, body(e)),
      );
    }),
  );
}

/** The transcript up to a position in the v1 JSON Lines format. */
export function jsonLinesAt(trace: Trace, position: number): string {
  return entriesAt(trace, position)
    .map((e) => `${e.line}\n`)
    .join('');
}

export { srOnly };
