/**
 * The v1 record: what a v1 link holds once unpacked. README.md in this
 * folder is its specification; v1 links must decode forever, so this file
 * only ever gains fixes that keep old records decoding as they did.
 *
 *   [step, qemu, release, title, description, netdevs, steps]
 *
 * `release` and `title`/`description` are null when absent (release: same
 * as `qemu`). Steps take the shortest form that rebuilds them exactly, key
 * order included; any step can also be written as its scenario object.
 */
import type { PeerAddress, Scenario, Step } from '../core/scenario/schema.ts';

/** Number of items in a v1 record. */
export const RECORD_V1_LENGTH = 7;

type Json = unknown;

export function toRecordV1(scenario: Scenario, release: string, step: number): Json[] {
  return [
    step,
    scenario.qemu,
    release === scenario.qemu ? null : release,
    scenario.title ?? null,
    scenario.description ?? null,
    scenario.netdevs,
    scenario.steps.map(compactStep),
  ];
}

const hasKeys = (x: object, keys: readonly string[]): boolean => {
  const own = Object.keys(x);
  return own.length === keys.length && own.every((k, i) => k === keys[i]);
};

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

/** Peer actions by their one-letter tags; QMP command names are never one letter. */
const PEER_TAGS = { connect: 'c', listen: 'l', send: 's', 'send-raw': 'r', close: 'x' } as const;

function compactStep(step: Step): Json {
  if (hasKeys(step, ['wait'])) return (step as { wait: number }).wait;
  if (hasKeys(step, ['qmp'])) return compactCommand((step as { qmp: unknown }).qmp) ?? step;
  const keys = Object.keys(step);
  if (keys.length === 2 && keys[0] === 'peer') {
    const s = step as Record<string, unknown>;
    const action = keys[1]!;
    switch (action) {
      case 'connect':
      case 'listen':
        return [PEER_TAGS[action], s.peer, ...compactAddress(s[action] as PeerAddress)];
      case 'send':
      case 'send-raw':
        return [PEER_TAGS[action], s.peer, s[action]];
      case 'close':
        return [PEER_TAGS.close, s.peer];
    }
  }
  return step;
}

function compactCommand(qmp: unknown): Json[] | null {
  if (!isPlainObject(qmp) || typeof qmp.execute !== 'string' || qmp.execute.length < 2) return null;
  if (hasKeys(qmp, ['execute'])) return [qmp.execute];
  if (hasKeys(qmp, ['execute', 'arguments'])) return [qmp.execute, qmp.arguments];
  return null;
}

function compactAddress(a: PeerAddress): Json[] {
  if (a.type === 'unix' && hasKeys(a, ['type', 'path'])) return ['u', a.path];
  if (a.type === 'inet' && hasKeys(a, ['type', 'host', 'port'])) return ['i', a.host, a.port];
  return [a];
}

export type RecordV1Read =
  /** `scenario` still has to pass checkScenario; `release` is null when it is `qemu`. */
  | { ok: true; scenario: Record<string, unknown>; release: string | null; step: number }
  | { ok: false; detail: string };

/** Rebuilds the scenario, release and step from a parsed v1 record, checking only the record's own shape. */
export function fromRecordV1(record: unknown): RecordV1Read {
  if (!Array.isArray(record) || record.length !== RECORD_V1_LENGTH) {
    return { ok: false, detail: `it is not a list of ${RECORD_V1_LENGTH} items` };
  }
  const [step, qemu, release, title, description, netdevs, steps] = record as Json[];
  if (typeof step !== 'number') return { ok: false, detail: 'its step is not a number' };
  if (release !== null && typeof release !== 'string') return { ok: false, detail: 'its release is not text' };
  if (!Array.isArray(steps)) return { ok: false, detail: 'its steps are not a list' };
  const expanded: Json[] = [];
  for (let i = 0; i < steps.length; i++) {
    const s = expandStep(steps[i]);
    if (s === INVALID) return { ok: false, detail: `step ${i + 1} is in a form this version does not know` };
    expanded.push(s);
  }
  return {
    ok: true,
    scenario: {
      scenario: 1,
      ...(title !== null ? { title } : {}),
      ...(description !== null ? { description } : {}),
      qemu,
      netdevs,
      steps: expanded,
    },
    release,
    step,
  };
}

const INVALID = Symbol('invalid');

function expandStep(x: Json): Json | typeof INVALID {
  if (typeof x === 'number') return { wait: x };
  if (!Array.isArray(x)) return x;
  const [head, peer, ...rest] = x as Json[];
  if (typeof head !== 'string' || head === '') return INVALID;
  if (head.length >= 2) {
    if (x.length === 1) return { qmp: { execute: head } };
    if (x.length === 2) return { qmp: { execute: head, arguments: peer } };
    return INVALID;
  }
  switch (head) {
    case PEER_TAGS.connect:
    case PEER_TAGS.listen: {
      if (x.length < 2) return INVALID;
      const address = expandAddress(rest);
      if (address === INVALID) return INVALID;
      return head === PEER_TAGS.connect ? { peer, connect: address } : { peer, listen: address };
    }
    case PEER_TAGS.send:
      return x.length === 3 ? { peer, send: rest[0] } : INVALID;
    case PEER_TAGS['send-raw']:
      return x.length === 3 ? { peer, 'send-raw': rest[0] } : INVALID;
    case PEER_TAGS.close:
      return x.length === 2 ? { peer, close: true } : INVALID;
    default:
      return INVALID;
  }
}

function expandAddress(parts: Json[]): Json | typeof INVALID {
  const [tag, a, b] = parts;
  if (tag === 'u' && parts.length === 2) return { type: 'unix', path: a };
  if (tag === 'i' && parts.length === 3) return { type: 'inet', host: a, port: b };
  if (parts.length === 1 && typeof tag !== 'string') return tag;
  return INVALID;
}
