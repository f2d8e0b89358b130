/**
 * Where sockets sit on the network picture's cards: a listening socket
 * near one end of its holder's edge, on the side away from where its
 * connections go, and the connections' ports on the other half, ordered
 * by where each line heads, so lines do not cross the socket or each other.
 */
import type { OwnerRef } from '../../core/scenario/view.ts';
import type { TracePosition } from '../trace/types.ts';
import { CARD_H, type Geometry, type Slot } from './geometry.ts';

/** One end of a line in the picture. */
export interface End {
  x: number;
  y: number;
  /** Which way the line leaves this end: +1 down (from QEMU), -1 up (from a peer). */
  dir: 1 | -1;
  /** The end waits in a backlog slot (nobody accepted it); the way the slots run. */
  slot?: 1 | -1;
}

/** How far a listening socket sits in from its card's end. */
export const PORT_INSET = 24;
/** Room between two connections' ports on one card. */
const PORT_STEP = 22;

const ownerKey = (by: OwnerRef) => (by === null ? '' : by.kind === 'netdev' ? `n:${by.handle}` : `p:${by.name}`);

/** The sockets' places on the cards at one position of the trace. */
export class Ports {
  private ports = new Map<string, Map<number, number>>();
  private listeners = new Map<string, { x: number; side: 1 | -1 }>();
  constructor(
    private g: Geometry,
    p: TracePosition,
  ) {
    const center = (by: OwnerRef) => {
      const s = this.slot(by);
      return s ? s.x + s.w / 2 : g.width / 2;
    };
    const heading = new Map<string, { id: number; toward: number }[]>();
    for (const c of p.connections) {
      c.ends.forEach((e, i) => {
        if (!e.by) return;
        const other = c.ends[1 - i]!;
        const l = p.listeners.find((x) => x.id === c.listenerId);
        const toward = other.by ? center(other.by) : center(l?.by ?? null);
        const key = ownerKey(e.by);
        heading.set(key, [...(heading.get(key) ?? []), { id: c.id, toward }]);
      });
    }
    const holders = new Set([...heading.keys(), ...p.listeners.map((l) => ownerKey(l.by))]);
    for (const key of holders) {
      const by: OwnerRef = key.startsWith('n:') ? { kind: 'netdev', handle: Number(key.slice(2)), id: '' } : { kind: 'peer', name: key.slice(2) };
      const s = this.slot(by);
      if (!s) continue;
      const mid = s.x + s.w / 2;
      const conns = (heading.get(key) ?? []).sort((a, b) => a.toward - b.toward);
      const listens = p.listeners.some((l) => ownerKey(l.by) === key);
      const side: 1 | -1 = conns.length > 0 && conns.every((c) => c.toward < mid - 1) ? 1 : -1;
      if (listens) this.listeners.set(key, { x: mid + side * (s.w / 2 - PORT_INSET), side });
      const portMid = listens ? mid - (side * s.w) / 4 : mid;
      this.ports.set(key, new Map(conns.map((c, i) => [c.id, portMid + (i - (conns.length - 1) / 2) * PORT_STEP])));
    }
  }
  private slot(by: OwnerRef): Slot | undefined {
    if (!by) return undefined;
    return by.kind === 'netdev' ? this.g.netdevs.get(by.handle) : this.g.peers.get(by.name);
  }
  /** Where a connection leaves its holder. */
  conn(by: OwnerRef, connId: number): End | null {
    const s = this.slot(by);
    const x = this.ports.get(ownerKey(by))?.get(connId);
    if (!s || !by || x === undefined) return null;
    return by.kind === 'netdev' ? { x, y: s.y + CARD_H, dir: 1 } : { x, y: s.y, dir: -1 };
  }
  /** Where a listening socket is drawn (below its netdev's card, above its peer's), and which way its backlog's slots run. */
  listener(by: OwnerRef): (End & { side: 1 | -1 }) | null {
    const at = this.listeners.get(ownerKey(by));
    if (!at || !by) return null;
    const y = by.kind === 'netdev' ? this.g.bandTop + 14 : this.g.bandBottom - 14;
    return { x: at.x, y, dir: by.kind === 'netdev' ? 1 : -1, side: at.side };
  }
}
