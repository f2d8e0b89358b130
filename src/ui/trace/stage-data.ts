/**
 * What the stage needs beyond the views of each position, computed once
 * when a trace is built (at build time in Node, or in the engine worker):
 * what the step did and what QEMU said, which netdevs changed state, the
 * bytes a peer wrote and the connection they travel on, and which
 * connections are wedged or broken. Pure; no DOM.
 */
import type { EmittedEvent, TranscriptEntry } from '../../core/qmp/types.ts';
import { addressText } from './describe.ts';
import type { StageCast, StagePosition, StageSaid, TracePosition, TraceStep } from './types.ts';
import { exitSentence } from './exit.ts';

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** At most this many characters of an answer or a stderr line in the caption. */
const SAID_MAX = 90;

function clip(text: string, max = SAID_MAX): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `netdev-id: n0, addr: unix:/tmp/sim/n0.sock`: an event's data the way a reader scans it. */
export function eventDataText(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([k, v]) => `${k}: ${isObject(v) && typeof v.type === 'string' ? addressText(v) : typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/** What a reply says: a returned text on one line, `{}`, or the error's class and description. */
function replyOf(msg: unknown): StageSaid | null {
  if (!isObject(msg)) return null;
  if ('return' in msg) {
    const r = msg.return;
    const text = typeof r === 'string' ? JSON.stringify(r.replace(/\r?\n$/, '')).replace(/\\r\\n/g, ' / ') : JSON.stringify(r);
    return { kind: 'return', name: 'return', netdev: null, text: clip(text ?? 'null'), delivered: true };
  }
  if ('error' in msg && isObject(msg.error)) {
    return { kind: 'error', name: String(msg.error.class), netdev: null, text: clip(String(msg.error.desc)), delivered: true };
  }
  return null;
}

export type StageInput = Omit<TracePosition, 'stage'>;

/**
 * The stage data of position k. `events`, `transcript` and `stderr` are the
 * run's whole lists; each position's counts say which belong to its step.
 */
export function stagePosition(
  positions: readonly StageInput[],
  k: number,
  step: TraceStep | null,
  scenarioStep: unknown,
  events: readonly EmittedEvent[],
  eventNetdev: (e: EmittedEvent) => string | null,
  transcript: readonly TranscriptEntry[],
  stderr: readonly string[],
): StagePosition {
  const cur = positions[k]!;
  const prev = k > 0 ? positions[k - 1]! : null;
  const said: StageSaid[] = [];
  for (const e of transcript.slice(prev?.transcript ?? 0, cur.transcript)) {
    if ('exit' in e) said.push({ kind: 'stderr', name: 'exit', netdev: null, text: exitSentence(e.exit), delivered: true });
    // At the start, the answer to qmp_capabilities is routine; later answers are what the step asked for.
    else if (k > 0 && e.dir === '<-' && isObject(e.msg) && !('event' in e.msg) && !('QMP' in e.msg)) {
      const r = replyOf(e.msg);
      if (r) said.push(r);
    }
  }
  for (const e of events.slice(prev?.events ?? 0, cur.events)) {
    said.push({ kind: 'event', name: e.event, netdev: eventNetdev(e), text: eventDataText(e.data), delivered: e.delivered });
  }
  for (const line of stderr.slice(prev?.stderr ?? 0, cur.stderr)) {
    said.push({ kind: 'stderr', name: 'stderr', netdev: null, text: clip(line), delivered: true });
  }
  // Events first: they are what the stage is about; answers and stderr after.
  said.sort((a, b) => Number(b.kind === 'event') - Number(a.kind === 'event'));

  const changes: StagePosition['changes'] = [];
  for (const n of cur.netdevs) {
    const before = prev?.netdevs.find((b) => b.handle === n.handle);
    const from = before?.state ?? '';
    if (from !== n.state) changes.push({ netdev: n.id, from, to: n.state });
  }

  let travel: StagePosition['travel'] = null;
  const s = isObject(scenarioStep) ? scenarioStep : {};
  if (step && (step.kind === 'send' || step.kind === 'send-raw') && step.peer) {
    const hex = step.kind === 'send' ? s.send : s['send-raw'];
    const peer = (prev?.peers ?? []).concat(cur.peers).find((p) => p.name === step.peer && p.connection !== null);
    const conn = peer?.connection ?? null;
    if (conn !== null) {
      const c = cur.connections.find((x) => x.id === conn);
      const dest = c?.ends.find((e) => !(e.by?.kind === 'peer' && e.by.name === step.peer));
      const readBy = dest?.by?.kind === 'netdev' && dest.unread === 0 && !dest.closed ? dest.by.id : null;
      travel = {
        conn,
        peer: step.peer,
        kind: step.kind === 'send' ? 'frame' : 'raw',
        bytes: typeof hex === 'string' ? hex.length / 2 : 0,
        readBy,
      };
    }
  }

  const stalled = new Set(cur.netdevs.filter((n) => n.state.endsWith('.stalled') && n.connId !== null).map((n) => n.connId!));
  const wedged = cur.connections.filter((c) => stalled.has(c.id)).map((c) => c.id);
  const broken = cur.connections
    .filter((c) => c.state === 'orphaned' || c.ends.some((e) => e.closed || e.eof))
    .filter((c) => c.ends.some((e) => !e.closed) || c.state === 'orphaned')
    .map((c) => c.id);

  const did = step ? step.text : 'QEMU starts, the QMP client connects';
  return { did, said, changes, travel, wedged, broken };
}

/** Every netdev and peer of the run, in order of appearance, so the picture keeps their places. */
export function stageCast(positions: readonly TracePosition[]): StageCast {
  const netdevs = new Map<number, StageCast['netdevs'][number]>();
  const peers: string[] = [];
  let calloutLines = 1;
  for (const p of positions) {
    for (const n of p.netdevs) if (!netdevs.has(n.handle)) netdevs.set(n.handle, { handle: n.handle, id: n.id, mode: n.mode });
    for (const peer of p.peers) if (!peers.includes(peer.name)) peers.push(peer.name);
    const perNetdev = new Map<string, number>();
    for (const s of p.stage.said) if (s.kind === 'event' && s.netdev) perNetdev.set(s.netdev, (perNetdev.get(s.netdev) ?? 0) + 1);
    calloutLines = Math.max(calloutLines, ...perNetdev.values());
  }
  return { netdevs: [...netdevs.values()], peers, calloutLines };
}
