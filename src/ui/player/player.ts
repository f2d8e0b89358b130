/**
 * <nsl-player>: steps through a trace (src/ui/trace) that the build or the
 * engine worker computed. It never runs the engine itself, so it is all a
 * page needs to replay a scenario. The markup comes from the build
 * (Player.astro); this adds behaviour and re-renders views on each step.
 *
 * Events (bubbling): `nsl-position` {position, trace} after every move,
 * `nsl-remove-step` {step} when the reader removes a step.
 */
import { renderInto, type VNode } from '../dom/h.ts';
import { clampBox } from '../dom/clamp.ts';
import { copyText } from '../dom/clipboard.ts';
import { exportSvg } from '../dom/svg-export.ts';
import { revealInBox } from '../dom/scroll.ts';
import type { Trace, TracePosition } from '../trace/types.ts';
import { framesView } from '../views/frames.ts';
import { infoNetworkView, netdevsView } from '../views/netdevs.ts';
import { networkView } from '../views/network.ts';
import { sequenceView } from '../views/sequence.ts';
import { edgesTaken, stateSummary, statesAt } from '../views/state-diagram.ts';
import { stepsView } from '../views/steps.ts';
import { pct, positionAtTime, positionTime, sliderText, timelineView, windowStyle } from '../views/timeline.ts';
import { jsonLinesAt, transcriptView } from '../views/transcript.ts';
import { ms } from '../views/format.ts';
import { renderStage } from '../stage/stage.ts';
import { IDLE_KEYS, LOCAL_ONLY, SHORTCUTS, SPEEDS } from './keys.ts';

export interface PlayerApi extends HTMLElement {
  readonly trace: Trace;
  readonly position: number;
  seek(k: number): void;
  /** Stops playing (nothing happens when not playing). */
  pause(): void;
  setTrace(trace: Trace, position: number): void;
  /** Marks transcript entries that differ (compare mode); null clears. */
  setDiffers(differs: ReadonlySet<number> | null): void;
  /** Puts a line in the control bar, after the buttons (null removes it); returns its element, or null when the player has no room for one. */
  setBarNote(content: (VNode | string)[] | null): HTMLElement | null;
}

const EDITABLE = 'input, textarea, select, [contenteditable], .monaco-editor';

export function definePlayerElement(): void {
  if (customElements.get('nsl-player')) return;

  class PlayerElement extends HTMLElement implements PlayerApi {
    trace!: Trace;
    position = 0;
    private ready = false;
    private timer: ReturnType<typeof setInterval> | null = null;
    private speed = 1;
    private frame: number | null = null;
    private differs: ReadonlySet<number> | null = null;
    private editable = false;
    /** The netdev the stage's state machine follows (a handle), once the reader picks one. */
    private stageNetdev: number | null = null;
    private onDocKey = (e: KeyboardEvent) => this.onKey(e, true);

    connectedCallback(): void {
      if (this.ready) return;
      const data = this.querySelector('script[data-trace]');
      if (!data) return;
      this.trace = JSON.parse(data.textContent ?? '') as Trace;
      this.position = Math.min(Number(this.dataset.position ?? 0) || 0, this.trace.last);
      this.editable = this.hasAttribute('data-editable');
      this.addEventListener('click', (e) => this.onClick(e));
      this.addEventListener('keydown', (e) => this.onKey(e, false));
      if (this.hasAttribute('data-global-keys')) document.addEventListener('keydown', this.onDocKey);
      this.wireTimeline();
      const capBox = this.querySelector<HTMLElement>('[data-cap-box]');
      const capToggle = this.querySelector<HTMLButtonElement>('[data-cap-toggle]');
      if (capBox && capToggle) clampBox(capBox, capToggle);
      const speed = this.querySelector<HTMLSelectElement>('[data-speed]');
      speed?.addEventListener('change', () => this.setSpeed(Number(speed.value)));
      this.addEventListener('change', (e) => {
        const picker = (e.target as Element).closest?.<HTMLSelectElement>('select[data-stage-netdev]');
        if (!picker) return;
        this.stageNetdev = Number(picker.value);
        this.renderStage(this.position);
      });
      this.ready = true;
      this.classList.add('nsl-live');
      this.updateControls();
      this.dispatchEvent(new CustomEvent('nsl-ready', { bubbles: true }));
    }

    disconnectedCallback(): void {
      this.pause();
      document.removeEventListener('keydown', this.onDocKey);
    }

    // -- moving ---------------------------------------------------------------

    seek(k: number): void {
      const target = Math.max(0, Math.min(Math.trunc(k), this.trace.last));
      if (target === this.position) return;
      const before = this.position;
      this.position = target;
      this.renderPosition(before);
    }

    setTrace(trace: Trace, position: number): void {
      this.pause();
      this.trace = trace;
      this.position = Math.max(0, Math.min(position, trace.last));
      this.frame = null;
      this.view('transcript')?.closest('[data-scroll]')?.setAttribute('aria-label', `QMP messages, QEMU ${trace.release}`);
      const steps = this.view('steps');
      if (steps) renderInto(steps, stepsView(trace, this.position, this.editable));
      const tl = this.view('timeline');
      if (tl) {
        renderInto(tl, timelineView(trace, this.position));
        this.wireTimeline();
      }
      this.renderPosition(-1);
    }

    setDiffers(differs: ReadonlySet<number> | null): void {
      this.differs = differs;
      this.renderTranscript();
    }

    setBarNote(content: (VNode | string)[] | null): HTMLElement | null {
      const note = this.querySelector<HTMLElement>('[data-bar-note]');
      if (!note) return null;
      if (content) renderInto(note, content);
      else note.replaceChildren();
      note.hidden = content === null;
      return note;
    }

    private play(): void {
      if (this.timer) return;
      if (this.position >= this.trace.last) this.seek(0);
      this.timer = setInterval(() => {
        if (this.position >= this.trace.last) this.pause();
        else this.seek(this.position + 1);
      }, 1000 / this.speed);
      this.updateControls();
    }

    pause(): void {
      if (!this.timer) return;
      clearInterval(this.timer);
      this.timer = null;
      this.updateControls();
    }

    private setSpeed(speed: number): void {
      if (!SPEEDS.includes(speed)) return;
      this.speed = speed;
      const select = this.querySelector<HTMLSelectElement>('[data-speed]');
      if (select && select.value !== String(speed)) select.value = String(speed);
      if (this.timer) {
        this.pause();
        this.play();
      }
    }

    private act(action: string): void {
      switch (action) {
        case 'forward':
          this.pause();
          this.seek(this.position + 1);
          break;
        case 'back':
          this.pause();
          this.seek(this.position - 1);
          break;
        case 'start':
          this.pause();
          this.seek(0);
          break;
        case 'end':
          this.pause();
          this.seek(this.trace.last);
          break;
        case 'play':
          if (this.timer) this.pause();
          else this.play();
          break;
        case 'faster':
        case 'slower': {
          const i = SPEEDS.indexOf(this.speed) + (action === 'faster' ? 1 : -1);
          this.setSpeed(SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, i))]!);
          break;
        }
      }
    }

    // -- input ----------------------------------------------------------------

    private onClick(e: Event): void {
      const el = (e.target as Element).closest<HTMLElement>('[data-act], [data-goto], [data-remove], [data-frame], [data-field-button], [data-copy-jsonl], [data-export-svg]');
      if (!el || !this.contains(el)) return;
      const d = el.dataset;
      if (d.act) {
        if (el.getAttribute('aria-disabled') !== 'true') this.act(d.act);
      } else if (d.goto !== undefined) {
        this.pause();
        this.seek(Number(d.goto));
      } else if (d.remove !== undefined) {
        this.dispatchEvent(new CustomEvent('nsl-remove-step', { bubbles: true, detail: { step: Number(d.remove) } }));
      } else if (d.frame !== undefined) {
        this.frame = Number(d.frame);
        this.renderFrames();
        this.querySelector<HTMLElement>(`[data-frame="${this.frame}"]`)?.focus();
      } else if (d.fieldButton !== undefined) {
        this.markField(el, d.fieldButton);
      } else if (d.copyJsonl !== undefined) {
        const lines = jsonLinesAt(this.trace, this.position);
        void copyText(lines, this.querySelector('[data-copy-status]'), `${lines.split('\n').length - 1} transcript lines as JSON Lines`);
      } else if (d.exportSvg !== undefined) {
        const svg = this.querySelector<SVGSVGElement>('[data-view="diagram"] svg');
        if (svg) exportSvg(svg, 'stream-netdev-machine.svg');
      }
    }

    private markField(button: HTMLElement, key: string): void {
      const on = button.getAttribute('aria-pressed') !== 'true';
      const frames = this.view('frames');
      if (!frames) return;
      for (const b of frames.querySelectorAll('[data-field-button]')) b.setAttribute('aria-pressed', 'false');
      for (const b of frames.querySelectorAll('.nsl-byte')) b.classList.remove('nsl-on');
      if (!on) return;
      button.setAttribute('aria-pressed', 'true');
      const bytes = frames.querySelectorAll(`.nsl-byte[data-field="${key}"]`);
      for (const b of bytes) b.classList.add('nsl-on');
    }

    private onKey(e: KeyboardEvent, fromDocument: boolean): void {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as Element | null;
      if (fromDocument && target && this.contains(target)) return; // handled by the element's own listener
      if (target?.closest?.(EDITABLE)) return;
      const action = SHORTCUTS[e.key];
      if (!action) return;
      if (LOCAL_ONLY.has(e.key)) {
        // With nothing focused, Space plays and pauses and the arrows step, as on a media player
        // (Home and End keep scrolling the page).
        const idle = !target || target === document.body || target === document.documentElement;
        if (!(IDLE_KEYS.has(e.key) && fromDocument && idle)) {
          if (fromDocument || !target) return;
          // On the player's buttons and timeline these keys are the player's (Space plays, not presses).
          if (target !== this && target.closest('[data-dock], [data-controls]') === null) return;
        }
      }
      e.preventDefault();
      this.act(action);
    }

    private wireTimeline(): void {
      const track = this.querySelector<HTMLElement>('[data-tl-track]');
      const thumb = this.querySelector<HTMLElement>('[data-tl-thumb]');
      if (!track || !thumb || track.dataset.wired) return;
      track.dataset.wired = '1';
      const toPosition = (clientX: number) => {
        const r = track.getBoundingClientRect();
        const t = ((clientX - r.left) / Math.max(1, r.width)) * this.trace.end;
        this.seek(positionAtTime(this.trace, t));
      };
      track.addEventListener('pointerdown', (e) => {
        this.pause();
        track.setPointerCapture(e.pointerId);
        toPosition(e.clientX);
        thumb.focus();
      });
      track.addEventListener('pointermove', (e) => {
        if (track.hasPointerCapture(e.pointerId)) toPosition(e.clientX);
      });
      thumb.addEventListener('keydown', (e) => {
        const moves: Record<string, number> = {
          ArrowRight: 1,
          ArrowUp: 1,
          ArrowLeft: -1,
          ArrowDown: -1,
          PageUp: 5,
          PageDown: -5,
        };
        let k: number | null = null;
        if (e.key in moves) k = this.position + moves[e.key]!;
        else if (e.key === 'Home') k = 0;
        else if (e.key === 'End') k = this.trace.last;
        if (k === null) return;
        e.preventDefault();
        e.stopPropagation();
        this.pause();
        this.seek(k);
      });
    }

    // -- rendering --------------------------------------------------------------

    private view(name: string): HTMLElement | null {
      return this.querySelector<HTMLElement>(`[data-view="${name}"]`);
    }

    private renderPosition(before: number): void {
      const t = this.trace;
      const k = this.position;
      const p = t.positions[k]!;
      for (const li of this.querySelectorAll('[data-view="steps"] li[data-pos]')) {
        if (Number((li as HTMLElement).dataset.pos) === k) li.setAttribute('aria-current', 'step');
        else li.removeAttribute('aria-current');
      }
      const steps = this.view('steps');
      const current = steps?.querySelector<HTMLElement>('li[aria-current]');
      if (steps && current) revealInBox(steps, current);
      const thumb = this.querySelector<HTMLElement>('[data-tl-thumb]');
      if (thumb) {
        thumb.setAttribute('aria-valuenow', String(k));
        thumb.setAttribute('aria-valuemax', String(t.last));
        thumb.setAttribute('aria-valuetext', sliderText(t, k));
        thumb.style.left = pct(t, positionTime(t, k));
      }
      this.querySelector<HTMLElement>('[data-tl-window]')?.setAttribute('style', windowStyle(t, k));
      this.markDiagram(before >= 0 ? t.positions[before] : undefined);
      this.renderStage(before);
      const summary = this.view('state-summary-all');
      if (summary) summary.textContent = stateSummary(p);
      this.renderTranscript();
      const net = this.view('network');
      if (net) renderInto(net, networkView(p, this.dataset.subheading === 'h4' ? 'h4' : 'p'));
      const nd = this.view('netdevs');
      if (nd) renderInto(nd, netdevsView(p));
      const info = this.view('info');
      if (info) renderInto(info, infoNetworkView(p));
      const seq = this.view('sequence');
      if (seq) {
        renderInto(seq, sequenceView(t, k));
        seq.scrollTop = seq.scrollHeight;
      }
      this.renderFrames();
      const stderr = this.view('stderr');
      if (stderr) stderr.textContent = t.stderr.slice(0, p.stderr).join('\n') || '(nothing)';
      this.updateControls();
      this.dispatchEvent(new CustomEvent('nsl-position', { bubbles: true, detail: { position: k, trace: t } }));
    }

    private renderStage(before: number): void {
      const stage = this.querySelector('[data-stage]');
      if (stage) renderStage(stage, this.trace, this.position, before, this.stageNetdev);
    }

    private renderTranscript(): void {
      const tx = this.view('transcript');
      if (!tx) return;
      renderInto(tx, transcriptView(this.trace, this.position, this.differs ? { differs: this.differs } : {}));
      const scroller = tx.closest<HTMLElement>('[data-scroll]') ?? tx;
      scroller.scrollTop = scroller.scrollHeight;
    }

    private renderFrames(): void {
      const fr = this.view('frames');
      if (fr) renderInto(fr, framesView(this.trace, this.position, this.frame));
    }

    private markDiagram(before: TracePosition | undefined): void {
      const diagram = this.view('diagram');
      if (!diagram) return;
      const p = this.trace.positions[this.position]!;
      const at = statesAt(p);
      const taken = edgesTaken(before, p);
      for (const g of diagram.querySelectorAll<SVGGElement>('[data-state]')) {
        const id = g.dataset.state!;
        const on = at.has(id);
        const within = !on && [...at.keys()].some((s) => s.startsWith(`${id}.`));
        g.classList.toggle('nsl-on', on);
        g.classList.toggle('nsl-within', within);
      }
      for (const b of diagram.querySelectorAll<SVGTextElement>('[data-badge]')) {
        b.textContent = (at.get(b.dataset.badge!) ?? []).join(', ');
      }
      for (const e of diagram.querySelectorAll<SVGGElement>('[data-edge]')) {
        e.classList.toggle('nsl-taken', taken.has(e.dataset.edge!));
      }
    }

    private updateControls(): void {
      const k = this.position;
      const last = this.trace.last;
      const set = (act: string, disabled: boolean) => {
        const b = this.querySelector(`[data-act="${act}"]`);
        if (b) b.setAttribute('aria-disabled', String(disabled));
      };
      set('back', k <= 0);
      set('start', k <= 0);
      set('forward', k >= last);
      set('end', k >= last);
      set('play', last === 0);
      const play = this.querySelector<HTMLElement>('[data-act="play"]');
      if (play) {
        const label = play.querySelector('[data-label]');
        if (label) label.textContent = this.timer ? 'Pause' : 'Play';
        play.querySelector('[data-icon-play]')?.toggleAttribute('hidden', this.timer !== null);
        play.querySelector('[data-icon-pause]')?.toggleAttribute('hidden', this.timer === null);
      }
      const status = this.querySelector('[data-status]');
      if (status) {
        const time = ms(positionTime(this.trace, k));
        status.textContent = k === 0 ? `Start (${time})` : `Step ${k} of ${this.trace.stepCount} (${time})`;
      }
    }
  }

  customElements.define('nsl-player', PlayerElement);
}
