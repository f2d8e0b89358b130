/**
 * Acting on the network picture (loaded the first time the reader clicks,
 * or presses Enter on, a netdev, a peer, a listening socket or a
 * connection in it): a menu of the actions that make sense there
 * (picture-menu.ts); the chosen one becomes a step after the current
 * position, and what QEMU said (reply, event, error) appears beside the
 * thing it concerns — an event beside its netdev — as well as in the
 * transcript and, in words, in a live region for screen readers.
 */
import { h, renderInto } from '../dom/h.ts';
import type { SimHost } from './host.ts';
import { say } from './messages.ts';
import { whyNothing, type OutcomeNote } from './outcome.ts';
import { placeNote, type Obstacle, type Rect } from './note-place.ts';
import { menuFor, targetOf, type Menu, type MenuItem, type Target } from './picture-menu.ts';
import { reportOf } from './report.ts';


function selector(t: Target): string {
  switch (t.kind) {
    case 'peer':
      return `[data-peer="${CSS.escape(t.name)}"]`;
    case 'netdev':
      return `[data-netdev="${CSS.escape(t.id)}"]`;
    case 'listener':
      return `[data-listener="${t.id}"]`;
    case 'conn':
      return `[data-conn="${t.id}"]`;
    case 'qemu':
      return '.nsl-pic-qemu';
  }
}

const NOTE_TEXT: Record<OutcomeNote['kind'], (n: OutcomeNote) => string> = {
  event: (n) => n.text,
  error: (n) => `error: ${n.text}`,
  return: (n) => `reply: ${n.text.length > 60 ? `${n.text.slice(0, 59)}…` : n.text}`,
  frame: (n) => n.text,
  exit: (n) => `QEMU exited: ${n.text}`,
};

export class PictureActions {
  private pop: HTMLElement | null = null;
  private opener: { target: Target; label: string } | null = null;
  private readonly closeOnOutside = (e: Event) => {
    if (this.pop && !this.pop.contains(e.target as Node)) this.close(false);
  };
  private readonly closeOnScroll = (e: Event) => {
    if (this.pop && !this.pop.contains(e.target as Node)) this.close(false);
  };

  constructor(private readonly host: SimHost) {
    // The menu was made for the position shown; a step elsewhere ends it.
    host.addEventListener('nsl-position', () => this.close(false));
  }

  private picture(): HTMLElement | null {
    return this.host.querySelector<HTMLElement>('[data-stage-view="picture"]');
  }

  /** Opens the menu for a picture element. */
  open(el: Element): void {
    const d = (el as HTMLElement | SVGElement).dataset;
    const target: Target | null = el.classList.contains('nsl-pic-qemu') ? { kind: 'qemu' } : targetOf(d);
    if (!target) return;
    this.close(false);
    this.host.newAction();
    const menu = menuFor(target, this.host.player.trace, this.host.player.position, this.host.scenario);
    this.opener = { target, label: menu.title };
    this.render(menu, el.getBoundingClientRect());
    el.setAttribute('aria-expanded', 'true');
  }

  private render(menu: Menu, at: DOMRect): void {
    const title = `Actions on ${menu.title}`;
    const pop = document.createElement('div');
    pop.className = 'nsl-act-pop';
    pop.dataset.actMenu = '';
    renderInto(pop, [
      h('p', { class: 'nsl-act-pop-title', id: 'nsl-act-pop-title' }, title),
      menu.items.length
        ? h(
            'div',
            { role: 'menu', 'aria-labelledby': 'nsl-act-pop-title' },
            menu.items.map((item, i) => h('button', { type: 'button', role: 'menuitem', tabindex: -1, 'data-item': i }, item.label)),
          )
        : h('p', { class: 'nsl-hint' }, menu.none ?? 'Nothing to do here.'),
      menu.items.length ? '' : h('button', { type: 'button', 'data-close': '' }, 'Close'),
    ]);
    this.host.appendChild(pop);
    // Below the thing, or above it when there is no room; never outside the window.
    const w = pop.offsetWidth;
    const hgt = pop.offsetHeight;
    const left = Math.max(8, Math.min(at.left, innerWidth - w - 8));
    const below = at.bottom + 6;
    const top = below + hgt <= innerHeight - 8 ? below : Math.max(8, at.top - hgt - 6);
    pop.style.left = `${left}px`;
    pop.style.top = `${top}px`;
    this.pop = pop;
    const items = [...pop.querySelectorAll<HTMLElement>('[role="menuitem"]')];
    pop.addEventListener('keydown', (e) => {
      const i = items.indexOf(e.target as HTMLElement);
      const move = (j: number) => items[(j + items.length) % items.length]?.focus();
      if (e.key === 'Escape') {
        e.preventDefault();
        this.close(true);
      } else if (e.key === 'Tab') {
        this.close(false);
      } else if (items.length && (e.key === 'ArrowDown' || e.key === 'ArrowUp' || e.key === 'Home' || e.key === 'End')) {
        e.preventDefault();
        e.stopPropagation();
        move(e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'Home' ? 0 : items.length - 1);
      }
    });
    pop.addEventListener('click', (e) => {
      const b = (e.target as Element).closest<HTMLElement>('[data-item], [data-close]');
      if (!b) return;
      if (b.dataset.close !== undefined) this.close(true);
      else void this.choose(menu.items[Number(b.dataset.item)]!);
    });
    (items[0] ?? pop.querySelector<HTMLElement>('[data-close]'))?.focus();
    setTimeout(() => {
      document.addEventListener('pointerdown', this.closeOnOutside, true);
      document.addEventListener('scroll', this.closeOnScroll, true);
    });
  }

  close(refocus: boolean): void {
    document.removeEventListener('pointerdown', this.closeOnOutside, true);
    document.removeEventListener('scroll', this.closeOnScroll, true);
    if (!this.pop) return;
    this.pop.remove();
    this.pop = null;
    const opener = this.opener ? this.picture()?.querySelector<SVGElement>(selector(this.opener.target)) : null;
    if (opener?.hasAttribute('aria-expanded')) opener.setAttribute('aria-expanded', 'false');
    if (refocus) opener?.focus();
  }

  private async choose(item: MenuItem): Promise<void> {
    const from = this.opener;
    this.close(false);
    this.host.newAction();
    const msg = this.host.querySelector('[data-picture-message]');
    const ins = await this.host.insertStep(item.step, msg);
    if (!ins) return;
    const report = reportOf(ins);
    say(msg, report.kind, report.text);
    const step = ins.result.scenario.steps[ins.step - 1];
    const why = step ? whyNothing(ins.result.trace, ins.step, step) : null;
    this.notes(report.outcome.notes, item.anchor, why === null ? null : `nothing happened: ${why}`);
    // Keep the keyboard where the reader was: on the thing acted on, or on what the action made.
    const picture = this.picture();
    (picture?.querySelector<SVGElement>(selector(item.anchor)) ?? (from ? picture?.querySelector<SVGElement>(selector(from.target)) : null))?.focus();
  }

  /**
   * Puts each result beside the thing it concerns. Events need no note: the
   * stage draws the step's events as call-outs above their netdev
   * ([data-callout]). Replies, errors, frames and "nothing happened" go
   * beside the thing acted on, where they cover nothing drawn, or least
   * (note-place.ts).
   */
  private notes(notes: OutcomeNote[], anchor: Target, nothing: string | null): void {
    const picture = this.picture();
    if (!picture) return;
    const texts = notes.filter((n) => n.kind !== 'event').map((n) => NOTE_TEXT[n.kind](n));
    if (nothing) texts.push(nothing);
    if (texts.length === 0) return;
    const svg = picture.querySelector('svg');
    const el = picture.querySelector(selector(anchor)) ?? svg;
    if (!el || !svg) return;
    const note = document.createElement('div');
    note.className = 'nsl-result-note';
    note.dataset.resultNote = selector(anchor);
    renderInto(note, texts.map((t) => h('span', null, t)));
    note.style.maxWidth = `${Math.min(352, picture.clientWidth - 8)}px`;
    picture.appendChild(note);
    const box = picture.getBoundingClientRect();
    const at = placeNote({ w: note.offsetWidth, h: note.offsetHeight }, this.local(el.getBoundingClientRect(), box, picture), drawn(svg, (r) => this.local(r, box, picture)), {
      x: picture.scrollLeft,
      y: 0,
      w: picture.clientWidth,
      h: picture.clientHeight,
    });
    note.style.left = `${at.x}px`;
    note.style.top = `${at.y}px`;
  }

  /** A rectangle on screen in the picture box's own pixels. */
  private local(r: DOMRect, box: DOMRect, picture: HTMLElement): Rect {
    return { x: r.left - box.left + picture.scrollLeft, y: r.top - box.top + picture.scrollTop, w: r.width, h: r.height };
  }
}

/** What the picture draws, as rectangles a note should not cover: words, shapes, and the connections' lines point by point. */
function drawn(svg: SVGSVGElement, local: (r: DOMRect) => Rect): Obstacle[] {
  const out: Obstacle[] = [];
  for (const t of svg.querySelectorAll('text')) if (t.textContent?.trim()) out.push({ kind: 'word', ...local(t.getBoundingClientRect()) });
  for (const s of svg.querySelectorAll('.nsl-pic-card > rect, .nsl-pic-listener circle, .nsl-pic-listener rect, .nsl-pic-stub, .nsl-pic-callout rect, .nsl-pic-bytes rect')) {
    out.push({ kind: 'shape', ...local(s.getBoundingClientRect()) });
  }
  for (const line of svg.querySelectorAll<SVGPathElement>('.nsl-pic-line')) {
    const ctm = line.getScreenCTM();
    if (!ctm) continue;
    const length = line.getTotalLength();
    for (let l = 0; l <= length; l += 6) {
      const q = line.getPointAtLength(l);
      const p = new DOMPoint(q.x, q.y).matrixTransform(ctm);
      out.push({ kind: 'line', ...local(new DOMRect(p.x - 4, p.y - 4, 8, 8)) });
    }
  }
  return out;
}

let actions: PictureActions | null = null;

export function pictureActions(host: SimHost): PictureActions {
  actions ??= new PictureActions(host);
  return actions;
}
