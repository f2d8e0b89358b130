/**
 * What a scenario already knows about its sockets: the addresses its
 * netdevs (command line or `netdev_add`) and its peers listen on or connect
 * to, and the names of its peers. "Be a peer" takes its defaults and its
 * address picker from here, so what it offers is always something the
 * scenario has. Pure; the scenario may come from a link or the editor, so
 * every field is read defensively.
 */
import type { Scenario } from '../../core/scenario/schema.ts';
import { addressText } from '../trace/describe.ts';

export type PeerAddressFields = { type: 'unix'; path: string; [extra: string]: unknown } | { type: 'inet'; host: string; port: string; [extra: string]: unknown };

export interface KnownAddress {
  addr: PeerAddressFields;
  /** As `info network` writes it: `unix:/tmp/sim/n0.sock`. */
  text: string;
  /** Who uses it, in scenario order: "netdev n0 listens", "peer p connects". */
  uses: string[];
  /** A netdev listens here (a peer reaches it by connecting). */
  netdevListens: boolean;
  /** A netdev connects here (a peer serves it by listening). */
  netdevConnects: boolean;
}

export interface PeerDefaults {
  peer: string;
  addr: PeerAddressFields;
  /** The action that reaches a netdev from this address, when one does. */
  action: 'connect' | 'listen' | null;
  /** One sentence on where the address comes from. */
  hint: string;
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** A unix or inet address a peer can use (fd and vsock cannot be a peer's). */
function peerAddress(a: unknown): PeerAddressFields | null {
  if (!isObject(a)) return null;
  if (a.type === 'unix' && typeof a.path === 'string' && a.path !== '') return a as PeerAddressFields;
  if (a.type === 'inet' && typeof a.host === 'string' && (typeof a.port === 'string' || typeof a.port === 'number')) {
    return { ...a, port: String(a.port) } as PeerAddressFields;
  }
  return null;
}

/** `server` as the command line or QMP may write it. */
const isServer = (v: unknown) => v === true || v === 'on' || v === 'true' || v === 'yes';

/** Every peer-usable address the scenario names, first use first. */
export function knownAddresses(s: Scenario): KnownAddress[] {
  const out = new Map<string, KnownAddress>();
  const add = (raw: unknown, use: string, role: 'netdev-listens' | 'netdev-connects' | 'peer') => {
    const addr = peerAddress(raw);
    if (!addr) return;
    const text = addressText(addr);
    let k = out.get(text);
    if (!k) {
      k = { addr, text, uses: [], netdevListens: false, netdevConnects: false };
      out.set(text, k);
    }
    if (!k.uses.includes(use)) k.uses.push(use);
    if (role === 'netdev-listens') k.netdevListens = true;
    if (role === 'netdev-connects') k.netdevConnects = true;
  };
  const netdev = (n: unknown) => {
    if (!isObject(n)) return;
    const id = typeof n.id === 'string' ? n.id : '?';
    const server = isServer(n.server);
    add(n.addr, `netdev ${id} ${server ? 'listens' : 'connects'}`, server ? 'netdev-listens' : 'netdev-connects');
  };
  for (const n of s.netdevs) netdev(n);
  for (const step of s.steps as unknown[]) {
    if (!isObject(step)) continue;
    const peer = typeof step.peer === 'string' ? step.peer : '?';
    if ('listen' in step) add(step.listen, `peer ${peer} listens`, 'peer');
    if ('connect' in step) add(step.connect, `peer ${peer} connects`, 'peer');
    if (isObject(step.qmp) && step.qmp.execute === 'netdev_add') netdev(step.qmp.arguments);
  }
  return [...out.values()];
}

/** The peer names the steps use, first use first. */
export function peerNames(s: Scenario): string[] {
  const names: string[] = [];
  for (const step of s.steps as unknown[]) {
    if (isObject(step) && typeof step.peer === 'string' && !names.includes(step.peer)) names.push(step.peer);
  }
  return names;
}

/** A peer name the scenario does not use yet: a, b, … z, then p1, p2, … */
export function freshPeerName(s: Scenario): string {
  const used = new Set(peerNames(s));
  for (const c of 'abcdefghijklmnopqrstuvwxyz') if (!used.has(c)) return c;
  for (let i = 1; ; i++) if (!used.has(`p${i}`)) return `p${i}`;
}

/** Where no address is known, "Be a peer" offers this one and says it is new. */
export const NEW_ADDRESS: PeerAddressFields = { type: 'unix', path: '/tmp/sim/peer.sock' };

/**
 * What "Be a peer" offers first: the scenario's own peer and an address
 * where acting reaches a netdev — a netdev's listening address first
 * (connect there), then one a netdev connects to (listen there), then any
 * address a step names.
 */
export function peerDefaults(s: Scenario): PeerDefaults {
  const known = knownAddresses(s);
  const peer = peerNames(s)[0] ?? freshPeerName(s);
  const listens = known.find((k) => k.netdevListens);
  const connects = known.find((k) => k.netdevConnects);
  const pick = listens ?? connects ?? known[0];
  if (!pick) {
    return { peer, addr: NEW_ADDRESS, action: null, hint: `The scenario names no socket address yet; ${addressText(NEW_ADDRESS)} is a new one.` };
  }
  const action = pick === listens ? 'connect' : pick === connects ? 'listen' : null;
  const who = pick.uses.join(', ');
  const hint =
    action === 'connect'
      ? `${pick.text}: ${who}. Connect there to reach the netdev.`
      : action === 'listen'
        ? `${pick.text}: ${who}. Listen there to be the netdev's server.`
        : `${pick.text}: ${who}. No netdev uses it.`;
  return { peer, addr: pick.addr, action, hint };
}

/** The option text of an address in the picker: the address, then who uses it. */
export function knownAddressLabel(k: KnownAddress): string {
  return `${k.text} (${k.uses.join(', ')})`;
}
