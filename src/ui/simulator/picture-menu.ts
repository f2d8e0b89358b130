/**
 * What the reader can do to a thing in the network picture, as menu items
 * that are scenario steps: a peer connects, listens, sends, closes; a
 * netdev is asked about (`info network`), has its link set, is deleted; a
 * listening socket gets a new client; a connection's peer hangs up; a new
 * netdev is added. Only actions that make sense at the position shown are
 * offered; when none does, `none` says why. Pure: built from the trace
 * position and the scenario, tested in Node.
 */
import type { PeerAddress, Scenario, Step } from '../../core/scenario/schema.ts';
import { SAMPLE_ARP_FRAME_HEX } from '../../core/net/sample-frame.ts';
import { addressText } from '../trace/describe.ts';
import type { Trace, TracePosition } from '../trace/types.ts';
import { freshPeerName, knownAddresses, type PeerAddressFields } from './known-addresses.ts';

export type Target = { kind: 'peer'; name: string } | { kind: 'netdev'; id: string } | { kind: 'listener'; id: number } | { kind: 'conn'; id: number } | { kind: 'qemu' };

export interface MenuItem {
  label: string;
  step: Step;
  /** The thing the result is shown beside (events go beside their netdev in any case). */
  anchor: Target;
}

export interface Menu {
  /** "peer a", "netdev n0", "listening socket unix:/tmp/sim/n0.sock", "connection #2", "QEMU". */
  title: string;
  items: MenuItem[];
  /** Why nothing is offered, when nothing is. */
  none: string | null;
}

/** The target an element of the picture stands for, from its data attributes. */
export function targetOf(attrs: { peer?: string | undefined; netdev?: string | undefined; listener?: string | undefined; conn?: string | undefined }): Target | null {
  if (attrs.peer !== undefined) return { kind: 'peer', name: attrs.peer };
  if (attrs.netdev !== undefined) return { kind: 'netdev', id: attrs.netdev };
  if (attrs.listener !== undefined && Number.isInteger(Number(attrs.listener))) return { kind: 'listener', id: Number(attrs.listener) };
  if (attrs.conn !== undefined && Number.isInteger(Number(attrs.conn))) return { kind: 'conn', id: Number(attrs.conn) };
  return null;
}

const INFO: Step = { qmp: { execute: 'human-monitor-command', arguments: { 'command-line': 'info network' } } };
/** Four raw bytes: a frame's length (42) with no frame behind it yet. */
const LENGTH_ONLY = '0000002a';

/** Address text (as the views write it) → an address object a step can name. */
function addressBook(s: Scenario, p: TracePosition): Map<string, PeerAddressFields> {
  const book = new Map<string, PeerAddressFields>();
  for (const k of knownAddresses(s)) book.set(k.text, k.addr);
  for (const n of p.netdevs) {
    const a = n.addr as unknown as Record<string, unknown>;
    if ((a.type === 'unix' && typeof a.path === 'string') || (a.type === 'inet' && typeof a.host === 'string' && typeof a.port === 'string')) {
      book.set(addressText(a), a as PeerAddressFields);
    }
  }
  return book;
}

/** A netdev id the scenario does not use yet: n1, n2, … */
function freshNetdevId(s: Scenario, p: TracePosition): string {
  const used = new Set([...p.netdevs.map((n) => n.id), ...s.netdevs.map((n) => String(n.id))]);
  for (const step of s.steps as unknown[]) {
    const q = (step as { qmp?: { arguments?: { id?: unknown } } }).qmp;
    if (typeof q?.arguments?.id === 'string') used.add(q.arguments.id);
  }
  for (let i = 0; ; i++) if (!used.has(`n${i}`)) return `n${i}`;
}

function addNetdev(s: Scenario, p: TracePosition, anchor: Target): MenuItem {
  const id = freshNetdevId(s, p);
  const addr = { type: 'unix', path: `/tmp/sim/${id}.sock` };
  return {
    label: `Add netdev ${id}: a server on ${addressText(addr)} (netdev_add)`,
    step: { qmp: { execute: 'netdev_add', arguments: { id, type: 'stream', server: true, addr } } },
    anchor,
  };
}

function peerMenu(name: string, s: Scenario, p: TracePosition): Menu {
  const me: Target = { kind: 'peer', name };
  const peer = p.peers.find((x) => x.name === name);
  const book = addressBook(s, p);
  const items: MenuItem[] = [];
  if (peer?.connection == null) {
    for (const l of p.listeners) {
      if (l.by?.kind === 'peer' && l.by.name === name) continue;
      const addr = book.get(l.address);
      if (addr) items.push({ label: `Connect to ${l.address} (${l.owner} listens)`, step: { peer: name, connect: addr as PeerAddress }, anchor: me });
    }
  }
  if (!peer?.listening) {
    const listening = new Set(p.listeners.map((l) => l.address));
    for (const k of knownAddresses(s)) {
      if (listening.has(k.text)) continue;
      if (k.netdevConnects || k.uses.includes(`peer ${name} listens`)) {
        items.push({ label: `Listen on ${k.text}${k.netdevConnects ? ' (a client netdev connects there)' : ''}`, step: { peer: name, listen: k.addr as PeerAddress }, anchor: me });
      }
    }
  }
  if (peer?.connection != null) {
    items.push({ label: 'Send a frame (a 42-byte ARP request)', step: { peer: name, send: SAMPLE_ARP_FRAME_HEX }, anchor: me });
    items.push({ label: 'Send raw bytes: 00 00 00 2a (a length, no frame yet)', step: { peer: name, 'send-raw': LENGTH_ONLY }, anchor: me });
  }
  if (peer && (peer.connection != null || peer.listening)) {
    const what = [peer.connection != null && `connection #${peer.connection}`, peer.listening && `listener on ${peer.listening}`].filter(Boolean).join(' and ');
    items.push({ label: `Close (its ${what})`, step: { peer: name, close: true }, anchor: me });
  }
  return {
    title: `peer ${name}`,
    items,
    none: items.length ? null : `peer ${name} has no connection, no listener, and no address where something listens or a netdev connects.`,
  };
}

function netdevMenu(id: string, s: Scenario, p: TracePosition): Menu {
  const me: Target = { kind: 'netdev', id };
  const n = p.netdevs.find((x) => x.id === id);
  if (!n) return { title: `netdev ${id}`, items: [addNetdev(s, p, { kind: 'qemu' })], none: null };
  const items: MenuItem[] = [{ label: 'Ask QEMU: info network', step: INFO, anchor: me }];
  if (!n.deleted) {
    const addr = n.addr as unknown as Record<string, unknown>;
    const usable = addr.type === 'unix' || addr.type === 'inet';
    const listening = p.listeners.some((l) => l.address === addressText(addr));
    if (usable && n.mode === 'server' && listening) {
      const peer = freshPeerName(s);
      items.push({ label: `A new peer ${peer} connects to ${addressText(addr)}`, step: { peer, connect: addr as PeerAddress }, anchor: { kind: 'peer', name: peer } });
    }
    if (usable && n.mode === 'client' && !listening) {
      const peer = freshPeerName(s);
      items.push({ label: `A new peer ${peer} listens on ${addressText(addr)}`, step: { peer, listen: addr as PeerAddress }, anchor: { kind: 'peer', name: peer } });
    }
    items.push({ label: `set_link ${id} down`, step: { qmp: { execute: 'set_link', arguments: { name: id, up: false } } }, anchor: me });
    items.push({ label: `set_link ${id} up`, step: { qmp: { execute: 'set_link', arguments: { name: id, up: true } } }, anchor: me });
    items.push({ label: `netdev_del ${id}`, step: { qmp: { execute: 'netdev_del', arguments: { id } } }, anchor: me });
  }
  items.push(addNetdev(s, p, { kind: 'qemu' }));
  return { title: `netdev ${id}`, items, none: null };
}

function listenerMenu(id: number, s: Scenario, p: TracePosition): Menu {
  const l = p.listeners.find((x) => x.id === id);
  if (!l) return { title: 'listening socket', items: [], none: 'This socket no longer listens at this step.' };
  const items: MenuItem[] = [];
  const addr = addressBook(s, p).get(l.address);
  if (addr) {
    const peer = freshPeerName(s);
    items.push({ label: `A new peer ${peer} connects here`, step: { peer, connect: addr as PeerAddress }, anchor: { kind: 'peer', name: peer } });
  }
  if (l.by?.kind === 'peer') items.push({ label: `peer ${l.by.name} closes`, step: { peer: l.by.name, close: true }, anchor: { kind: 'peer', name: l.by.name } });
  if (l.by?.kind === 'netdev') items.push({ label: `netdev_del ${l.by.id}`, step: { qmp: { execute: 'netdev_del', arguments: { id: l.by.id } } }, anchor: { kind: 'netdev', id: l.by.id } });
  return { title: `listening socket ${l.address}`, items, none: items.length ? null : 'Nothing can be done with this socket here.' };
}

function connMenu(id: number, p: TracePosition): Menu {
  const c = p.connections.find((x) => x.id === id);
  if (!c) return { title: `connection #${id}`, items: [], none: 'This connection is gone at this step.' };
  const items: MenuItem[] = [];
  for (const e of c.ends) {
    if (e.by?.kind === 'peer') {
      const name = e.by.name;
      items.push({ label: `peer ${name} sends a frame on it`, step: { peer: name, send: SAMPLE_ARP_FRAME_HEX }, anchor: { kind: 'peer', name } });
      items.push({ label: `peer ${name} closes it (hangs up)`, step: { peer: name, close: true }, anchor: { kind: 'peer', name } });
    } else if (e.by?.kind === 'netdev') {
      items.push({ label: `netdev_del ${e.by.id}`, step: { qmp: { execute: 'netdev_del', arguments: { id: e.by.id } } }, anchor: { kind: 'netdev', id: e.by.id } });
    }
  }
  return { title: `connection #${id}`, items, none: items.length ? null : 'Neither end of this connection is a peer or a netdev of this scenario.' };
}

/** The actions offered for a thing in the picture at position k. */
export function menuFor(target: Target, trace: Trace, k: number, s: Scenario): Menu {
  const p = trace.positions[Math.min(Math.max(0, k), trace.last)]!;
  if (trace.startupFailed) return { title: 'QEMU', items: [], none: 'QEMU refused to start, so nothing can be done at this step.' };
  switch (target.kind) {
    case 'peer':
      return peerMenu(target.name, s, p);
    case 'netdev':
      return netdevMenu(target.id, s, p);
    case 'listener':
      return listenerMenu(target.id, s, p);
    case 'conn':
      return connMenu(target.id, p);
    case 'qemu':
      return { title: 'QEMU', items: [{ label: 'Ask QEMU: info network', step: INFO, anchor: { kind: 'qemu' } }, addNetdev(s, p, { kind: 'qemu' })], none: null };
  }
}
