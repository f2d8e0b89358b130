/**
 * A sequence diagram of what happened up to a position: the QMP client,
 * QEMU and every peer as lifelines; QMP commands, replies and events from
 * the transcript; connects, frames and closes from the peers' steps.
 * Messages of the current step are marked.
 */
import { h, type Child, type VNode } from '../dom/h.ts';
import type { Trace } from '../trace/types.ts';
import { ms } from './format.ts';

interface Message {
  t: number;
  from: string;
  to: string;
  label: string;
  kind: 'command' | 'reply' | 'error' | 'event' | 'lost' | 'peer' | 'note';
  isNew: boolean;
}

const CLIENT = 'QMP client';
const QEMU = 'QEMU';

/*
 * Layout in CSS pixels; text is 12px (sequence.css). The diagram is drawn at
 * its natural size and scrolls inside its box, never scaled down, so its
 * text stays readable on a phone. Column widths follow the longest label
 * between two lifelines, estimated from its length (the build has no fonts
 * to measure with), so no label is cut or runs over a neighbour.
 */
const FONT = 12;
const MIN_COL = 150;
const ROW = 30;
const HEAD_H = 34;
const MAX_LABEL = 72;

const short = (s: string) => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);
/** Width of a character in em, roughly, for common sans-serif fonts (wide ones: DejaVu Sans). */
function charEm(c: string): number {
  if (/[mwMW@]/.test(c)) return 0.9;
  if (/[A-Z0-9#%&]/.test(c)) return 0.72;
  if (/[ijl.,:;'|!]/.test(c)) return 0.3;
  if (/[ \-/()[\]{}]/.test(c)) return 0.38;
  return 0.6;
}

/** Estimated width of a label in px, bold included (the build has no fonts to measure with). */
export const textWidth = (s: string) => Math.ceil([...s].reduce((w, c) => w + charEm(c), 0) * FONT * 1.08);

/** Lifelines: client, QEMU, then peers in the order they first appear. */
export function lifelines(trace: Trace): string[] {
  const peers: string[] = [];
  for (const s of trace.steps) if (s.peer !== null && !peers.includes(s.peer)) peers.push(s.peer);
  return [CLIENT, QEMU, ...peers.map((p) => `peer ${p}`)];
}

export function messagesAt(trace: Trace, position: number): Message[] {
  const p = trace.positions[position];
  if (!p) return [];
  const out: { m: Message; order: number }[] = [];
  let order = 0;
  // Who listens where, as peers' listen steps say; connects to those go to the peer.
  const listening = new Map<string, string>();
  const target = new Map<string, string>();
  trace.steps.slice(0, position).forEach((s, i) => {
    const isNew = i + 1 === position;
    const from = `peer ${s.peer}`;
    const push = (to: string, label: string, kind: Message['kind'] = 'peer') =>
      out.push({ m: { t: s.start, from, to, label, kind, isNew }, order: order++ });
    switch (s.kind) {
      case 'listen':
        listening.set(s.address ?? '', from);
        push(from, `listen ${s.address ?? ''}`, 'note');
        break;
      case 'connect': {
        const to = listening.get(s.address ?? '') ?? QEMU;
        target.set(from, to);
        push(to, `connect ${s.address ?? ''}`);
        break;
      }
      case 'send':
      case 'send-raw':
        push(target.get(from) ?? QEMU, s.text.replace(/^peer \S+ /, ''));
        break;
      case 'close':
        push(target.get(from) ?? QEMU, 'close');
        for (const [addr, who] of listening) if (who === from) listening.delete(addr);
        break;
      case 'wait':
        out.push({ m: { t: s.start, from: CLIENT, to: CLIENT, label: s.text, kind: 'note', isNew }, order: order++ });
        break;
    }
  });
  trace.transcript.slice(0, p.transcript).forEach((e) => {
    const isNew = e.step === position && position > 0;
    let m: Message;
    switch (e.kind) {
      case 'command':
        m = { t: e.t, from: CLIENT, to: QEMU, label: e.label, kind: 'command', isNew };
        break;
      case 'event':
        m = { t: e.t, from: QEMU, to: CLIENT, label: e.label, kind: 'event', isNew };
        break;
      case 'error':
        m = { t: e.t, from: QEMU, to: CLIENT, label: `error: ${e.label}`, kind: 'error', isNew };
        break;
      case 'exit':
        m = { t: e.t, from: QEMU, to: QEMU, label: 'QEMU exits', kind: 'note', isNew };
        break;
      default:
        m = { t: e.t, from: QEMU, to: CLIENT, label: e.label, kind: 'reply', isNew };
    }
    out.push({ m, order: order++ });
  });
  trace.events.slice(0, p.events).forEach((ev) => {
    if (ev.delivered) return;
    out.push({
      m: { t: ev.t, from: QEMU, to: CLIENT, label: `${ev.event} (lost)`, kind: 'lost', isNew: false },
      order: order++,
    });
  });
  // Time order; at the same instant a step comes before what it causes.
  return out.sort((a, b) => a.m.t - b.m.t || a.order - b.order).map((x) => x.m);
}

interface Layout {
  /** x of each lifeline, by name. */
  x: Map<string, number>;
  /** Width of each lifeline's heading box. */
  head: Map<string, number>;
  width: number;
  timeWidth: number;
}

/** Where the lifelines go so that every label fits between them, and how wide the whole diagram is. */
export function sequenceLayout(lanes: string[], msgs: Message[]): Layout {
  const timeWidth = Math.max(64, ...msgs.map((m) => textWidth(ms(m.t)) + 14));
  const head = new Map(lanes.map((n) => [n, Math.max(112, textWidth(n) + 20)]));
  // gaps[i]: distance from lifeline i to lifeline i + 1.
  const gaps = lanes.slice(1).map((n, i) => Math.max(MIN_COL, (head.get(lanes[i]!)! + head.get(n)!) / 2 + 16));
  for (const m of msgs) {
    const a = Math.min(lanes.indexOf(m.from), lanes.indexOf(m.to));
    const b = Math.max(lanes.indexOf(m.from), lanes.indexOf(m.to));
    if (a < 0 || a === b) continue;
    const need = textWidth(short(m.label)) + 24;
    const have = gaps.slice(a, b).reduce((s, g) => s + g, 0);
    if (have < need) gaps[b - 1]! += need - have;
  }
  const x = new Map<string, number>();
  let at = timeWidth + head.get(lanes[0]!)! / 2;
  lanes.forEach((n, i) => {
    x.set(n, at);
    at += gaps[i] ?? 0;
  });
  let width = Math.max(...lanes.map((n) => x.get(n)! + head.get(n)! / 2));
  for (const m of msgs) if (m.from === m.to) width = Math.max(width, (x.get(m.from) ?? 0) + 6 + textWidth(short(m.label)) + 14);
  return { x, head, width: Math.ceil(width + 8), timeWidth };
}

/**
 * The diagram: a row of lifeline headings (its own SVG, kept in view by
 * sequence.css while the rows scroll under it) and the messages, one a row,
 * in time order, with their times on the left.
 */
export function sequenceView(trace: Trace, position: number): VNode {
  const lanes = lifelines(trace);
  const msgs = messagesAt(trace, position);
  const { x: xs, head, width, timeWidth } = sequenceLayout(lanes, msgs);
  const x = (name: string) => xs.get(name) ?? xs.get(QEMU)!;
  const height = ROW * Math.max(1, msgs.length) + 12;
  const heads = lanes.map((name) =>
    h(
      'g',
      { class: 'nsl-s-lane' },
      h('rect', { x: x(name) - head.get(name)! / 2, y: 5, width: head.get(name)!, height: 24, rx: 5 }),
      h('text', { x: x(name), y: 21, 'text-anchor': 'middle' }, name),
    ),
  );
  const lifelinePaths = lanes.map((name) => h('path', { d: `M${x(name)},0 V${height}`, class: 'nsl-s-life' }));
  const rows = msgs.map((m, i) => {
    const y = ROW * i + 20;
    const cls = `nsl-s-msg nsl-s-${m.kind}${m.isNew ? ' nsl-new' : ''}`;
    const time = h('text', { x: timeWidth - 10, y: y + 4, 'text-anchor': 'end', class: 'nsl-s-time' }, ms(m.t));
    const label = short(m.label);
    const full = label === m.label ? null : h('title', null, m.label);
    if (m.from === m.to) {
      const cx = x(m.from);
      return h(
        'g',
        { class: cls },
        time,
        h('rect', { x: cx + 6, y: y - 12, width: textWidth(label) + 14, height: 20, rx: 3, class: 'nsl-s-note-box' }),
        h('text', { x: cx + 13, y: y + 2 }, label),
        full,
      );
    }
    const x1 = x(m.from);
    const x2 = x(m.to);
    const dir = x2 > x1 ? 1 : -1;
    const tip = x2 - dir * 2;
    return h(
      'g',
      { class: cls },
      time,
      h('path', { d: `M${x1},${y} H${tip}`, fill: 'none' }),
      h('polygon', { points: `${tip},${y} ${tip - dir * 8},${y - 4} ${tip - dir * 8},${y + 4}` }),
      h('text', { x: (x1 + x2) / 2, y: y - 5, 'text-anchor': 'middle' }, label),
      full,
    );
  });
  const svg = (cls: string, h2: number, ...children: Child[]) =>
    h('svg', { xmlns: 'http://www.w3.org/2000/svg', class: cls, viewBox: `0 0 ${width} ${h2}`, width, height: h2 }, ...children);
  return h(
    'div',
    {
      class: 'nsl-seq',
      role: 'img',
      'aria-label': `Sequence diagram: ${msgs.length} messages between ${lanes.join(', ')} up to this step`,
    },
    svg('nsl-seq-heads', HEAD_H, heads),
    svg('nsl-seq-rows', height, lifelinePaths, rows),
  );
}
