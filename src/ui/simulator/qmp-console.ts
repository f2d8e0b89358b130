/**
 * The QMP console: a combobox that completes command names and arguments
 * from the QAPI schema of the release being simulated, and sends what the
 * reader typed as a `qmp` step after the current position. QEMU's answer
 * is shown beside the console (and lands in the transcript).
 */
import { h, renderInto } from '../dom/h.ts';
import { revealInBox } from '../dom/scroll.ts';
import type { CommandInfo } from '../engine/protocol.ts';
import { completionsFor, parseConsoleInput, type Completion } from './console-input.ts';
import type { SimHost } from './host.ts';
import { say } from './messages.ts';
import { reportOf, sayReport } from './report.ts';

export class QmpConsole {
  private commands: { release: string; list: CommandInfo[] } | null = null;
  private completions: Completion[] = [];
  private active = -1;

  constructor(
    private readonly host: SimHost,
    private readonly form: HTMLFormElement,
    private readonly input: HTMLInputElement,
    private readonly list: HTMLElement,
  ) {
    input.addEventListener('focus', () => void this.load().catch(() => undefined));
    input.addEventListener('input', () => void this.complete());
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    input.addEventListener('keydown', (e) => this.onKey(e));
    list.addEventListener('mousedown', (e) => e.preventDefault());
    list.addEventListener('click', (e) => {
      const li = (e.target as Element).closest<HTMLElement>('[data-index]');
      if (li) this.accept(Number(li.dataset.index));
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      host.newAction();
      void this.send();
    });
  }

  private onKey(e: KeyboardEvent): void {
    const open = !this.list.hidden && this.completions.length > 0;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!open) {
        void this.complete();
        return;
      }
      e.preventDefault();
      const n = this.completions.length;
      this.setActive((this.active + (e.key === 'ArrowDown' ? 1 : n - 1 + (this.active < 0 ? 1 : 0))) % n);
    } else if ((e.key === 'Enter' || e.key === 'Tab') && open && this.active >= 0) {
      e.preventDefault();
      this.accept(this.active);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      this.close();
    }
  }

  private async load(): Promise<CommandInfo[]> {
    const release = this.host.release;
    if (this.commands?.release === release) return this.commands.list;
    const list = await (await this.host.engine()).commands(release);
    this.commands = { release, list };
    return list;
  }

  private async complete(): Promise<void> {
    let commands: CommandInfo[];
    try {
      commands = await this.load();
    } catch {
      return;
    }
    this.completions = completionsFor(this.input.value, commands);
    this.active = -1;
    if (this.completions.length === 0 || (this.completions.length === 1 && this.completions[0]!.value === this.input.value)) {
      this.close();
      return;
    }
    renderInto(
      this.list,
      this.completions.map((c, i) =>
        h('li', { role: 'option', id: `nsl-console-opt-${i}`, 'data-index': i, 'aria-selected': 'false' }, h('span', { class: 'nsl-opt-name' }, c.label), c.detail && h('span', { class: 'nsl-opt-detail' }, c.detail)),
      ),
    );
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
  }

  private setActive(i: number): void {
    this.active = i;
    for (const li of this.list.querySelectorAll<HTMLElement>('[role="option"]')) li.setAttribute('aria-selected', String(Number(li.dataset.index) === i));
    this.input.setAttribute('aria-activedescendant', `nsl-console-opt-${i}`);
    const option = this.list.querySelector<HTMLElement>(`#nsl-console-opt-${i}`);
    if (option) revealInBox(this.list, option);
  }

  private accept(i: number): void {
    const c = this.completions[i];
    if (!c) return;
    this.input.value = c.value;
    this.close();
    this.input.focus();
    // Put the caret inside the first empty string, where the reader types next.
    const hole = c.value.indexOf('""');
    const at = hole >= 0 ? hole + 1 : c.value.length;
    this.input.setSelectionRange(at, at);
  }

  private close(): void {
    this.list.hidden = true;
    this.list.replaceChildren();
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.active = -1;
  }

  private async send(): Promise<void> {
    const msg = this.form.querySelector('[data-console-message]');
    const parsed = parseConsoleInput(this.input.value);
    if (!parsed.ok) {
      say(msg, 'error', parsed.message);
      return;
    }
    this.close();
    const ins = await this.host.insertStep({ qmp: parsed.qmp }, msg);
    if (!ins) return;
    sayReport(msg, reportOf(ins, `Sent as step ${ins.step}.`));
    this.input.value = '';
  }
}
