/**
 * Predict mode's questions, pure: which steps to stop before (those where
 * QEMU sends a stream event or an error, and those where a reader might
 * expect one and QEMU stays silent), the right answers, one sentence of why
 * (the step's `note` when the scenario has one, else a sentence from the
 * reference's facts about the backend), and the score.
 */
import type { Scenario, Step } from '../../core/scenario/schema.ts';
import type { Trace } from '../trace/types.ts';
import { outcomeOf, type OutcomeNote } from './outcome.ts';

export type Guess = 'connected' | 'disconnected' | 'error' | 'nothing';

export const CHOICES: readonly { guess: Guess; label: string }[] = [
  { guess: 'connected', label: 'NETDEV_STREAM_CONNECTED' },
  { guess: 'disconnected', label: 'NETDEV_STREAM_DISCONNECTED' },
  { guess: 'error', label: 'An error reply' },
  { guess: 'nothing', label: 'Nothing: no event, no error' },
];

export interface Question {
  /** The step asked about (1-based); the player stands just before it. */
  step: number;
  /** Every answer that is right (a step can bring two events). */
  answers: Guess[];
  /** The events and errors QEMU sends, in order. */
  notes: OutcomeNote[];
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

const EVENT_GUESS: Record<string, Guess> = {
  NETDEV_STREAM_CONNECTED: 'connected',
  NETDEV_STREAM_DISCONNECTED: 'disconnected',
};

/** Commands a reader may expect an event from; QEMU sends none. */
const SILENT_COMMANDS = new Set(['netdev_del', 'set_link']);

function command(step: Step | undefined): string | null {
  const s = step as Record<string, unknown> | undefined;
  return s && isObject(s.qmp) && typeof s.qmp.execute === 'string' ? s.qmp.execute : null;
}

/** Steps where a reader may expect an event: a peer connecting or closing, netdev_del, set_link. */
function mayExpectEvent(step: Step | undefined): boolean {
  if (!step) return false;
  return 'connect' in step || 'close' in step || SILENT_COMMANDS.has(command(step) ?? '');
}

/** The question before step `k`, or null when the simulator does not stop there. */
export function questionAt(trace: Trace, scenario: Scenario, k: number): Question | null {
  if (k < 1 || k > trace.last) return null;
  const notes = outcomeOf(trace, k).notes.filter((n) => n.kind === 'error' || (n.kind === 'event' && n.label in EVENT_GUESS));
  const answers: Guess[] = [];
  for (const n of notes) {
    const g = n.kind === 'error' ? 'error' : EVENT_GUESS[n.label]!;
    if (!answers.includes(g)) answers.push(g);
  }
  if (answers.length === 0) {
    if (!mayExpectEvent(scenario.steps[k - 1])) return null;
    answers.push('nothing');
  }
  return { step: k, answers, notes };
}

/** Every step the simulator stops before, in order. */
export function questionSteps(trace: Trace, scenario: Scenario): number[] {
  const out: number[] = [];
  for (let k = 1; k <= trace.last; k++) if (questionAt(trace, scenario, k)) out.push(k);
  return out;
}

export const isRight = (q: Question, g: Guess) => q.answers.includes(g);

/** What QEMU says, as the answer shows it. */
export function answerText(q: Question): string {
  if (q.notes.length === 0) return 'QEMU sends no event and no error.';
  return `QEMU sends ${q.notes.map((n) => (n.kind === 'error' ? `an error, ${n.text}` : n.text)).join(', then ')}.`;
}

function netdevAt(trace: Trace, k: number, id: string | null) {
  return trace.positions[k]?.netdevs.find((n) => n.id === id) ?? null;
}

/** One sentence of why, from the facts of the stream backend (used when the step has no note). */
export function derivedWhy(q: Question, trace: Trace, scenario: Scenario): string {
  const step = scenario.steps[q.step - 1];
  const parts: string[] = [];
  for (const n of q.notes) {
    if (n.kind === 'error') {
      const cmd = command(step);
      parts.push(`QEMU refuses ${cmd ?? 'the command'} and says why in the error; a refused command changes nothing.`);
    } else if (n.label === 'NETDEV_STREAM_CONNECTED') {
      const nd = netdevAt(trace, q.step, n.netdev);
      if (nd?.mode === 'server') parts.push('A server netdev sends NETDEV_STREAM_CONNECTED when it accepts a connection; for a unix socket the address is its own listening path.');
      else if (nd && nd.reconnectMs > 0 && nd.disconnects > 0) parts.push('A client netdev with reconnect retries on its timer; failed retries are silent, and only the one that connects is reported.');
      else parts.push("A client netdev sends NETDEV_STREAM_CONNECTED as soon as its connect succeeds; the address is the server's.");
    } else if (n.label === 'NETDEV_STREAM_DISCONNECTED') {
      parts.push('QEMU sends NETDEV_STREAM_DISCONNECTED when an established connection ends: the peer hung up (end-of-file), a read failed, or a frame was too big.');
    }
  }
  if (parts.length > 0) return [...new Set(parts)].join(' ');
  const cmd = command(step);
  if (cmd === 'netdev_del') return 'netdev_del closes the netdev and its sockets without an event: QEMU reports a connection starting or ending, not a netdev going away.';
  if (cmd === 'set_link') return 'set_link only sets the link flag; the stream backend sends no event for it.';
  const before = trace.positions[q.step - 1];
  const after = trace.positions[q.step];
  const s = (step ?? {}) as Record<string, unknown>;
  const peer = after?.peers.find((p) => p.name === s.peer);
  if ('connect' in s) {
    const conn = after?.connections.find((c) => c.id === peer?.connection);
    if (conn && (conn.state === 'queued' || conn.state === 'blocked')) {
      return "The connection waits in the kernel's backlog: a server netdev accepts one connection at a time, so it is accepted (and reported) only when the current one ends.";
    }
    if (!peer?.connection) return 'Nothing listens there, so the connect fails at once; QEMU is not involved and says nothing.';
    return 'The peer connected to something other than a QEMU netdev, so QEMU has nothing to report.';
  }
  if ('close' in s) {
    const had = before?.peers.find((p) => p.name === s.peer);
    const toQemu = before?.connections.find((c) => c.id === had?.connection)?.ends.some((e) => e.owner.startsWith('QEMU'));
    if (!toQemu) return "The peer had no connection to QEMU, so QEMU sees nothing; a failed or missing connection is never an event.";
    return 'No NETDEV_STREAM_DISCONNECTED follows: QEMU reports a hang-up only on a connection its netdev is still reading.';
  }
  return 'QEMU reports only an established connection starting or ending; nothing like that happens here.';
}

/** The step's own note when it has one, else the derived sentence. */
export function whyText(q: Question, trace: Trace, scenario: Scenario): string {
  const note = (scenario.steps[q.step - 1] as { note?: unknown } | undefined)?.note;
  return typeof note === 'string' && note.trim() !== '' ? note.trim() : derivedWhy(q, trace, scenario);
}

export function scoreText(right: number, asked: number): string {
  if (asked === 0) return 'No question was asked: no step before the end brings an event or an error.';
  return `You predicted ${right} of ${asked} right.`;
}
