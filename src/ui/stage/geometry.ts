/**
 * Where the network picture puts things: QEMU's box with a card per netdev
 * across the top, the peers' cards across the bottom, and the sockets
 * between them. Every netdev and peer of the run has a fixed slot (the
 * trace's cast), so nothing moves while the reader steps.
 *
 * Units are CSS pixels at a 360-pixel-wide picture; the page scales the
 * picture up on wide screens and never below this size.
 */
import { tenth as round } from '../diagram/svg.ts';
import type { StageCast } from '../trace/types.ts';

export const MIN_WIDTH = 360;
const MARGIN = 8;
const GAP = 10;
const MIN_NETDEV_W = 104;
const MAX_NETDEV_W = 200;
const MIN_PEER_W = 96;
const MAX_PEER_W = 170;
export const CARD_H = 52;
/** One call-out line above a netdev card. */
export const CALLOUT_LINE = 20;
/** Height of the band between QEMU and the peers, where sockets and connections are drawn. */
export const BAND_H = 78;

export interface Slot {
  x: number;
  y: number;
  w: number;
}

export interface Geometry {
  width: number;
  height: number;
  /** QEMU's box. */
  qemu: { x: number; y: number; w: number; h: number };
  /** The top of the call-out row. */
  calloutY: number;
  netdevs: Map<number, Slot>;
  peers: Map<string, Slot>;
  /** The band between QEMU's box and the peers' cards. */
  bandTop: number;
  bandBottom: number;
}

/** `count` cards of width between min and max, centred in `width`. */
function row(count: number, width: number, min: number, max: number, y: number): Slot[] {
  const n = Math.max(1, count);
  const w = Math.max(min, Math.min(max, (width - 2 * MARGIN - GAP * (n - 1)) / n));
  const used = n * w + GAP * (n - 1);
  const x0 = (width - used) / 2;
  return Array.from({ length: count }, (_, i) => ({ x: round(x0 + i * (w + GAP)), y, w: round(w) }));
}

export function geometry(cast: StageCast): Geometry {
  const n = Math.max(1, cast.netdevs.length);
  const m = Math.max(1, cast.peers.length);
  const width = Math.max(MIN_WIDTH, 2 * MARGIN + n * MIN_NETDEV_W + GAP * (n - 1), 2 * MARGIN + m * MIN_PEER_W + GAP * (m - 1));
  // The call-outs share the top row with QEMU's name (they keep clear of it).
  const calloutY = 6;
  const cardY = calloutY + cast.calloutLines * CALLOUT_LINE + 8;
  const qemu = { x: 2, y: 2, w: width - 4, h: cardY + CARD_H + 8 - 2 };
  const bandTop = qemu.y + qemu.h;
  const bandBottom = bandTop + BAND_H;
  const netdevs = new Map<number, Slot>();
  row(cast.netdevs.length, width, MIN_NETDEV_W, MAX_NETDEV_W, cardY).forEach((s, i) => netdevs.set(cast.netdevs[i]!.handle, s));
  const peers = new Map<string, Slot>();
  row(cast.peers.length, width, MIN_PEER_W, MAX_PEER_W, bandBottom).forEach((s, i) => peers.set(cast.peers[i]!, s));
  return { width, height: bandBottom + CARD_H + 4, qemu, calloutY, netdevs, peers, bandTop, bandBottom };
}

/** Average advance of a character, for trimming text to a width (system sans and mono at 12 px). */
export const CHAR = { sans: 6.7, bold: 7.4, caps: 8.3, mono: 7.25 } as const;

/** Text that fits `px`: the end is kept (paths end with what tells them apart), the start becomes "…". */
export function fitTail(text: string, px: number, char: number): string {
  const max = Math.max(3, Math.floor(px / char));
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

/** Text that fits `px`, cut at the end. */
export function fitHead(text: string, px: number, char: number): string {
  const max = Math.max(3, Math.floor(px / char));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
