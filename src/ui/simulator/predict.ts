/**
 * Predict mode (loaded the first time it is turned on). When the reader
 * steps onto a step where QEMU sends a stream event or an error (or where
 * one might expect it to and it stays silent), the player stops just
 * before it and asks what QEMU will say; the answer comes with one
 * sentence of why, and the score at the end. Questions and answers are
 * buttons in a live region, so the keyboard and screen readers get all of
 * it; the player's own keys keep working.
 */
import { h, renderInto, type Child } from '../dom/h.ts';
import type { SimHost } from './host.ts';
import { answerText, CHOICES, isRight, questionAt, questionSteps, scoreText, whyText, type Guess, type Question } from './predict-logic.ts';

type Mode = { kind: 'intro' } | { kind: 'asking'; q: Question } | { kind: 'answered'; q: Question; guess: Guess } | { kind: 'done' };

export class Predict {
  /** Step → whether the reader's prediction was right. */
  private readonly answered = new Map<number, boolean>();
  private mode: Mode = { kind: 'intro' };
  private last: number;
  private moving = false;

  constructor(private readonly host: SimHost) {
    this.last = host.player.position;
    host.querySelector('[data-predict]')?.addEventListener('change', () => this.toggle());
    host.addEventListener('nsl-position', () => this.onPosition());
    host.addEventListener('nsl-shown', () => {
      // A new scenario (an edit, undo, another release): its questions start afresh.
      this.answered.clear();
      this.last = host.player.position;
      if (this.on) this.show({ kind: 'intro' }, false);
    });
    host.querySelector('[data-predict-body]')?.addEventListener('click', (e) => this.onClick(e));
    host.querySelector('[data-predict-stop]')?.addEventListener('click', () => this.stop());
    this.toggle();
  }

  private get on(): boolean {
    return this.host.querySelector<HTMLInputElement>('[data-predict]')?.checked ?? false;
  }

  private toggle(): void {
    const panel = this.host.querySelector<HTMLElement>('[data-predict-panel]');
    panel?.toggleAttribute('hidden', !this.on);
    this.answered.clear();
    this.last = this.host.player.position;
    if (this.on) this.show({ kind: 'intro' }, false);
  }

  /** Leaves predict mode from the panel; focus goes to the checkbox that turns it on again. */
  private stop(): void {
    const box = this.host.querySelector<HTMLInputElement>('[data-predict]');
    if (!box) return;
    box.checked = false;
    this.toggle();
    box.focus();
  }

  private seek(k: number): void {
    this.moving = true;
    try {
      this.host.player.seek(k);
    } finally {
      this.moving = false;
    }
    this.last = this.host.player.position;
  }

  private onPosition(): void {
    const player = this.host.player;
    const k = player.position;
    if (!this.on || this.moving) {
      this.last = k;
      return;
    }
    const from = this.last;
    this.last = k;
    if (k > from) {
      for (let s = from + 1; s <= k; s++) {
        if (this.answered.has(s)) continue;
        const q = questionAt(player.trace, this.host.scenario, s);
        if (!q) continue;
        player.pause();
        this.seek(s - 1);
        this.show({ kind: 'asking', q }, true);
        return;
      }
    }
    if (k === player.trace.last && k > 0) this.show({ kind: 'done' }, false);
    else if (this.mode.kind !== 'intro' && !(this.mode.kind === 'answered' && this.mode.q.step === k)) this.show({ kind: 'intro' }, false);
  }

  private onClick(e: Event): void {
    const b = (e.target as Element).closest<HTMLElement>('[data-guess], [data-continue], [data-restart]');
    if (!b) return;
    if (b.dataset.guess && this.mode.kind === 'asking') {
      const guess = b.dataset.guess as Guess;
      this.answered.set(this.mode.q.step, isRight(this.mode.q, guess));
      this.show({ kind: 'answered', q: this.mode.q, guess }, true);
    } else if (b.dataset.continue !== undefined && this.mode.kind === 'answered') {
      const step = this.mode.q.step;
      this.seek(step);
      this.show(step === this.host.player.trace.last ? { kind: 'done' } : this.mode, false);
      this.host.querySelector<HTMLElement>('[data-act="forward"]')?.focus();
    } else if (b.dataset.restart !== undefined) {
      this.answered.clear();
      this.seek(0);
      this.show({ kind: 'intro' }, false);
      this.host.querySelector<HTMLElement>('[data-act="forward"]')?.focus();
    }
  }

  private score(): [number, number] {
    return [[...this.answered.values()].filter(Boolean).length, this.answered.size];
  }

  private show(mode: Mode, focus: boolean): void {
    this.mode = mode;
    const body = this.host.querySelector<HTMLElement>('[data-predict-body]');
    if (!body) return;
    const trace = this.host.player.trace;
    const [right, asked] = this.score();
    const so = asked > 0 ? ` So far: ${right} of ${asked} right.` : '';
    let content: Child[];
    switch (mode.kind) {
      case 'intro': {
        const n = questionSteps(trace, this.host.scenario).length;
        content = [
          h('p', null, `Step forward (the Step forward button or L). Before each of the ${n} step${n === 1 ? '' : 's'} where QEMU sends an event or an error, or where you might expect it to, the simulator stops and asks what QEMU will say.${so}`),
          h('p', { class: 'nsl-buttons' }, h('button', { type: 'button', 'data-restart': '' }, 'Start from the beginning')),
        ];
        break;
      }
      case 'asking': {
        const text = trace.steps[mode.q.step - 1]?.text ?? '';
        content = [
          h('p', null, h('strong', null, `Step ${mode.q.step}: ${text}.`), ' What will QEMU say?'),
          h(
            'div',
            { class: 'nsl-predict-choices', role: 'group', 'aria-label': `Your prediction for step ${mode.q.step}` },
            CHOICES.map((c) => h('button', { type: 'button', 'data-guess': c.guess }, c.label)),
          ),
        ];
        break;
      }
      case 'answered': {
        const ok = isRight(mode.q, mode.guess);
        const last = mode.q.step === trace.last;
        content = [
          h('p', { class: ok ? 'nsl-predict-right' : 'nsl-predict-wrong' }, h('strong', null, ok ? 'Right.' : 'Not quite.'), ` ${answerText(mode.q)}`),
          h('p', null, h('strong', null, 'Why: '), whyText(mode.q, trace, this.host.scenario)),
          h('p', { class: 'nsl-buttons' }, h('button', { type: 'button', 'data-continue': '' }, last ? 'Show step and score' : `Show step ${mode.q.step}`), h('span', { class: 'nsl-hint' }, `${right} of ${asked} right so far.`)),
        ];
        break;
      }
      case 'done':
        content = [h('p', null, h('strong', null, 'The end. '), scoreText(right, asked)), h('p', { class: 'nsl-buttons' }, h('button', { type: 'button', 'data-restart': '' }, 'Start again'))];
        break;
    }
    renderInto(body, h('div', null, content));
    if (focus) body.querySelector<HTMLElement>('button')?.focus();
  }
}

export function startPredict(host: SimHost): Predict {
  return new Predict(host);
}
