/**
 * The network picture at a position: QEMU with a card per stream netdev
 * (id, server or client, machine state, address), the peers below with
 * theirs, every listening socket with its backlog's slots, and every
 * connection as a line between the two ends that hold it. A connection
 * QEMU stopped reading (wedged) or that one side closed (broken) is drawn
 * differently; bytes a peer wrote in this step sit at the end they reached,
 * and the player moves them there along their connection (animateMotion,
 * started by the player unless the reader prefers reduced motion). The QMP
 * events of the step are call-outs above the netdev they concern.
 *
 * Every netdev, peer, listening socket and connection is a group with an
 * accessible name and a stable data attribute (data-netdev, data-peer,
 * data-listener, data-conn). Where the page acts on them (the simulator,
 * `actionable`), each is a focusable button that says it opens a menu;
 * elsewhere (an embed, a docs player, compare's second picture) each is a
 * labelled image that takes no focus. Pure: the build and the browser draw
 * the same tree.
 */
import { tenth } from '../diagram/svg.ts';
import { h, type Child, type VNode } from '../dom/h.ts';
import { addressText } from '../trace/describe.ts';
import type { Trace, TracePosition } from '../trace/types.ts';
import type { ConnectionView, OwnerRef } from '../../core/scenario/view.ts';
import { ms } from '../views/format.ts';
import { CALLOUT_LINE, CARD_H, CHAR, fitHead, fitTail, geometry, type Geometry } from './geometry.ts';
import { PORT_INSET, Ports, type End } from './ports.ts';
import { exitOf, exitWords, signalOf, type QemuExit } from '../trace/exit.ts';

const SLOT = 12;
/** Backlog slots drawn at most. */
const MAX_SLOTS = 5;
/** Room QEMU's name takes at the top left of its box. */
const TITLE_W = 96;

/** The state's last part: "server.listening" → "listening". */
export const shortState = (s: string) => s.slice(s.lastIndexOf('.') + 1);

export interface PictureOptions {
  /** The page opens an action menu for the things in the picture (the simulator). */
  actionable?: boolean;
}

/** The role and name of a thing in the picture: a menu button where the page acts on it, else an image. */
function itemRole(label: string, actionable: boolean): Record<string, string | number> {
  return actionable
    ? { tabindex: 0, role: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-label': label }
    : { role: 'img', 'aria-label': label };
}

/**
 * A thing of the picture: its shapes in the element that has its role and
 * name, its words in a sibling drawn over them (same classes, so they are
 * styled alike) that assistive technology skips (the name says it all, in
 * sentences) and the pointer passes through to the shapes. A button's
 * visible words would otherwise have to be its name, word for word, and
 * the words here are cut to fit their card.
 */
function thing(attrs: Record<string, string | number>, shapes: Child[], words: Child[]): VNode[] {
  return [h('g', attrs, shapes), h('g', { class: `${attrs.class} nsl-pic-words`, 'aria-hidden': 'true' }, words)];
}

const ownerName = (by: OwnerRef) => (by === null ? 'nobody yet' : by.kind === 'netdev' ? by.id : `peer ${by.name}`);

function curve(a: End, b: End): string {
  const bend = Math.max(24, Math.min(48, Math.abs(b.y - a.y) / 2.2));
  return `M${tenth(a.x)},${tenth(a.y)} C${tenth(a.x)},${tenth(a.y + a.dir * bend)} ${tenth(b.x)},${tenth(b.y + b.dir * bend)} ${tenth(b.x)},${tenth(b.y)}`;
}

/** The same path moved so that `to` is its origin (for animateMotion on an element placed at `to`). */
function relative(a: End, b: End): string {
  return curve({ ...a, x: a.x - b.x, y: a.y - b.y }, { ...b, x: 0, y: 0 });
}

function text(x: number, y: number, cls: string, content: string, attrs: Record<string, string | number> = {}): VNode {
  return h('text', { x, y, class: cls, ...attrs }, content);
}

/** The left edge of backlog slot i of a listening socket drawn at `at`. */
const slotX = (at: { x: number; side: 1 | -1 }, i: number) => (at.side === -1 ? at.x + 10 + i * (SLOT + 4) : at.x - 10 - SLOT - i * (SLOT + 4));

/** Whether netdev `handle`, deleted at position k, went when QEMU exited rather than by netdev_del. */
function goneWithQemu(trace: Trace, k: number, exit: QemuExit | null, handle: number): boolean {
  if (!exit || k < exit.position) return false;
  const before = exit.position > 0 ? trace.positions[exit.position - 1]!.netdevs.find((x) => x.handle === handle) : undefined;
  return before !== undefined && !before.deleted;
}

function netdevCard(trace: Trace, k: number, exit: QemuExit | null, g: Geometry, handle: number, actionable: boolean): VNode[] {
  const p = trace.positions[k]!;
  const s = g.netdevs.get(handle)!;
  const cast = trace.cast.netdevs.find((n) => n.handle === handle)!;
  const n = p.netdevs.find((x) => x.handle === handle);
  const changed = p.stage.changes.some((c) => n && c.netdev === n.id && c.to === n.state);
  const inner = s.w - 16;
  const state = n ? shortState(n.state) : 'not created yet';
  const detail = !n
    ? 'netdev_add comes later'
    : n.deleted
      ? goneWithQemu(trace, k, exit, handle)
        ? 'gone with QEMU'
        : 'removed by netdev_del'
      : n.timerAt !== null
        ? `retry at ${ms(n.timerAt)}`
        : addressText(n.addr);
  const label = n
    ? `netdev ${n.id}: ${n.mode}, ${state}${n.deleted ? '' : `, ${n.mode === 'server' ? 'listens on' : 'connects to'} ${addressText(n.addr)}`}${n.timerAt !== null ? `, retries at ${ms(n.timerAt)}` : ''}`
    : `netdev ${cast.id}: ${cast.mode}, not created yet`;
  return thing(
    {
      class: ['nsl-pic-card', 'nsl-pic-netdev', `nsl-st-${n ? state : 'ghost'}`, !n && 'nsl-pic-ghost', n?.deleted && 'nsl-pic-gone', changed && 'nsl-pic-changed']
        .filter(Boolean)
        .join(' '),
      'data-netdev': cast.id,
      'data-handle': handle,
      ...itemRole(label, actionable),
    },
    [h('rect', { x: s.x, y: s.y, width: s.w, height: CARD_H, rx: 7 }), h('circle', { cx: s.x + 12, cy: s.y + 28, r: 4, class: 'nsl-pic-dot' })],
    [
      h('text', { x: s.x + 8, y: s.y + 16, class: 'nsl-pic-name' }, fitHead(cast.id, inner - 60, CHAR.bold), h('tspan', { class: 'nsl-pic-mode' }, ` · ${cast.mode}`)),
      text(s.x + 21, s.y + 32, 'nsl-pic-state', fitHead(state, inner - 13, CHAR.sans)),
      text(s.x + 8, s.y + 46, n && !n.deleted && n.timerAt === null ? 'nsl-pic-addr' : 'nsl-pic-note', n && !n.deleted && n.timerAt === null ? fitTail(detail, inner, CHAR.mono) : fitHead(detail, inner, CHAR.sans)),
    ],
  );
}

function peerCard(p: TracePosition, g: Geometry, name: string, actionable: boolean): VNode[] {
  const s = g.peers.get(name)!;
  const peer = p.peers.find((x) => x.name === name);
  const conn = peer?.connection != null ? p.connections.find((c) => c.id === peer.connection) : undefined;
  const mine = conn?.ends.find((e) => e.by?.kind === 'peer' && e.by.name === name);
  let state = 'not yet started';
  let addr = '';
  if (peer) {
    const parts: string[] = [];
    if (conn) parts.push(conn.state === 'queued' ? 'in the backlog' : conn.state === 'blocked' ? 'waits: backlog full' : mine?.eof ? 'saw end-of-file' : 'connected');
    if (peer.listening) parts.push('listening');
    state = parts.join(', ') || 'no socket';
    addr = peer.listening ?? (mine ? mine.remote : '');
  }
  const actor = p.stage.did.startsWith(`peer ${name} `);
  const inner = s.w - 12;
  return thing(
    {
      class: ['nsl-pic-card', 'nsl-pic-peer', !peer && 'nsl-pic-ghost', actor && 'nsl-pic-actor'].filter(Boolean).join(' '),
      'data-peer': name,
      ...itemRole(`peer ${name}: ${state}${addr ? `, ${addr}` : ''}`, actionable),
    },
    [h('rect', { x: s.x, y: s.y, width: s.w, height: CARD_H, rx: 7 })],
    [
      text(s.x + 8, s.y + 16, 'nsl-pic-name', fitHead(`peer ${name}`, inner, CHAR.bold)),
      text(s.x + 8, s.y + 32, 'nsl-pic-state', fitHead(state, inner, CHAR.sans)),
      addr && text(s.x + 8, s.y + 46, 'nsl-pic-addr', fitTail(addr, inner, CHAR.mono)),
    ],
  );
}

function listeners(p: TracePosition, g: Geometry, ports: Ports, actionable: boolean): VNode[] {
  return p.listeners.flatMap((l) => {
    const at = ports.listener(l.by);
    if (!at) return [];
    const holder = l.by?.kind === 'netdev' ? g.netdevs.get(l.by.handle) : l.by ? g.peers.get(l.by.name) : undefined;
    const cardEdge = l.by?.kind === 'netdev' ? (holder?.y ?? 0) + CARD_H : (holder?.y ?? 0);
    // Linux queues backlog + 1; a long queue is drawn as its first few slots and a count.
    const queues = l.backlog + 1;
    const slots = Math.min(queues, MAX_SLOTS);
    const slotY = at.y + at.dir * 18 - SLOT / 2;
    // "listening" outside the card's edge when there is room up to the picture's edge, else beside the slots
    // when the card is wide enough to keep it clear of the connections' ports.
    const LABEL_W = 62;
    const outer = at.side === -1 ? at.x - 10 : g.width - at.x - 10;
    const inner = (holder?.w ?? 0) / 2 - PORT_INSET - 12 - slots * (SLOT + 4);
    // On the outer side, the slots' row is named too ("backlog"), further out than the slots reach.
    const outerX = at.side === -1 ? at.x - 10 : at.x + 10;
    const label =
      outer >= LABEL_W + 4
        ? [
            text(outerX, at.y + 4, 'nsl-pic-label', 'listening', { 'text-anchor': at.side === -1 ? 'end' : 'start' }),
            text(outerX, slotY + SLOT - 1, 'nsl-pic-label nsl-pic-dim', 'backlog', { 'text-anchor': at.side === -1 ? 'end' : 'start' }),
          ]
        : inner >= LABEL_W - 4
          ? text(at.side === -1 ? at.x + 12 + slots * (SLOT + 4) : at.x - 12 - slots * (SLOT + 4), at.y + 4, 'nsl-pic-label', 'listening', { 'text-anchor': at.side === -1 ? 'start' : 'end' })
          : null;
    return thing(
        {
          class: 'nsl-pic-listener',
          'data-listener': l.id,
          ...itemRole(`listening socket ${l.address} of ${ownerName(l.by)}, backlog ${l.backlog} (Linux queues ${queues}): ${l.queued.length ? `${l.queued.length} connection${l.queued.length === 1 ? '' : 's'} waiting to be accepted` : 'nothing waiting'}${l.blocked.length ? `, ${l.blocked.length} more waiting for room` : ''}`, actionable),
        },
        [
          h('path', { d: `M${at.x},${cardEdge} L${at.x},${at.y}`, class: 'nsl-pic-stub' }),
          h('circle', { cx: at.x, cy: at.y, r: 6, class: 'nsl-pic-sock' }),
          h('circle', { cx: at.x, cy: at.y, r: 2.5, class: 'nsl-pic-sock-dot' }),
          Array.from({ length: slots }, (_, i) =>
            h('rect', { x: slotX(at, i), y: slotY, width: SLOT, height: SLOT, rx: 2, class: i < l.queued.length ? 'nsl-pic-slot nsl-pic-slot-full' : 'nsl-pic-slot' }),
          ),
        ],
        [
          queues > slots &&
            text(slotX(at, slots - 1) + (at.side === -1 ? SLOT + 4 : -4), slotY + SLOT - 1, 'nsl-pic-label nsl-pic-dim', `… ${queues}`, { 'text-anchor': at.side === -1 ? 'start' : 'end' }),
          label,
        ],
    );
  });
}

/** Where the two ends of a connection are drawn; a connection nobody accepted ends in its listener's backlog slot. */
function ends(c: ConnectionView, p: TracePosition, ports: Ports): [End, End] | null {
  const out: End[] = [];
  for (const e of c.ends) {
    if (e.by) {
      const at = ports.conn(e.by, c.id);
      if (at) out.push(at);
      continue;
    }
    const l = p.listeners.find((x) => x.id === c.listenerId);
    const at = l ? ports.listener(l.by) : null;
    if (!l || !at) continue;
    const q = l.queued.indexOf(c.id);
    const i = Math.min(q >= 0 ? q : l.backlog + 1, MAX_SLOTS - 1);
    out.push({ x: slotX(at, i) + SLOT / 2, y: at.y + at.dir * 18 + (at.dir * SLOT) / 2, dir: at.dir, slot: at.side });
  }
  return out.length === 2 ? [out[0]!, out[1]!] : null;
}

function connections(g: Geometry, p: TracePosition, ports: Ports, prev: TracePosition | undefined, actionable: boolean): VNode[] {
  const st = p.stage;
  return p.connections.flatMap((c) => {
    const e = ends(c, p, ports);
    if (!e) return [];
    const wedged = st.wedged.includes(c.id);
    const broken = st.broken.includes(c.id);
    const fresh = prev !== undefined && !prev.connections.some((x) => x.id === c.id);
    const names = c.ends.map((x) => ownerName(x.by));
    const closedBy = c.ends.filter((x) => x.closed).map((x) => ownerName(x.by));
    const stateText = c.state === 'queued' ? 'waiting in the backlog, not accepted' : c.state === 'blocked' ? 'waiting for room in the backlog' : c.state === 'orphaned' ? 'reset: its listener closed' : 'accepted';
    const label = `connection #${c.id} between ${names.join(' and ')}: ${stateText}${wedged ? '; wedged: QEMU stopped reading it' : ''}${broken && closedBy.length ? `; broken: ${closedBy.join(' and ')} closed ${closedBy.length === 1 ? 'its end' : 'their ends'}` : ''}`;
    const marks: VNode[] = [];
    const words: VNode[] = [];
    c.ends.forEach((end, i) => {
      const at = e[i]!;
      if (end.closed) words.push(text(at.x, at.y + at.dir * 14 + 4, 'nsl-pic-x', '✕', { 'text-anchor': 'middle' }));
      if (wedged && end.by?.kind === 'netdev') {
        const y = at.y + at.dir * 16;
        const left = at.x > g.width / 2;
        marks.push(h('path', { d: `M${at.x - 9},${y} L${at.x + 9},${y}`, class: 'nsl-pic-stop' }));
        words.push(text(left ? at.x - 13 : at.x + 13, y + 4, 'nsl-pic-warn', 'not read', { 'text-anchor': left ? 'end' : 'start' }));
      }
    });
    // The bytes of this step's write are drawn by travelling(); other unread bytes here.
    const isTravelEnd = (end: ConnectionView['ends'][number]) =>
      st.travel?.conn === c.id && !(end.by?.kind === 'peer' && end.by.name === st.travel.peer);
    const unread = c.ends
      .map((end, i) => ({ end, at: e[i]! }))
      .filter(({ end }) => end.unread > 0 && !isTravelEnd(end))
      .map(({ end, at }) => chip(at, `${end.unread} B waiting`, 'nsl-pic-bytes nsl-pic-unread'));
    return thing(
      {
        class: ['nsl-pic-conn', `nsl-pic-${c.state}`, wedged && 'nsl-pic-wedged', broken && 'nsl-pic-broken', fresh && 'nsl-pic-new'].filter(Boolean).join(' '),
        'data-conn': c.id,
        ...itemRole(label, actionable),
      },
      [h('path', { d: curve(e[0], e[1]), class: 'nsl-pic-line' }), marks],
      [words, unread],
    );
  });
}

/** Where a chip of width w rests for an end: off the card along the line, or beside a backlog slot. */
function chipAt(at: End, w: number): { x: number; y: number } {
  if (at.slot) return { x: at.x + at.slot * -(w / 2 + 12), y: at.y - (at.dir * SLOT) / 2 };
  return { x: at.x, y: at.y + at.dir * 24 };
}

/** A small labelled box centred on a point, placed just off the card it belongs to. */
function chip(at: End, label: string, cls: string, extra: VNode | null = null): VNode {
  const w = Math.round(label.length * 7 + 12);
  const { x, y } = chipAt(at, w);
  return h(
    'g',
    { class: cls, transform: `translate(${x},${y})` },
    h('rect', { x: -w / 2, y: -9, width: w, height: 18, rx: 4 }),
    text(0, 4, 'nsl-pic-chip-text', label, { 'text-anchor': 'middle' }),
    extra,
  );
}

function travelling(p: TracePosition, ports: Ports): VNode | null {
  const t = p.stage.travel;
  if (!t) return null;
  const c = p.connections.find((x) => x.id === t.conn);
  if (!c) return null;
  const e = ends(c, p, ports);
  if (!e) return null;
  const from = c.ends.findIndex((x) => x.by?.kind === 'peer' && x.by.name === t.peer);
  const a = e[from === 1 ? 1 : 0];
  const b = e[from === 1 ? 0 : 1];
  const label = `${t.bytes} B${t.kind === 'raw' ? ' raw' : ''}${t.readBy ? ` → ${t.readBy}` : ' waiting'}`;
  const rest = { ...b, ...chipAt(b, Math.round(label.length * 7 + 12)) };
  return chip(
    b,
    label,
    `nsl-pic-bytes nsl-pic-travel${t.readBy ? ' nsl-pic-read' : ' nsl-pic-unread'}`,
    h('animateMotion', { dur: '0.8s', begin: 'indefinite', fill: 'freeze', path: relative(a, rest), 'data-travel': t.conn }),
  );
}

function callouts(trace: Trace, p: TracePosition, g: Geometry): VNode[] {
  const out: VNode[] = [];
  for (const cast of trace.cast.netdevs) {
    const said = p.stage.said.filter((s) => s.kind === 'event' && s.netdev === cast.id);
    if (said.length === 0) continue;
    const s = g.netdevs.get(cast.handle)!;
    const w = Math.min(g.width - TITLE_W - 6, Math.max(...said.map((x) => x.name.length + (x.delivered ? 0 : 7))) * CHAR.caps + 16);
    const cx = s.x + s.w / 2;
    // Clear of QEMU's name at the top left.
    const x = Math.max(TITLE_W, Math.min(g.width - 6 - w, cx - w / 2));
    const top = g.calloutY + (trace.cast.calloutLines - said.length) * CALLOUT_LINE;
    const bottom = s.y - 6;
    const kind = (name: string) => (name === 'NETDEV_STREAM_CONNECTED' ? 'up' : name === 'NETDEV_STREAM_DISCONNECTED' ? 'down' : 'other');
    out.push(
      h(
        'g',
        { class: `nsl-pic-callout nsl-ev-${kind(said[said.length - 1]!.name)}`, 'data-callout': cast.id },
        h('rect', { x, y: top, width: w, height: bottom - top, rx: 5 }),
        h('path', { d: `M${cx - 6},${bottom - 0.5} L${cx},${s.y} L${cx + 6},${bottom - 0.5}`, class: 'nsl-pic-callout-tip' }),
        said.map((e, i) =>
          text(x + 8, top + 14 + i * CALLOUT_LINE, `nsl-pic-event nsl-ev-${kind(e.name)}${e.delivered ? '' : ' nsl-ev-lost'}`, `${e.name}${e.delivered ? '' : ' (lost)'}`),
        ),
      ),
    );
  }
  return out;
}

/** The picture at position k. */
export function pictureView(trace: Trace, k: number, options: PictureOptions = {}): VNode {
  const actionable = options.actionable ?? false;
  const p = trace.positions[k]!;
  const prev = k > 0 ? trace.positions[k - 1] : undefined;
  const g = geometry(trace.cast);
  const ports = new Ports(g, p);
  const where = k === 0 ? 'at the start' : `after step ${k}`;
  const exit = exitOf(trace);
  const gone = exit !== null && k >= exit.position;
  return h(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'nsl-pic',
      viewBox: `0 0 ${g.width} ${g.height}`,
      style: `--pic-w:${g.width}px`,
      role: 'group',
      'aria-label': `Network ${where}: QEMU's stream netdevs, the peers, their sockets and connections`,
      'data-position': k,
    },
    h('rect', { x: g.qemu.x, y: g.qemu.y, width: g.qemu.w, height: g.qemu.h, rx: 10, class: gone ? 'nsl-pic-qemu nsl-pic-qemu-gone' : 'nsl-pic-qemu' }),
    text(12, 20, 'nsl-pic-title', `QEMU ${trace.release}`),
    // Once QEMU has gone nothing of its own is drawn below its box (its sockets closed with it): the words go there.
    gone && text(12, g.qemu.y + g.qemu.h + 20, signalOf(exit.status) ? 'nsl-pic-exit nsl-pic-crash' : 'nsl-pic-exit', `QEMU ${exitWords(exit.status)}`),
    trace.cast.netdevs.length === 0 && text(12, g.qemu.y + g.qemu.h - 22, 'nsl-pic-note', 'no stream netdev in this run'),
    trace.cast.peers.length === 0 && text(12, g.bandBottom + 30, 'nsl-pic-note', 'no peer in this run'),
    h('g', { class: 'nsl-pic-conns' }, connections(g, p, ports, prev, actionable)),
    h('g', { class: 'nsl-pic-listeners' }, listeners(p, g, ports, actionable)),
    trace.cast.netdevs.map((n) => netdevCard(trace, k, exit, g, n.handle, actionable)),
    trace.cast.peers.map((name) => peerCard(p, g, name, actionable)),
    travelling(p, ports),
    callouts(trace, p, g),
  );
}
