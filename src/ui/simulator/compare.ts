/**
 * Compare mode (loaded the first time it is turned on): the scenario run on
 * a second release, shown beside the first in two labelled columns —
 * netdev states, the QMP transcript and `info network` — row by row, lines
 * that differ marked in words and colour; a one-line summary of what
 * differs under the tools. On a narrow screen the columns become two tabs.
 */
import { h, renderInto, srOnly, type VNode } from '../dom/h.ts';
import type { Trace, TraceEntry } from '../trace/types.ts';
import { ms } from '../views/format.ts';
import { pictureView } from '../stage/picture.ts';
import { stateSummary } from '../views/state-diagram.ts';
import { entriesAt } from '../views/transcript.ts';
import { compareSummary, infoLines, alignRows, transcriptRows, type Row } from './compare-rows.ts';
import type { SimHost } from './host.ts';
import { clear, say } from './messages.ts';

const NARROW = '(max-width: 50rem)';

function entryCell(e: TraceEntry | undefined, differs: boolean): VNode {
  if (!e) return h('td', { class: 'nsl-cmp-none' }, h('span', { 'aria-hidden': 'true' }, '—'), srOnly('no line here'));
  const json = (() => {
    try {
      const line = JSON.parse(e.line) as { msg?: unknown; stderr?: string };
      // One line a message (wrapped in its cell): rows stay short enough to compare at a glance.
      return e.kind === 'exit' ? String(line.stderr) : JSON.stringify(line.msg);
    } catch {
      return e.line;
    }
  })();
  return h(
    'td',
    { class: `nsl-k-${e.kind}` },
    h(
      'div',
      { class: 'nsl-tx-meta' },
      h('span', { class: 'nsl-tx-dir' }, e.kind === 'command' ? 'client → QEMU' : 'QEMU → client'),
      h('span', { class: 'nsl-tx-label' }, e.label),
      h('span', { class: 'nsl-tx-t' }, ms(e.t)),
      differs && h('span', { class: 'nsl-badge nsl-badge-diff' }, 'differs'),
    ),
    h('pre', { class: 'nsl-tx-json' }, json),
  );
}

function textCell(line: string | undefined, differs: boolean): VNode {
  if (line === undefined) return h('td', { class: 'nsl-cmp-none' }, h('span', { 'aria-hidden': 'true' }, '—'), srOnly('no line here'));
  return h('td', null, h('code', null, line), differs && [' ', h('span', { class: 'nsl-badge nsl-badge-diff' }, 'differs')]);
}

const rowClass = (r: Row) => (r.differs ? 'nsl-cmp-row nsl-differs' : 'nsl-cmp-row');

export class CompareView {
  private other: Trace | null = null;
  private seq = 0;
  /** On a narrow screen, which column the tabs show. */
  private tab: 'a' | 'b' = 'a';
  private readonly narrow = matchMedia(NARROW);

  constructor(private readonly host: SimHost) {
    host.querySelector('[data-compare]')?.addEventListener('change', () => void this.refresh());
    host.querySelector('[data-compare-release]')?.addEventListener('change', () => {
      host.newAction();
      void this.refresh();
    });
    host.addEventListener('nsl-shown', () => void this.refresh());
    host.addEventListener('nsl-position', () => this.render());
    this.narrow.addEventListener('change', () => this.render());
    void this.refresh();
  }

  private get on(): boolean {
    return this.host.querySelector<HTMLInputElement>('[data-compare]')?.checked ?? false;
  }

  private panel(): HTMLElement | null {
    return this.host.querySelector<HTMLElement>('[data-compare-panel]');
  }

  async refresh(): Promise<void> {
    const seq = ++this.seq;
    const msg = this.host.querySelector('[data-compare-message]');
    if (!this.on) {
      this.other = null;
      this.panel()?.setAttribute('hidden', '');
      this.host.player.setDiffers(null);
      clear(msg);
      this.host.player.setBarNote(null);
      return;
    }
    const release = this.host.querySelector<HTMLSelectElement>('[data-compare-release]')?.value ?? '7.2';
    let r;
    try {
      r = await (await this.host.engine()).run(this.host.scenario, release);
    } catch (e) {
      say(msg, 'error', (e as Error).message);
      return;
    }
    if (seq !== this.seq) return;
    if (r.kind !== 'ok') {
      say(msg, 'error', `QEMU ${release} cannot run this scenario: ${r.kind === 'invalid' ? r.issues.map((i) => i.message).join('; ') : r.message}`);
      return;
    }
    this.other = r.trace;
    this.panel()?.removeAttribute('hidden');
    this.render();
  }

  private render(): void {
    const other = this.other;
    const body = this.host.querySelector<HTMLElement>('[data-compare-body]');
    if (!other || !body || !this.on) return;
    const mine = this.host.player.trace;
    const k = this.host.player.position;
    const kb = Math.min(k, other.last);
    const a = entriesAt(mine, k);
    const b = entriesAt(other, kb);
    const rows = transcriptRows(a, b);
    this.host.player.setDiffers(new Set(rows.filter((r) => r.differs && r.a !== null).map((r) => r.a!)));
    const pa = mine.positions[k]!;
    const pb = other.positions[kb]!;
    const ia = infoLines(pa.infoNetwork);
    const ib = infoLines(pb.infoNetwork);
    const infoRows = alignRows(ia, ib);
    const names = [`QEMU ${mine.release}`, `QEMU ${other.release}`] as const;
    const summary = compareSummary(rows, a, b, mine, other);
    const tabs = this.narrow.matches;
    const show = (side: 'a' | 'b') => !tabs || this.tab === side;
    const col = (side: 'a' | 'b', cell: VNode) => (show(side) ? cell : null);
    const pictures = h(
      'div',
      { class: 'nsl-cmp-pictures' },
      (['a', 'b'] as const).map((side, i) =>
        col(
          side,
          h(
            'div',
            { class: 'nsl-cmp-pic', 'data-cmp-col': side },
            h('p', { class: 'nsl-cmp-name' }, names[i]),
            h('div', { class: 'nsl-cmp-picture' }, hidden(pictureView(side === 'a' ? mine : other, side === 'a' ? k : kb))),
            h('p', { class: 'nsl-state-text' }, stateSummary(side === 'a' ? pa : pb)),
          ),
        ),
      ),
    );
    const table = h(
      'table',
      { class: 'nsl-cmp-table' },
      h('caption', { class: 'nsl-sr' }, `${names[0]} and ${names[1]} up to step ${k}: ${summary}`),
      h('thead', null, h('tr', null, col('a', h('th', { scope: 'col' }, names[0])), col('b', h('th', { scope: 'col' }, names[1])))),
      h(
        'tbody',
        { class: 'nsl-cmp-tx' },
        h('tr', null, h('th', { scope: 'colgroup', colspan: tabs ? 1 : 2, class: 'nsl-cmp-sub' }, 'QMP transcript')),
        rows.map((r) => h('tr', { class: rowClass(r) }, col('a', entryCell(r.a === null ? undefined : a[r.a], r.differs)), col('b', entryCell(r.b === null ? undefined : b[r.b], r.differs)))),
      ),
      h(
        'tbody',
        { class: 'nsl-cmp-info' },
        h('tr', null, h('th', { scope: 'colgroup', colspan: tabs ? 1 : 2, class: 'nsl-cmp-sub' }, h('code', null, 'info network'), ' now')),
        infoRows.length === 0
          ? h('tr', null, col('a', h('td', null, '(no netdev)')), col('b', h('td', null, '(no netdev)')))
          : infoRows.map((r) => h('tr', { class: rowClass(r) }, col('a', textCell(r.a === null ? undefined : ia[r.a], r.differs)), col('b', textCell(r.b === null ? undefined : ib[r.b], r.differs)))),
      ),
    );
    const tablist = tabs
      ? h(
          'div',
          { role: 'tablist', 'aria-label': 'Release to show', class: 'nsl-cmp-tabs' },
          (['a', 'b'] as const).map((side, i) =>
            h(
              'button',
              {
                type: 'button',
                role: 'tab',
                id: `nsl-cmp-tab-${side}`,
                'aria-selected': String(this.tab === side),
                'aria-controls': 'nsl-cmp-panel',
                tabindex: this.tab === side ? 0 : -1,
                'data-cmp-tab': side,
              },
              names[i],
            ),
          ),
        )
      : null;
    const box = body.querySelector<HTMLElement>('.nsl-cmp-box');
    const keepScroll = box ? box.scrollHeight - box.scrollTop - box.clientHeight < 8 : true;
    const panel = h(
      'div',
      tabs ? { role: 'tabpanel', id: 'nsl-cmp-panel', 'aria-labelledby': `nsl-cmp-tab-${this.tab}` } : { id: 'nsl-cmp-panel' },
      pictures,
      h('div', { class: 'nsl-cmp-box', tabindex: 0, role: 'region', 'aria-label': `${names[0]} beside ${names[1]}: transcript and info network, scrollable` }, table),
    );
    renderInto(body, tablist ? [tablist, panel] : panel);
    this.wireTabs(body);
    const newBox = body.querySelector<HTMLElement>('.nsl-cmp-box');
    if (newBox && keepScroll) newBox.scrollTop = newBox.scrollHeight;
    const line = `${names[0]} | ${names[1]}, up to ${k === 0 ? 'the start' : `step ${k}`}: ${summary}.`;
    say(this.host.querySelector('[data-compare-message]'), 'info', line);
    this.barLine(summary);
  }

  /**
   * The summary in the player's control bar (it stays in view while the
   * reader steps), with a button to the columns. Only while compare is on.
   */
  private barLine(summary: string): void {
    const other = this.other?.release ?? '';
    const bar = this.host.player.setBarNote([
      h('span', { 'data-compare-bar': '' }, `Compared with QEMU ${other}: ${summary}.`),
      ' ',
      h('button', { type: 'button', 'data-show-compare': '' }, 'Show columns'),
    ]);
    bar?.querySelector('[data-show-compare]')?.addEventListener('click', () => {
      const panel = this.panel();
      panel?.scrollIntoView({ block: 'start' });
      panel?.querySelector<HTMLElement>('.nsl-cmp-box')?.focus({ preventScroll: true });
    });
  }

  private wireTabs(body: HTMLElement): void {
    const tabs = [...body.querySelectorAll<HTMLElement>('[data-cmp-tab]')];
    for (const t of tabs) {
      t.addEventListener('click', () => this.select(t.dataset.cmpTab as 'a' | 'b'));
      t.addEventListener('keydown', (e) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End') return;
        e.preventDefault();
        e.stopPropagation();
        const next = e.key === 'Home' ? 'a' : e.key === 'End' ? 'b' : this.tab === 'a' ? 'b' : 'a';
        this.select(next);
      });
    }
  }

  private select(side: 'a' | 'b'): void {
    this.tab = side;
    this.render();
    this.host.querySelector<HTMLElement>(`[data-cmp-tab="${side}"]`)?.focus();
  }

}

/**
 * The stage's picture as a copy to look at (drawn without actions, so
 * nothing in it takes focus); screen readers get the state line under it
 * instead (the reader acts on the stage's own picture).
 */
function hidden(svg: VNode): VNode {
  return { ...svg, attrs: { ...svg.attrs, 'aria-hidden': 'true' } };
}

export function startCompare(host: SimHost): CompareView {
  return new CompareView(host);
}
