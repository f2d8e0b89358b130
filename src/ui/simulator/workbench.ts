/**
 * <nsl-simulator>: everything on the simulator page around the player.
 * The release and compare pickers, acting as a peer, the QMP console, the
 * JSON editor, share links and the address bar. Thin by design: every
 * change becomes a scenario (steps added, removed or edited), the engine
 * worker turns it into a trace, and the player shows the trace.
 *
 * The engine, the link codec and Monaco are fetched only when the reader
 * first does something that needs them.
 */
import { formatIssue } from '../../core/scenario/issue.ts';
import type { Scenario } from '../../core/scenario/schema.ts';
import { isHex } from '../../core/util/hex.ts';
import { copyText } from '../dom/clipboard.ts';
import { h, renderInto } from '../dom/h.ts';
import { revealInBox } from '../dom/scroll.ts';
import type { EngineClient } from '../engine/client.ts';
import type { CommandInfo, RunResult } from '../engine/protocol.ts';
import type { PlayerApi } from '../player/player.ts';
import type { ScenarioEditorHandle } from '../editor/scenario-editor.ts';
import type { ReleaseInfo, Trace } from '../trace/types.ts';
import { addressText } from '../trace/describe.ts';
import { comparable, diffLines } from '../views/diff.ts';
import { markdownView } from '../views/markdown.ts';
import { entriesAt, transcriptView } from '../views/transcript.ts';
import { completionsFor, parseConsoleInput, type Completion } from './console-input.ts';

interface Init {
  scenario: Scenario;
  releases: ReleaseInfo[];
}

type Kind = 'error' | 'info' | 'ok';

/** Writes a message (plain text, optionally a list of details) into a message element. */
function say(el: Element | null, kind: Kind, text: string, details: string[] = []): void {
  if (!el) return;
  el.className = `nsl-msg nsl-msg-${kind}`;
  renderInto(el, [h('p', null, text), details.length > 0 ? h('ul', null, details.map((d) => h('li', null, d))) : '']);
}

function clear(el: Element | null): void {
  if (!el) return;
  el.className = 'nsl-msg';
  el.replaceChildren();
}

export function defineSimulatorElement(): void {
  if (customElements.get('nsl-simulator')) return;

  class SimulatorElement extends HTMLElement {
    private scenario!: Scenario;
    private releases: ReleaseInfo[] = [];
    private releaseOverride: string | null = null;
    private compareRelease: string | null = null;
    private compareTrace: Trace | null = null;
    private player!: PlayerApi;
    private enginePromise: Promise<EngineClient> | null = null;
    private runSeq = 0;
    private urlTimer: ReturnType<typeof setTimeout> | null = null;
    private commands: { release: string; list: CommandInfo[] } | null = null;
    private completions: Completion[] = [];
    private active = -1;
    private editor: ScenarioEditorHandle | null = null;
    private editorLoading: Promise<void> | null = null;
    /** Text in the editor that is not (yet) the scenario being shown. */
    private editorDirty = false;
    private editorTimer: ReturnType<typeof setTimeout> | null = null;
    private ready = false;

    connectedCallback(): void {
      if (this.ready) return;
      const init = JSON.parse(this.querySelector('script[data-sim-init]')?.textContent ?? '{}') as Init;
      this.scenario = init.scenario;
      this.releases = init.releases;
      this.player = this.querySelector('nsl-player') as PlayerApi;
      this.ready = true;
      this.wire();
      if (/(^#|&)s=/.test(location.hash)) void this.openFromHash();
    }

    // -- plumbing -------------------------------------------------------------

    private q<T extends Element = HTMLElement>(sel: string): T | null {
      return this.querySelector<T>(sel);
    }

    private engine(): Promise<EngineClient> {
      this.enginePromise ??= import('../engine/client.ts').then((m) => m.engine);
      return this.enginePromise;
    }

    private get release(): string {
      return this.releaseOverride ?? this.scenario.qemu;
    }

    private wire(): void {
      this.q<HTMLSelectElement>('[data-release]')?.addEventListener('change', (e) => {
        void this.setRelease((e.target as HTMLSelectElement).value);
      });
      this.q<HTMLInputElement>('[data-compare]')?.addEventListener('change', () => void this.updateCompare());
      this.q<HTMLSelectElement>('[data-compare-release]')?.addEventListener('change', () => void this.updateCompare());
      this.q('[data-copy-link]')?.addEventListener('click', () => void this.copyLink());
      this.q('[data-open-editor]')?.addEventListener('click', () => void this.toggleEditor());
      this.q('[data-discard-editor]')?.addEventListener('click', () => this.discardEditor());
      this.addEventListener('nsl-position', () => {
        this.renderCompare();
        this.scheduleUrl();
      });
      this.addEventListener('nsl-remove-step', (e) => void this.removeStep((e as CustomEvent<{ step: number }>).detail.step));
      this.wirePeerForm();
      this.wireConsole();
      window.addEventListener('hashchange', () => void this.openFromHash());
      window.addEventListener('beforeunload', (e) => {
        if (this.editorDirty) e.preventDefault();
      });
    }

    // -- running scenarios ---------------------------------------------------------

    /**
     * Runs a scenario (any JSON value) and, when it runs, shows it at
     * `position`. Problems go to `messageEl`. Stale answers (a newer run was
     * asked for meanwhile) are dropped.
     */
    private async run(value: unknown, position: number, messageEl: Element | null, fromEditor = false): Promise<RunResult | null> {
      const seq = ++this.runSeq;
      this.classList.add('nsl-busy');
      let r: RunResult;
      try {
        r = await (await this.engine()).run(value, this.releaseOverride);
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
          this.show(r.scenario, r.trace, position, fromEditor);
          break;
      }
      return r;
    }

    private show(scenario: Scenario, trace: Trace, position: number, fromEditor: boolean): void {
      const titleChanged = scenario.title !== this.scenario.title || scenario.description !== this.scenario.description;
      this.scenario = scenario;
      this.player.setTrace(trace, position);
      if (titleChanged) {
        const title = this.q('[data-title]');
        if (title) title.textContent = scenario.title ?? 'Untitled scenario';
        const desc = this.q('[data-description]');
        if (desc) renderInto(desc, markdownView(scenario.description ?? ''));
      }
      const select = this.q<HTMLSelectElement>('[data-release]');
      if (select) select.value = this.release;
      this.describeRelease();
      if (!fromEditor && this.editor && !this.editorDirty) this.editor.replaceText(this.scenarioText());
      void this.refreshCompare();
      this.updatePeerChoices();
      this.scheduleUrl();
    }

    private scenarioText(): string {
      return `${JSON.stringify(this.scenario, null, 2)}\n`;
    }

    /** Refuses a change from outside the editor while the editor holds unapplied text. */
    private editorBlocks(messageEl: Element | null): boolean {
      if (!this.editorDirty) return false;
      say(
        messageEl,
        'error',
        'The JSON editor holds changes that are not applied yet (they are not valid). Fix them, or discard them in the editor panel, before changing the scenario here; nothing was changed.',
      );
      const panel = this.q('[data-editor-panel]');
      if (panel?.hasAttribute('hidden')) void this.toggleEditor();
      return true;
    }

    private async insertStep(step: Record<string, unknown>, messageEl: Element | null): Promise<void> {
      if (this.editorBlocks(messageEl)) return;
      const k = this.player.position;
      const steps = [...this.scenario.steps.slice(0, k), step, ...this.scenario.steps.slice(k)];
      const r = await this.run({ ...this.scenario, steps }, k + 1, messageEl);
      if (r?.kind === 'ok') say(messageEl, 'ok', `Added step ${k + 1}: ${r.trace.steps[k]?.text ?? ''}.`);
    }

    private async removeStep(step: number): Promise<void> {
      const msg = this.q('[data-steps-message]');
      if (this.editorBlocks(msg)) return;
      const steps = this.scenario.steps.filter((_, i) => i !== step - 1);
      const k = this.player.position;
      const r = await this.run({ ...this.scenario, steps }, k >= step ? k - 1 : k, msg);
      if (r?.kind === 'ok') say(msg, 'ok', `Removed step ${step}.`);
    }

    // -- release and compare -----------------------------------------------------------

    private async setRelease(name: string): Promise<void> {
      this.releaseOverride = name === this.scenario.qemu ? null : name;
      await this.run(this.scenario, this.player.position, this.q('[data-release-message]'));
    }

    private describeRelease(): void {
      const info = this.releases.find((r) => r.name === this.release);
      const el = this.q('[data-release-change]');
      if (el && info) el.textContent = `QEMU ${info.name}${info.recorded ? ' (recorded from a real build)' : ''}: ${info.change.replace(/`/g, '')}`;
      const note = this.q('[data-release-message]');
      if (this.releaseOverride === null) {
        clear(note);
        return;
      }
      // How much the whole run differs from the scenario's own release.
      const own = this.scenario.qemu;
      const seq = this.runSeq;
      void this.engine()
        .then((e) => e.run(this.scenario, own))
        .then((r) => {
          if (seq !== this.runSeq || r.kind !== 'ok') return;
          const a = this.player.trace.transcript.map(comparable);
          const b = r.trace.transcript.map(comparable);
          const d = diffLines(a, b);
          say(
            note,
            'info',
            d.a.size + d.b.size === 0
              ? `Simulated as QEMU ${this.release}; the transcript is the same as on QEMU ${own}, the scenario's own release.`
              : `Simulated as QEMU ${this.release}: ${d.a.size} of ${a.length} transcript lines differ from QEMU ${own}, the scenario's own release. Turn on “Compare” to see where.`,
          );
        })
        .catch(() => undefined);
    }

    private async updateCompare(): Promise<void> {
      const on = this.q<HTMLInputElement>('[data-compare]')?.checked ?? false;
      const select = this.q<HTMLSelectElement>('[data-compare-release]');
      this.compareRelease = on && select ? select.value : null;
      await this.refreshCompare();
    }

    private async refreshCompare(): Promise<void> {
      const host = this.q('[data-compare-host]');
      if (!this.compareRelease) {
        this.compareTrace = null;
        this.q('[data-compare-column]')?.remove();
        this.player.setDiffers(null);
        clear(this.q('[data-compare-message]'));
        return;
      }
      const release = this.compareRelease;
      const msg = this.q('[data-compare-message]');
      let r: RunResult;
      try {
        r = await (await this.engine()).run(this.scenario, release);
      } catch (e) {
        say(msg, 'error', (e as Error).message);
        return;
      }
      if (release !== this.compareRelease) return;
      if (r.kind !== 'ok') {
        say(msg, 'error', `QEMU ${release} cannot run this scenario: ${r.kind === 'invalid' ? r.issues.map(formatIssue).join('; ') : r.message}`);
        return;
      }
      this.compareTrace = r.trace;
      if (host && !this.q('[data-compare-column]')) {
        const col = document.createElement('div');
        col.className = 'nsl-scroll nsl-tx-box';
        col.dataset.compareColumn = '';
        col.tabIndex = 0;
        col.setAttribute('role', 'region');
        host.appendChild(col);
      }
      this.renderCompare();
    }

    private renderCompare(): void {
      const col = this.q('[data-compare-column]');
      const other = this.compareTrace;
      if (!col || !other) return;
      const k = this.player.position;
      const kb = Math.min(k, other.last);
      const mine = entriesAt(this.player.trace, k);
      const theirs = entriesAt(other, kb);
      const d = diffLines(mine.map(comparable), theirs.map(comparable));
      this.player.setDiffers(d.a);
      col.setAttribute('aria-label', `QMP messages, QEMU ${other.release} (compared)`);
      renderInto(col, [
        h('p', { class: 'nsl-compare-title' }, `QEMU ${other.release}`),
        transcriptView(other, kb, { differs: d.b }),
      ]);
      col.scrollTop = col.scrollHeight;
      say(
        this.q('[data-compare-message]'),
        'info',
        d.a.size + d.b.size === 0
          ? `Up to this step QEMU ${this.player.trace.release} and QEMU ${other.release} send the same messages (timestamps aside).`
          : `Up to this step, ${d.a.size} line${d.a.size === 1 ? '' : 's'} on QEMU ${this.player.trace.release} and ${d.b.size} on QEMU ${other.release} differ; they are marked “differs”.`,
      );
    }

    // -- links ---------------------------------------------------------------------------

    private async openFromHash(): Promise<void> {
      const alerts = this.q('[data-alerts]');
      if (!/(^#|&)s=/.test(location.hash)) return;
      if (this.editorBlocks(alerts)) return;
      const hash = location.hash;
      let decoded;
      try {
        decoded = await (await this.engine()).decode(hash);
      } catch (e) {
        say(alerts, 'error', `The link could not be read: ${(e as Error).message}`);
        return;
      }
      if (!decoded) return;
      if (!decoded.ok) {
        say(alerts, 'error', `This link could not be opened. ${decoded.error} The simulator shows the scenario below instead.`, (decoded.issues ?? []).slice(0, 8).map(formatIssue));
        return;
      }
      this.releaseOverride = decoded.release === decoded.scenario.qemu ? null : decoded.release;
      const r = await this.run(decoded.scenario, decoded.step, alerts);
      if (r?.kind === 'ok') say(alerts, 'info', `Opened a shared scenario: “${decoded.scenario.title ?? 'Untitled scenario'}” on QEMU ${decoded.release}, at step ${decoded.step}.`);
    }

    private scheduleUrl(): void {
      if (this.urlTimer) clearTimeout(this.urlTimer);
      this.urlTimer = setTimeout(() => void this.updateUrl(), 250);
    }

    private async fragment(): Promise<{ ok: true; fragment: string } | { ok: false; message: string }> {
      return (await this.engine()).encode(this.scenario, this.release, this.player.position);
    }

    private async updateUrl(): Promise<void> {
      let r;
      try {
        r = await this.fragment();
      } catch {
        return;
      }
      if (!r.ok) return;
      if (location.hash !== `#${r.fragment}`) history.replaceState(history.state, '', `#${r.fragment}`);
    }

    private async copyLink(): Promise<void> {
      const status = this.q('[data-link-status]');
      let r;
      try {
        r = await this.fragment();
      } catch (e) {
        say(status, 'error', (e as Error).message);
        return;
      }
      if (!r.ok) {
        say(status, 'error', r.message);
        return;
      }
      const url = `${location.origin}${location.pathname}#${r.fragment}`;
      history.replaceState(history.state, '', `#${r.fragment}`);
      if (status) status.className = 'nsl-msg nsl-msg-ok';
      await copyText(url, status, `the link to step ${this.player.position} (${url.length} characters)`);
    }

    // -- acting as a peer -------------------------------------------------------------------

    private wirePeerForm(): void {
      const form = this.q<HTMLFormElement>('[data-peer-form]');
      if (!form) return;
      const type = form.querySelector<HTMLSelectElement>('[name="addr-type"]');
      const sync = () => {
        for (const el of form.querySelectorAll<HTMLElement>('[data-addr-for]')) el.hidden = el.dataset.addrFor !== type?.value;
      };
      type?.addEventListener('change', sync);
      sync();
      form.querySelector<HTMLSelectElement>('[name="known"]')?.addEventListener('change', (e) => {
        const value = (e.target as HTMLSelectElement).value;
        if (value === '') return;
        try {
          this.fillAddress(JSON.parse(value) as Record<string, unknown>);
        } catch {
          /* options are written by this code; a parse failure cannot happen */
        }
        sync();
      });
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
        void this.peerAction(submitter?.value ?? 'connect');
      });
      this.updatePeerChoices();
    }

    private fillAddress(a: Record<string, unknown>): void {
      const form = this.q<HTMLFormElement>('[data-peer-form]');
      if (!form) return;
      const set = (name: string, v: unknown) => {
        const el = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
        if (el && v !== undefined) el.value = String(v);
      };
      set('addr-type', a.type);
      if (a.type === 'unix') set('path', a.path);
      if (a.type === 'inet') {
        set('host', a.host);
        set('port', a.port);
      }
    }

    /** Addresses the scenario names (netdevs, listen and connect steps), for the address picker. */
    private knownAddresses(): Record<string, unknown>[] {
      const out = new Map<string, Record<string, unknown>>();
      const add = (a: unknown) => {
        if (a && typeof a === 'object' && !Array.isArray(a)) {
          const r = a as Record<string, unknown>;
          if (r.type === 'unix' || r.type === 'inet') out.set(addressText(r), r);
        }
      };
      for (const n of this.scenario.netdevs) add(n.addr);
      for (const s of this.scenario.steps as Record<string, unknown>[]) {
        add(s.listen);
        add(s.connect);
      }
      return [...out.values()];
    }

    private updatePeerChoices(): void {
      const form = this.q<HTMLFormElement>('[data-peer-form]');
      if (!form) return;
      const known = form.querySelector<HTMLSelectElement>('[name="known"]');
      if (known) {
        const options = [h('option', { value: '' }, 'Pick an address the scenario uses…')];
        for (const a of this.knownAddresses()) options.push(h('option', { value: JSON.stringify(a) }, addressText(a)));
        renderInto(known, options);
      }
      const names = this.q('#nsl-peer-names');
      const peers = [...new Set(this.scenario.steps.map((s) => (s as Record<string, unknown>).peer).filter((p): p is string => typeof p === 'string'))];
      if (names) renderInto(names, peers.map((p) => h('option', { value: p })));
    }

    private async peerAction(action: string): Promise<void> {
      const form = this.q<HTMLFormElement>('[data-peer-form]')!;
      const msg = this.q('[data-act-message]');
      const data = new FormData(form);
      const field = (n: string) => String(data.get(n) ?? '').trim();
      const peer = field('peer');
      if (action !== 'wait' && peer === '') {
        say(msg, 'error', 'Give the peer a name first (any short text, e.g. "a").');
        return;
      }
      let step: Record<string, unknown>;
      const addr = (): Record<string, unknown> | null => {
        const type = field('addr-type');
        if (type === 'unix') {
          if (field('path') === '') return null;
          return { type, path: field('path') };
        }
        if (field('host') === '' || field('port') === '') return null;
        return { type: 'inet', host: field('host'), port: field('port') };
      };
      switch (action) {
        case 'listen':
        case 'connect': {
          const a = addr();
          if (!a) {
            say(msg, 'error', 'Fill in the address: a socket path for unix, a host and a port for inet.');
            return;
          }
          step = { peer, [action]: a };
          break;
        }
        case 'send':
        case 'send-raw': {
          const hex = field('hex').replace(/\s+/g, '');
          if (!isHex(hex) || hex === '') {
            say(msg, 'error', 'The bytes must be hex digits, two per byte (e.g. ffffffffffff…).');
            return;
          }
          step = { peer, [action]: hex.toLowerCase() };
          break;
        }
        case 'close':
          step = { peer, close: true };
          break;
        case 'wait': {
          const n = Number(field('wait'));
          if (!Number.isInteger(n) || n < 0) {
            say(msg, 'error', 'The wait is a whole number of milliseconds, 0 or more.');
            return;
          }
          step = { wait: n };
          break;
        }
        default:
          return;
      }
      await this.insertStep(step, msg);
    }

    // -- QMP console ----------------------------------------------------------------------------

    private wireConsole(): void {
      const form = this.q<HTMLFormElement>('[data-console]');
      const input = this.q<HTMLInputElement>('[data-console-input]');
      const list = this.q<HTMLElement>('[data-console-list]');
      if (!form || !input || !list) return;
      input.addEventListener('focus', () => void this.loadCommands());
      input.addEventListener('input', () => void this.complete());
      input.addEventListener('blur', () => setTimeout(() => this.closeList(), 150));
      input.addEventListener('keydown', (e) => {
        const open = !list.hidden && this.completions.length > 0;
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
          this.closeList();
        }
      });
      list.addEventListener('mousedown', (e) => e.preventDefault());
      list.addEventListener('click', (e) => {
        const li = (e.target as Element).closest<HTMLElement>('[data-index]');
        if (li) this.accept(Number(li.dataset.index));
      });
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        void this.sendCommand();
      });
    }

    private async loadCommands(): Promise<CommandInfo[]> {
      const release = this.release;
      if (this.commands?.release === release) return this.commands.list;
      const list = await (await this.engine()).commands(release);
      this.commands = { release, list };
      return list;
    }

    private async complete(): Promise<void> {
      const input = this.q<HTMLInputElement>('[data-console-input]')!;
      let commands: CommandInfo[];
      try {
        commands = await this.loadCommands();
      } catch {
        return;
      }
      this.completions = completionsFor(input.value, commands);
      this.active = -1;
      const list = this.q<HTMLElement>('[data-console-list]')!;
      if (this.completions.length === 0 || (this.completions.length === 1 && this.completions[0]!.value === input.value)) {
        this.closeList();
        return;
      }
      renderInto(
        list,
        this.completions.map((c, i) =>
          h('li', { role: 'option', id: `nsl-console-opt-${i}`, 'data-index': i, 'aria-selected': 'false' }, h('span', { class: 'nsl-opt-name' }, c.label), c.detail && h('span', { class: 'nsl-opt-detail' }, c.detail)),
        ),
      );
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }

    private setActive(i: number): void {
      const input = this.q<HTMLInputElement>('[data-console-input]')!;
      this.active = i;
      for (const li of this.querySelectorAll('[data-console-list] [role="option"]')) {
        li.setAttribute('aria-selected', String(Number((li as HTMLElement).dataset.index) === i));
      }
      input.setAttribute('aria-activedescendant', `nsl-console-opt-${i}`);
      const list = this.q('[data-console-list]');
      const option = this.q(`#nsl-console-opt-${i}`);
      if (list && option) revealInBox(list, option);
    }

    private accept(i: number): void {
      const c = this.completions[i];
      const input = this.q<HTMLInputElement>('[data-console-input]')!;
      if (!c) return;
      input.value = c.value;
      this.closeList();
      input.focus();
      // Put the caret inside the first empty string, where the reader types next.
      const hole = c.value.indexOf('""');
      const at = hole >= 0 ? hole + 1 : c.value.length;
      input.setSelectionRange(at, at);
    }

    private closeList(): void {
      const list = this.q<HTMLElement>('[data-console-list]');
      const input = this.q<HTMLInputElement>('[data-console-input]');
      if (list) {
        list.hidden = true;
        list.replaceChildren();
      }
      input?.setAttribute('aria-expanded', 'false');
      input?.removeAttribute('aria-activedescendant');
      this.active = -1;
    }

    private async sendCommand(): Promise<void> {
      const input = this.q<HTMLInputElement>('[data-console-input]')!;
      const msg = this.q('[data-console-message]');
      const parsed = parseConsoleInput(input.value);
      if (!parsed.ok) {
        say(msg, 'error', parsed.message);
        return;
      }
      this.closeList();
      if (this.editorBlocks(msg)) return;
      const k = this.player.position;
      const steps = [...this.scenario.steps.slice(0, k), { qmp: parsed.qmp }, ...this.scenario.steps.slice(k)];
      const r = await this.run({ ...this.scenario, steps }, k + 1, msg);
      if (r?.kind !== 'ok') return;
      const reply = r.trace.transcript.filter((e) => e.step === k + 1 && e.kind !== 'command')[0];
      const answer = reply ? (reply.kind === 'error' ? `QEMU answered with an error (${reply.label}); see the transcript.` : 'QEMU answered; see the transcript.') : 'No reply: QEMU is not running.';
      say(msg, reply?.kind === 'error' ? 'info' : 'ok', `Sent as step ${k + 1}. ${answer}`);
      input.value = '';
    }

    // -- JSON editor ----------------------------------------------------------------------------

    private async toggleEditor(): Promise<void> {
      const panel = this.q('[data-editor-panel]');
      const button = this.q('[data-open-editor]');
      if (!panel || !button) return;
      const open = panel.hasAttribute('hidden');
      panel.toggleAttribute('hidden', !open);
      button.setAttribute('aria-expanded', String(open));
      if (!open) return;
      await this.loadEditor();
      this.editor?.focus();
    }

    private loadEditor(): Promise<void> {
      this.editorLoading ??= (async () => {
        const status = this.q('[data-editor-status]');
        say(status, 'info', 'Loading the editor…');
        try {
          const [{ createScenarioEditor }, eng] = await Promise.all([import('../editor/scenario-editor.ts'), this.engine()]);
          const host = this.q<HTMLElement>('[data-editor-host]')!;
          this.editor = await createScenarioEditor(host, {
            text: this.scenarioText(),
            onChange: (text) => this.onEditorChange(text),
            ariaLabel: 'Scenario JSON. Press Ctrl+M (Ctrl+Shift+M on macOS) to toggle whether Tab moves focus out of the editor.',
          });
          this.editor.setSchema(await eng.editorSchema(this.scenario.qemu, this.knownAddresses()));
          say(status, 'ok', 'Edits apply as soon as the scenario is valid.');
        } catch (e) {
          this.editorLoading = null;
          say(status, 'error', `The editor could not be loaded: ${(e as Error).message}`);
        }
      })();
      return this.editorLoading;
    }

    private onEditorChange(text: string): void {
      this.editorDirty = true;
      this.q('[data-open-editor]')?.classList.add('nsl-dirty');
      if (this.editorTimer) clearTimeout(this.editorTimer);
      this.editorTimer = setTimeout(() => void this.applyEditor(text), 300);
    }

    private async applyEditor(text: string): Promise<void> {
      const editor = this.editor;
      if (!editor) return;
      const status = this.q('[data-editor-status]');
      const problems = this.q('[data-editor-problems]');
      const parsed = editor.parse(text);
      if (!parsed.ok) {
        editor.setProblems([{ offset: parsed.offset, length: 1, message: parsed.message }]);
        this.listProblems([{ offset: parsed.offset, message: `Not valid JSON: ${parsed.message}` }]);
        say(status, 'error', 'The text is not valid JSON; the simulator keeps showing the last valid scenario. Your text stays here.');
        return;
      }
      const before = this.scenario.qemu;
      const r = await this.run(parsed.value, this.player.position, null, true);
      if (this.editor?.getText() !== text) return; // the reader typed on; a newer check is coming
      if (!r) {
        say(status, 'error', 'The simulator could not run this text; it keeps showing the last valid scenario.');
        return;
      }
      if (r.kind === 'ok') {
        this.editorDirty = false;
        this.q('[data-open-editor]')?.classList.remove('nsl-dirty');
        editor.setProblems([]);
        this.listProblems([]);
        clear(problems);
        say(status, 'ok', 'Applied: the simulator shows this scenario.');
        if (r.scenario.qemu !== before) editor.setSchema(await (await this.engine()).editorSchema(r.scenario.qemu, this.knownAddresses()));
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

    private discardEditor(): void {
      if (!this.editor) return;
      this.editorDirty = false;
      this.q('[data-open-editor]')?.classList.remove('nsl-dirty');
      this.editor.replaceText(this.scenarioText());
      this.editor.setProblems([]);
      this.listProblems([]);
      say(this.q('[data-editor-status]'), 'info', 'Discarded the unapplied changes (Ctrl+Z in the editor brings them back).');
    }
  }

  customElements.define('nsl-simulator', SimulatorElement);
}
