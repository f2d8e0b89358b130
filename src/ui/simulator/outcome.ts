/**
 * What one step of a trace did, in words: the QMP replies, errors and
 * events it brought, the frames that reached a netdev, and — when it did
 * nothing at all — why. The simulator shows this beside the thing the
 * reader acted on (and the transcript keeps the lines themselves). Pure.
 */
import type { Step } from '../../core/scenario/schema.ts';
import type { Trace, TraceEntry, TracePosition } from '../trace/types.ts';
import { addressText } from '../trace/describe.ts';
import { plural } from '../views/format.ts';

export type NoteKind = 'event' | 'error' | 'return' | 'frame' | 'exit';

/** One thing a step brought, short enough to show beside a netdev or a peer. */
export interface OutcomeNote {
  kind: NoteKind;
  /** The event, command reply or error class: "NETDEV_STREAM_DISCONNECTED", "DeviceNotFound". */
  label: string;
  /** The netdev it concerns, when one: an event's netdev-id, a frame's receiver. */
  netdev: string | null;
  text: string;
}

export interface StepOutcome {
  step: number;
  notes: OutcomeNote[];
  /** No QMP message from QEMU, no frame and no change of sockets, peers or netdevs. */
  nothing: boolean;
}

const MAX_REPLY = 160;

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

function parsed(e: TraceEntry): Record<string, unknown> {
  try {
    const line = JSON.parse(e.line) as unknown;
    return isObject(line) ? line : {};
  } catch {
    return {};
  }
}

function clip(s: string): string {
  return s.length > MAX_REPLY ? `${s.slice(0, MAX_REPLY - 1)}…` : s;
}

function noteOf(e: TraceEntry): OutcomeNote | null {
  const line = parsed(e);
  const msg = isObject(line.msg) ? line.msg : {};
  switch (e.kind) {
    case 'event': {
      const data = isObject(msg.data) ? msg.data : {};
      const netdev = typeof data['netdev-id'] === 'string' ? data['netdev-id'] : null;
      const addr = isObject(data.addr) ? `, addr ${addressText(data.addr)}` : '';
      return { kind: 'event', label: e.label, netdev, text: `${e.label}${netdev ? ` (netdev ${netdev}${addr})` : ''}` };
    }
    case 'error': {
      const err = isObject(msg.error) ? msg.error : {};
      const desc = typeof err.desc === 'string' ? err.desc : '';
      return { kind: 'error', label: e.label, netdev: null, text: `${e.label}${desc ? `: ${desc}` : ''}` };
    }
    case 'return': {
      const r = msg.return;
      const text = typeof r === 'string' ? JSON.stringify(r.replace(/\r\n/g, '\n').trimEnd()) : JSON.stringify(r);
      return { kind: 'return', label: 'return', netdev: null, text: clip(text) };
    }
    case 'exit':
      return { kind: 'exit', label: 'exit', netdev: null, text: clip(String(line.stderr ?? '')) };
    default:
      return null;
  }
}

/** Sockets, peers and netdevs as text to compare; a peer that appeared and holds nothing does not count. */
function network(p: TracePosition, known: ReadonlySet<string>): string {
  const peers = p.peers.filter((x) => known.has(x.name) || x.listening !== null || x.connection !== null || x.waitingForBacklog);
  return JSON.stringify([p.listeners, p.connections, peers, p.netdevs, p.infoNetwork]);
}

/** What step `k` (1-based) of the trace brought. */
export function outcomeOf(trace: Trace, k: number): StepOutcome {
  const notes: OutcomeNote[] = [];
  for (const e of trace.transcript) {
    if (e.step !== k) continue;
    const n = noteOf(e);
    if (n) notes.push(n);
  }
  const before = trace.positions[k - 1];
  const after = trace.positions[k];
  if (before && after) {
    const frames = trace.frames.slice(before.frames, after.frames);
    const by = new Map<string, number>();
    for (const f of frames) by.set(f.netdev, (by.get(f.netdev) ?? 0) + 1);
    for (const [netdev, n] of by) notes.push({ kind: 'frame', label: 'frame', netdev, text: `${plural(n, 'frame')} reached netdev ${netdev}` });
  }
  const known = new Set(before?.peers.map((p) => p.name) ?? []);
  const nothing = notes.length === 0 && (!before || !after || network(before, known) === network(after, known));
  return { step: k, notes, nothing };
}

/** A note as a clause: "QEMU sent NETDEV_STREAM_CONNECTED (netdev n0, addr unix:/tmp/sim/n0.sock)". */
export function noteClause(n: OutcomeNote): string {
  switch (n.kind) {
    case 'event':
      return `QEMU sent ${n.text}`;
    case 'error':
      return `QEMU answered with an error, ${n.text}`;
    case 'return':
      return `QEMU replied ${n.text}`;
    case 'exit':
      return `QEMU exited: ${n.text}`;
    case 'frame':
      return `${n.text.charAt(0).toUpperCase()}${n.text.slice(1)}`;
  }
}

/** The notes as sentences: "QEMU sent NETDEV_STREAM_DISCONNECTED (netdev n0)." */
export function outcomeSentence(o: StepOutcome): string {
  const qmp = o.notes.filter((n) => n.kind !== 'frame');
  const frames = o.notes.filter((n) => n.kind === 'frame');
  const parts: string[] = [];
  if (qmp.length > 0) parts.push(`${qmp.map(noteClause).join('; then ')}.`);
  else if (!o.nothing) parts.push('QEMU said nothing over QMP.');
  for (const f of frames) parts.push(`${noteClause(f)}.`);
  return parts.join(' ');
}

/**
 * Why step `k` did nothing, from the state just before it; null when it
 * did something. The sentence names the thing that was missing.
 */
export function whyNothing(trace: Trace, k: number, step: Step): string | null {
  const o = outcomeOf(trace, k);
  if (!o.nothing) return null;
  const before = trace.positions[k - 1];
  if (!before) return null;
  const s = step as Record<string, unknown>;
  const peerName = typeof s.peer === 'string' ? s.peer : '';
  const peer = before.peers.find((p) => p.name === peerName);
  const at = k === 1 ? 'at the start' : `after step ${k - 1}`;
  if ('connect' in s) {
    const where = addressText(s.connect);
    const listening = before.listeners.map((l) => l.address);
    if (peer?.connection != null) return `peer ${peerName} already has connection #${peer.connection}, and a peer has one connection at a time.`;
    const failed = trace.positions[k]?.peers.find((p) => p.name === peerName)?.connectFailed;
    if (failed && listening.includes(where)) return `the connect to ${where} failed ${at}: ${failed}.`;
    if (!listening.includes(where)) {
      return `nothing listens on ${where} ${at}, so the connect fails at once (${listening.length ? `listening: ${listening.join(', ')}` : 'no socket is listening'}).`;
    }
    return `the connect to ${where} changed nothing ${at}.`;
  }
  if ('close' in s) {
    return `peer ${peerName} has no connection and no listener ${at}, so closing changes nothing.`;
  }
  if ('send' in s || 'send-raw' in s) {
    if (!peer || peer.connection === null) return `peer ${peerName} has no connection ${at}, so there is nothing to send on.`;
    const conn = before.connections.find((c) => c.id === peer.connection);
    const other = conn?.ends.find((e) => e.owner !== `peer ${peerName}`);
    if (other && !other.owner.startsWith('QEMU')) return `peer ${peerName}'s connection #${peer.connection} leads to ${other.owner}, not to QEMU; peers discard what they read.`;
    if (conn?.state === 'queued' || conn?.state === 'blocked') return `peer ${peerName}'s connection #${peer.connection} is still waiting in a listener's backlog: nobody reads it yet.`;
    return `QEMU did not deliver anything from these bytes ${at} (a frame waits for its remaining bytes, or QEMU stopped reading).`;
  }
  if ('listen' in s) {
    if (peer?.listening) return `peer ${peerName} already listens on ${peer.listening}, and a peer has one listener at a time.`;
    return `listening on ${addressText(s.listen)} changed nothing ${at}.`;
  }
  if ('wait' in s) return `no timer fired and nothing arrived in those ${String(s.wait)} ms.`;
  if ('qmp' in s) return trace.startupFailed || trace.transcript.some((e) => e.kind === 'exit' && e.step < k) ? 'QEMU is not running any more, so nobody answers.' : 'QEMU did not answer.';
  return null;
}
