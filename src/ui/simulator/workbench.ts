/**
 * <nsl-simulator>: the simulator page around the player. Thin by design:
 * it holds the scenario on screen and the release, runs scenarios through
 * the engine worker and shows the traces; every tool is its own module
 * (host.ts says what they may ask of this element):
 *
 *   release-picker.ts   simulate as another release
 *   link-sync.ts        the URL fragment and "Copy link"
 *   peer-form.ts        "Be a peer"
 *   qmp-console.ts      the QMP console
 *   undo-redo.ts        undo and redo of edits
 *   editor-panel.ts     the JSON editor (loaded when opened)
 *   compare.ts          two releases side by side (loaded when turned on)
 *   predict.ts          predict mode (loaded when turned on)
 *
 * The engine, the link codec and Monaco are fetched only when the reader
 * first does something that needs them.
 */
import { formatIssue } from '../../core/scenario/issue.ts';
import type { Scenario, Step } from '../../core/scenario/schema.ts';
import { clampBox } from '../dom/clamp.ts';
import { renderInto } from '../dom/h.ts';
import type { EngineClient } from '../engine/client.ts';
import type { RunResult } from '../engine/protocol.ts';
import type { PlayerApi } from '../player/player.ts';
import type { ReleaseInfo } from '../trace/types.ts';
import { markdownView } from '../views/markdown.ts';
import type { EditorPanel } from './editor-panel.ts';
import type { Inserted, RunOptions, SimHost } from './host.ts';
import { LinkSync } from './link-sync.ts';
import { clearTransient, say } from './messages.ts';
import { PeerForm } from './peer-form.ts';
import { PICTURE_TARGETS } from './picture-targets.ts';
import { QmpConsole } from './qmp-console.ts';
import { ReleasePicker } from './release-picker.ts';
import { insertStep, removeStep, sameScenario } from './scenario-edits.ts';
import { UndoRedo } from './undo-redo.ts';

interface Init {
  scenario: Scenario;
  releases: ReleaseInfo[];
}

export function defineSimulatorElement(): void {
  if (customElements.get('nsl-simulator')) return;

  class SimulatorElement extends HTMLElement implements SimHost {
    scenario!: Scenario;
    releases: ReleaseInfo[] = [];
    releaseOverride: string | null = null;
    player!: PlayerApi;
    private enginePromise: Promise<EngineClient> | null = null;
    private runSeq = 0;
    private ready = false;
    /** True while this element changes the player itself (its position events are not the reader's). */
    private showing = false;
    private undoRedo!: UndoRedo;
    private editorPanel: EditorPanel | null = null;
    private lazy = new Map<string, Promise<unknown>>();

    connectedCallback(): void {
      if (this.ready) return;
      const init = JSON.parse(this.querySelector('script[data-sim-init]')?.textContent ?? '{}') as Init;
      this.scenario = init.scenario;
      this.releases = init.releases;
      this.player = this.querySelector('nsl-player') as PlayerApi;
      this.ready = true;
      const alerts = this.querySelector<HTMLElement>('[data-alerts]');
      const alertsToggle = this.querySelector<HTMLButtonElement>('[data-alerts-toggle]');
      if (alerts && alertsToggle) clampBox(alerts, alertsToggle);
      this.wire();
      if (LinkSync.present()) void this.links.open();
    }

    private links!: LinkSync;

    private wire(): void {
      new ReleasePicker(this);
      this.links = new LinkSync(this);
      this.undoRedo = new UndoRedo(this);
      const peer = this.querySelector<HTMLFormElement>('[data-peer-form]');
      if (peer) new PeerForm(this, peer);
      const consoleForm = this.querySelector<HTMLFormElement>('[data-console]');
      const input = this.querySelector<HTMLInputElement>('[data-console-input]');
      const list = this.querySelector<HTMLElement>('[data-console-list]');
      if (consoleForm && input && list) new QmpConsole(this, consoleForm, input, list);
      this.querySelector('[data-open-editor]')?.addEventListener('click', () => {
        this.newAction();
        void this.editor().then((p) => p.toggle());
      });
      this.addEventListener('nsl-position', () => {
        if (!this.showing) this.newAction();
      });
      this.addEventListener('nsl-remove-step', (e) => void this.removeStep((e as CustomEvent<{ step: number }>).detail.step));
      this.wirePicture();
      this.wireToggle('[data-compare]', 'compare', () => import('./compare.ts').then((m) => m.startCompare(this)));
      this.wireToggle('[data-predict]', 'predict', () => import('./predict.ts').then((m) => m.startPredict(this)));
    }

    /** Clicking, or Enter on, a thing in the network picture opens its actions (picture-actions.ts, loaded then). */
    private wirePicture(): void {
      const open = (el: Element) => {
        const p = this.lazy.get('picture') ?? import('./picture-actions.ts');
        this.lazy.set('picture', p);
        void (p as Promise<typeof import('./picture-actions.ts')>).then((m) => m.pictureActions(this).open(el));
      };
      const targetOf = (e: Event) => (e.target as Element).closest?.(PICTURE_TARGETS) ?? null;
      this.addEventListener('click', (e) => {
        const el = targetOf(e);
        if (el && this.contains(el)) open(el);
      });
      this.addEventListener('keydown', (e) => {
        if ((e.key !== 'Enter' && e.key !== ' ') || e.ctrlKey || e.metaKey || e.altKey) return;
        const el = targetOf(e);
        if (!el || el !== e.target) return;
        e.preventDefault();
        open(el);
      });
    }

    /** A checkbox that loads its tool the first time it is turned on; the tool then follows the checkbox itself. */
    private wireToggle(sel: string, name: string, load: () => Promise<unknown>): void {
      const box = this.querySelector<HTMLInputElement>(sel);
      if (!box) return;
      const start = () => {
        if (!this.lazy.has(name)) this.lazy.set(name, load().catch((e: Error) => say(this.querySelector('[data-alerts]'), 'error', `This tool could not be loaded: ${e.message}`)));
      };
      box.addEventListener('change', () => {
        this.newAction();
        if (box.checked) start();
      });
      if (box.checked) start(); // restored by the browser on reload
    }

    private editor(): Promise<EditorPanel> {
      const p = this.lazy.get('editor') ?? import('./editor-panel.ts').then((m) => (this.editorPanel = new m.EditorPanel(this)));
      this.lazy.set('editor', p);
      return p as Promise<EditorPanel>;
    }

    // -- the host's services ----------------------------------------------------

    engine(): Promise<EngineClient> {
      this.enginePromise ??= import('../engine/client.ts').then((m) => m.engine);
      return this.enginePromise;
    }

    get release(): string {
      return this.releaseOverride ?? this.scenario.qemu;
    }

    newAction(): void {
      clearTransient(this);
    }

    editorBlocks(messageEl: Element | null): boolean {
      return this.editorPanel?.blocks(messageEl) ?? false;
    }

    async run(value: unknown, position: number, messageEl: Element | null, opts: RunOptions = {}): Promise<RunResult | null> {
      const seq = ++this.runSeq;
      const release = opts.release !== undefined ? opts.release : this.releaseOverride;
      this.classList.add('nsl-busy');
      let r: RunResult;
      try {
        r = await (await this.engine()).run(value, release);
      } catch (e) {
        if (seq === this.runSeq) {
          this.classList.remove('nsl-busy');
          say(messageEl, 'error', (e as Error).message);
        }
        return null;
      }
      if (seq !== this.runSeq) return null;
      this.classList.remove('nsl-busy');
      switch (r.kind) {
        case 'invalid':
          say(messageEl, 'error', `The scenario is not valid, so the simulator still shows the previous one (${r.issues.length} problem${r.issues.length === 1 ? '' : 's'}):`, r.issues.slice(0, 8).map(formatIssue));
          break;
        case 'limitation':
          say(messageEl, 'error', `The simulator cannot run this scenario: ${r.path ? `${r.path}: ` : ''}${r.message}. It still shows the previous one.`);
          break;
        case 'failed':
          say(messageEl, 'error', r.message);
          break;
        case 'ok':
          this.releaseOverride = release === null || release === r.scenario.qemu ? null : release;
          this.show(r, position, opts.fromEditor ?? false);
          break;
      }
      return r;
    }

    private show(r: RunResult & { kind: 'ok' }, position: number, fromEditor: boolean): void {
      const titleChanged = r.scenario.title !== this.scenario.title || r.scenario.description !== this.scenario.description;
      this.scenario = r.scenario;
      this.showing = true;
      try {
        this.player.setTrace(r.trace, position);
      } finally {
        this.showing = false;
      }
      if (titleChanged) {
        const title = this.querySelector('[data-title]');
        if (title) title.textContent = r.scenario.title ?? 'Untitled scenario';
        const desc = this.querySelector('[data-description]');
        if (desc) renderInto(desc, markdownView(r.scenario.description ?? ''));
      }
      this.dispatchEvent(new CustomEvent('nsl-shown', { detail: { fromEditor, trace: r.trace } }));
    }

    async edit(label: string, next: { scenario: unknown; position: number }, messageEl: Element | null, opts: RunOptions = {}): Promise<RunResult | null> {
      if (!opts.fromEditor && this.editorBlocks(messageEl)) return null;
      const before = { value: this.scenario, position: this.player.position };
      const r = await this.run(next.scenario, next.position, messageEl, opts);
      if (r?.kind === 'ok' && !sameScenario(before.value, r.scenario)) {
        this.undoRedo.record({ label, before, after: { value: r.scenario, position: this.player.position } });
      }
      return r;
    }

    async insertStep(step: Step, messageEl: Element | null): Promise<Inserted | null> {
      const next = insertStep(this.scenario, this.player.position, step);
      const r = await this.edit(`Added step ${next.position}`, next, messageEl);
      return r?.kind === 'ok' ? { step: next.position, result: r } : null;
    }

    private async removeStep(step: number): Promise<void> {
      this.newAction();
      const msg = this.querySelector('[data-steps-message]');
      let next;
      try {
        next = removeStep(this.scenario, step, this.player.position);
      } catch (e) {
        say(msg, 'error', (e as Error).message);
        return;
      }
      const r = await this.edit(`Removed step ${step}`, next, msg);
      if (r?.kind === 'ok') say(msg, 'ok', `Removed step ${step}. Undo (Ctrl+Z) brings it back.`);
    }
  }

  customElements.define('nsl-simulator', SimulatorElement);
}
