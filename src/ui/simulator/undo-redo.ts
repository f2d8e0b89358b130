/**
 * Undo and redo of the reader's edits (steps added or removed, JSON
 * applied), with two buttons and Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y, and ⌘ on
 * macOS). The keys are left alone in text fields and in Monaco, which have
 * their own undo.
 */
import type { Scenario } from '../../core/scenario/schema.ts';
import { canRedo, canUndo, emptyHistory, record, redo, undo, type History, type HistoryEntry } from './edit-history.ts';
import type { SimHost } from './host.ts';
import { say } from './messages.ts';

const TEXT_FIELDS = 'input, textarea, select, [contenteditable]:not([contenteditable="false"]), .monaco-editor';

/** Which history move a key press asks for, or null. */
export function historyKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): 'undo' | 'redo' | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const k = e.key.toLowerCase();
  if (k === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (k === 'y' && !e.shiftKey) return 'redo';
  return null;
}

export class UndoRedo {
  private history: History<Scenario> = emptyHistory();
  private busy = false;

  constructor(private readonly host: SimHost) {
    host.querySelector('[data-undo]')?.addEventListener('click', () => void this.move('undo'));
    host.querySelector('[data-redo]')?.addEventListener('click', () => void this.move('redo'));
    document.addEventListener('keydown', (e) => {
      const which = historyKey(e);
      if (!which || e.defaultPrevented) return;
      if ((e.target as Element | null)?.closest?.(TEXT_FIELDS)) return;
      e.preventDefault();
      void this.move(which);
    });
    this.update();
  }

  record(entry: HistoryEntry<Scenario>): void {
    this.history = record(this.history, entry);
    this.update();
  }

  private message(): Element | null {
    return this.host.querySelector('[data-history-message]');
  }

  async move(which: 'undo' | 'redo'): Promise<void> {
    const msg = this.message();
    this.host.newAction();
    if (this.busy) return;
    const r = which === 'undo' ? undo(this.history) : redo(this.history);
    if (!r) {
      say(msg, 'info', which === 'undo' ? 'Nothing to undo: no step has been added, removed or edited yet.' : 'Nothing to redo.');
      return;
    }
    if (this.host.editorBlocks(msg)) return;
    const target = which === 'undo' ? r.entry.before : r.entry.after;
    this.busy = true;
    try {
      const run = await this.host.run(target.value, target.position, msg);
      if (run?.kind !== 'ok') return;
      this.history = r.history;
      say(msg, 'ok', `${which === 'undo' ? 'Undid' : 'Redid'}: ${r.entry.label}.`);
    } finally {
      this.busy = false;
      this.update();
    }
  }

  private update(): void {
    const set = (sel: string, enabled: boolean, what: string | undefined) => {
      const b = this.host.querySelector<HTMLButtonElement>(sel);
      if (!b) return;
      b.setAttribute('aria-disabled', String(!enabled));
      if (what) b.title = what;
      else b.removeAttribute('title');
    };
    const last = this.history.past.at(-1);
    const next = this.history.future.at(-1);
    set('[data-undo]', canUndo(this.history), last && `Undo: ${last.label}`);
    set('[data-redo]', canRedo(this.history), next && `Redo: ${next.label}`);
  }
}
