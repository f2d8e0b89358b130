/**
 * The "Scenario JSON" panel: Monaco (loaded the first time the panel
 * opens), edits applied as soon as they make a valid scenario (each one an
 * edit that undo can take back), problems listed and marked in the text.
 * While the text holds changes that are not valid yet, the other tools do
 * not change the scenario (the reader's text would be lost).
 */
import { formatIssue } from '../../core/scenario/issue.ts';
import { h, renderInto } from '../dom/h.ts';
import { revealUnder } from '../dom/scroll.ts';
import type { ScenarioEditorHandle } from '../editor/scenario-editor.ts';
import type { SimHost } from './host.ts';
import { knownAddresses } from './known-addresses.ts';
import { clear, say } from './messages.ts';


export class EditorPanel {
  private editor: ScenarioEditorHandle | null = null;
  private loading: Promise<void> | null = null;
  /** Text in the editor that is not (yet) the scenario being shown. */
  dirty = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly host: SimHost) {
    host.querySelector('[data-discard-editor]')?.addEventListener('click', () => this.discard());
    host.addEventListener('nsl-shown', (e) => {
      if (!(e as CustomEvent<{ fromEditor: boolean }>).detail.fromEditor && this.editor && !this.dirty) this.editor.replaceText(this.text());
    });
    window.addEventListener('beforeunload', (e) => {
      if (this.dirty) e.preventDefault();
    });
  }

  private q<T extends Element = HTMLElement>(sel: string): T | null {
    return this.host.querySelector<T>(sel);
  }

  private text(): string {
    return `${JSON.stringify(this.host.scenario, null, 2)}\n`;
  }

  private addresses(): unknown[] {
    return knownAddresses(this.host.scenario).map((k) => k.addr);
  }

  get isOpen(): boolean {
    return !this.q('[data-editor-panel]')?.hasAttribute('hidden');
  }

  async toggle(): Promise<void> {
    const panel = this.q('[data-editor-panel]');
    const button = this.q('[data-open-editor]');
    if (!panel || !button) return;
    const open = panel.hasAttribute('hidden');
    panel.toggleAttribute('hidden', !open);
    button.setAttribute('aria-expanded', String(open));
    if (!open) return;
    revealUnder(panel, this.q('[data-dock]'));
    await this.load();
    this.editor?.focus();
  }

  /** Refuses a change from elsewhere while the editor holds text that is not applied; opens the panel to show it. */
  blocks(messageEl: Element | null): boolean {
    if (!this.dirty) return false;
    say(
      messageEl,
      'error',
      'The JSON editor holds changes that are not applied yet (they are not valid). Fix them, or discard them in the editor panel, before changing the scenario here; nothing was changed.',
    );
    if (!this.isOpen) void this.toggle();
    return true;
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      const status = this.q('[data-editor-status]');
      say(status, 'info', 'Loading the editor…');
      try {
        const [{ createScenarioEditor }, eng] = await Promise.all([import('../editor/scenario-editor.ts'), this.host.engine()]);
        this.editor = await createScenarioEditor(this.q<HTMLElement>('[data-editor-host]')!, {
          text: this.text(),
          onChange: (text) => this.onChange(text),
          ariaLabel: 'Scenario JSON. Press Ctrl+M (Ctrl+Shift+M on macOS) to toggle whether Tab moves focus out of the editor.',
        });
        this.editor.setSchema(await eng.editorSchema(this.host.scenario.qemu, this.addresses()));
        say(status, 'ok', 'Edits apply as soon as the scenario is valid. Each applied change can be undone with Undo (outside the editor).');
      } catch (e) {
        this.loading = null;
        say(status, 'error', `The editor could not be loaded: ${(e as Error).message}`);
      }
    })();
    return this.loading;
  }

  private setDirty(on: boolean): void {
    this.dirty = on;
    this.q('[data-open-editor]')?.classList.toggle('nsl-dirty', on);
  }

  private onChange(text: string): void {
    this.setDirty(true);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.apply(text), 300);
  }

  private async apply(text: string): Promise<void> {
    const editor = this.editor;
    if (!editor) return;
    const status = this.q('[data-editor-status]');
    const parsed = editor.parse(text);
    if (!parsed.ok) {
      editor.setProblems([{ offset: parsed.offset, length: 1, message: parsed.message }]);
      this.listProblems([{ offset: parsed.offset, message: `Not valid JSON: ${parsed.message}` }]);
      say(status, 'error', 'The text is not valid JSON; the simulator keeps showing the last valid scenario. Your text stays here.');
      return;
    }
    const before = this.host.scenario.qemu;
    this.host.newAction();
    const r = await this.host.edit('Edited the JSON', { scenario: parsed.value, position: this.host.player.position }, null, { fromEditor: true });
    if (this.editor?.getText() !== text) return; // the reader typed on; a newer check is coming
    if (!r) {
      say(status, 'error', 'The simulator could not run this text; it keeps showing the last valid scenario.');
      return;
    }
    if (r.kind === 'ok') {
      this.setDirty(false);
      editor.setProblems([]);
      this.listProblems([]);
      clear(this.q('[data-editor-problems]'));
      say(status, 'ok', 'Applied: the simulator shows this scenario. Undo takes it back.');
      if (r.scenario.qemu !== before) editor.setSchema(await (await this.host.engine()).editorSchema(r.scenario.qemu, this.addresses()));
      return;
    }
    const list =
      r.kind === 'invalid'
        ? r.issues.map((i) => ({ path: i.path, message: formatIssue(i) }))
        : r.kind === 'limitation'
          ? [{ path: r.path, message: `The simulator cannot run this: ${r.message}` }]
          : [{ path: '', message: r.message }];
    const located = list.map((p) => ({ ...editor.locate(parsed, p.path), message: p.message }));
    editor.setProblems(located);
    this.listProblems(located);
    say(
      status,
      'error',
      `${list.length} problem${list.length === 1 ? '' : 's'} (listed below and marked in the text); the simulator keeps showing the last valid scenario. Your text stays here.`,
    );
  }

  private listProblems(list: { offset: number; message: string }[]): void {
    const el = this.q('[data-editor-problems]');
    if (!el) return;
    el.className = list.length ? 'nsl-problems' : '';
    renderInto(
      el,
      list.length
        ? h(
            'ul',
            null,
            list.map((p) => {
              const pos = this.editor?.positionOf(p.offset);
              return h('li', null, h('button', { type: 'button', 'data-offset': p.offset }, pos ? `Line ${pos.line}, column ${pos.column}: ` : '', p.message));
            }),
          )
        : [],
    );
    for (const b of el.querySelectorAll<HTMLElement>('[data-offset]')) {
      b.addEventListener('click', () => this.editor?.reveal(Number(b.dataset.offset)));
    }
  }

  private discard(): void {
    if (!this.editor) return;
    this.setDirty(false);
    this.editor.replaceText(this.text());
    this.editor.setProblems([]);
    this.listProblems([]);
    say(this.q('[data-editor-status]'), 'info', 'Discarded the unapplied changes (Ctrl+Z in the editor brings them back).');
  }
}
