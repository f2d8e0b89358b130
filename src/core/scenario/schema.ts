/**
 * Scenario format v1 (shared/spec/scenario-format.md) as a schema. Every
 * boundary that takes a scenario (files, share links, the editor) checks it
 * here and gets errors that name the bad value by its path, e.g.
 * `steps[3].connect.type: expected one of "unix", "inet", "fd"`.
 *
 * The schema checks the scenario's own structure. What QEMU would say about
 * a QMP command or a `-netdev` option is not a scenario error: the
 * simulated QEMU answers it, as the real one would.
 */
import * as v from 'valibot';
import { RELEASE_NAMES } from '../releases.ts';
import { isHex } from '../util/hex.ts';
import { isRecord } from '../util/record.ts';
import { formatPath, type ScenarioIssue } from './issue.ts';

export { formatIssue, formatPath, type ScenarioIssue } from './issue.ts';

export const SCENARIO_FORMAT = 1;

/** Longest `wait` a step may ask for: one simulated day. */
export const MAX_WAIT_MS = 86_400_000;

const quoted = (xs: readonly string[]) => xs.map((x) => JSON.stringify(x)).join(', ');

const describe = (x: unknown): string => {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  return String(x);
};

const str = (what = 'a string') => v.string((i) => `expected ${what}, got ${describe(i.input)}`);
const bool = () => v.boolean((i) => `expected true or false, got ${describe(i.input)}`);
const unknownMember = (i: v.BaseIssue<unknown>) => {
  const key = i.path?.[i.path.length - 1]?.key;
  return `unknown member ${JSON.stringify(key)}`;
};
const obj = <E extends v.ObjectEntries>(entries: E, what = 'an object') =>
  v.strictObject(entries, (i) => {
    if (i.expected === 'never') return unknownMember(i);
    if (i.received === 'undefined' && (i.path?.length ?? 0) > 0) return 'missing';
    return `expected ${what}, got ${describe(i.input)}`;
  });

const PEER_ADDRESS_TYPES = ['unix', 'inet', 'fd'] as const;

/** A peer's address: the SocketAddress branches a stream socket uses. */
export const PeerAddressSchema = v.variant(
  'type',
  [
    obj({ type: v.literal('unix'), path: str(), abstract: v.optional(bool()), tight: v.optional(bool()) }),
    obj({
      type: v.literal('inet'),
      host: str(),
      port: str('a string (SocketAddress ports are strings)'),
      ipv4: v.optional(bool()),
      ipv6: v.optional(bool()),
    }),
    obj({ type: v.literal('fd'), str: str() }),
  ],
  (i) => {
    const atType = i.path?.[i.path.length - 1]?.key === 'type';
    if (!atType) return `expected an address object, got ${describe(i.input)}`;
    if (i.input === undefined) return `missing: an address has a "type", one of ${quoted(PEER_ADDRESS_TYPES)}`;
    return `expected one of ${quoted(PEER_ADDRESS_TYPES)}, got ${describe(i.input)}`;
  },
);

const peerName = v.pipe(
  str('a peer name'),
  v.minLength(1, 'expected a non-empty peer name'),
  v.maxLength(64, 'peer names are at most 64 characters'),
);

const hex = (what: string) =>
  v.pipe(
    str(`hex digits for ${what}`),
    v.check(isHex, `expected hex digits (an even number of 0-9, a-f)`),
  );

/** Any JSON value: the simulated monitor judges QMP input as QEMU does. */
const anyJson = v.unknown();

/** Longest `note` a step may carry. */
export const MAX_NOTE_LENGTH = 2000;

/**
 * An optional sentence on why the step's outcome is what it is, for readers
 * (the simulator's predict mode shows it). The engine ignores it.
 */
const note = v.optional(v.pipe(str('a note (text)'), v.maxLength(MAX_NOTE_LENGTH, `a note is at most ${MAX_NOTE_LENGTH} characters`)));

const stepSchemas = {
  qmp: obj({ qmp: anyJson, note }),
  listen: obj({ peer: peerName, listen: PeerAddressSchema, note }),
  connect: obj({ peer: peerName, connect: PeerAddressSchema, note }),
  send: obj({ peer: peerName, send: hex('the frame'), note }),
  'send-raw': obj({ peer: peerName, 'send-raw': hex('the raw bytes'), note }),
  close: obj({ peer: peerName, close: v.literal(true, 'expected true'), note }),
  wait: obj({
    note,
    wait: v.pipe(
      v.number((i) => `expected milliseconds, got ${describe(i.input)}`),
      v.integer('expected a whole number of milliseconds'),
      v.minValue(0, 'expected a wait of 0 ms or more'),
      v.maxValue(MAX_WAIT_MS, `expected a wait of at most ${MAX_WAIT_MS} ms`),
    ),
  }),
} as const;

export type StepKind = keyof typeof stepSchemas;
const isStepKind = (k: string): k is StepKind => k in stepSchemas;
export const STEP_KINDS: readonly StepKind[] = Object.keys(stepSchemas).filter(isStepKind);

export type PeerAddress = v.InferOutput<typeof PeerAddressSchema>;
/** One step of a scenario, as its kind's schema checks it. */
export type Step = v.InferOutput<(typeof stepSchemas)[StepKind]>;

/** The one action a step object names, or why it names none or several. */
export function stepKind(step: object): { kind: StepKind } | { error: string } {
  const kinds = STEP_KINDS.filter((k) => k in step);
  if (kinds.length === 1) return { kind: kinds[0]! };
  if (kinds.length === 0) {
    return { error: `a step needs one action: ${quoted(STEP_KINDS)}` };
  }
  return { error: `a step has exactly one action, found ${quoted(kinds)}` };
}

const netdevEntry = v.record(v.string(), v.unknown(), (i) => `expected a netdev object (netdev_add's arguments), got ${describe(i.input)}`);

const ScenarioShape = obj(
  {
    scenario: v.optional(v.unknown()),
    title: v.optional(str()),
    description: v.optional(str()),
    qemu: v.picklist(RELEASE_NAMES, (i) =>
      i.input === undefined
        ? `a scenario names the QEMU release it models, one of ${quoted(RELEASE_NAMES)}`
        : `expected one of ${quoted(RELEASE_NAMES)}, got ${describe(i.input)}`,
    ),
    netdevs: v.optional(v.array(netdevEntry, (i) => `expected an array of netdev objects, got ${describe(i.input)}`)),
    steps: v.array(v.unknown(), (i) =>
      i.input === undefined ? 'a scenario needs a "steps" array' : `expected an array of steps, got ${describe(i.input)}`,
    ),
  },
  'a scenario object',
);

/**
 * A checked scenario: the schema's fields, the format version, the netdevs
 * (empty when the file has none) and steps as their kinds' schemas check them.
 */
export type Scenario = Pick<v.InferOutput<typeof ScenarioShape>, 'title' | 'description' | 'qemu'> & {
  scenario: typeof SCENARIO_FORMAT;
  netdevs: v.InferOutput<typeof netdevEntry>[];
  steps: Step[];
};

export type ScenarioCheck = { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] };

function issuesOf(issues: readonly v.BaseIssue<unknown>[] | undefined, prefix: (string | number)[]): ScenarioIssue[] {
  return (issues ?? []).map((i) => ({
    path: formatPath([...prefix, ...(i.path ?? []).map((p) => (typeof p.key === 'number' ? p.key : String(p.key)))]),
    message: i.message,
  }));
}

/** Checks a parsed JSON value against scenario format v1. */
export function checkScenario(input: unknown): ScenarioCheck {
  const issues: ScenarioIssue[] = [];
  if (isRecord(input)) {
    const version = input.scenario;
    if (version === undefined) {
      issues.push({ path: 'scenario', message: 'missing: a scenario file starts with "scenario": 1' });
    } else if (typeof version === 'number' && Number.isInteger(version) && version > SCENARIO_FORMAT) {
      issues.push({
        path: 'scenario',
        message: `format version ${version} is newer than this netdev-sim understands (${SCENARIO_FORMAT}); update netdev-sim`,
      });
    } else if (version !== SCENARIO_FORMAT) {
      issues.push({ path: 'scenario', message: `expected 1, got ${describe(version)}` });
    }
  }
  const shape = v.safeParse(ScenarioShape, input);
  issues.push(...issuesOf(shape.issues, []));
  const raw = isRecord(input) ? input : {};
  const netdevs: unknown[] = Array.isArray(raw.netdevs) ? raw.netdevs : [];
  netdevs.forEach((nd, i) => {
    if (!isRecord(nd)) return;
    for (const [key, value] of Object.entries(nd)) {
      const bad = findUnwritable(value);
      if (bad !== null) {
        issues.push({
          path: formatPath(['netdevs', i, key, ...bad]),
          message: 'null and arrays cannot be written as a -netdev option',
        });
      }
    }
  });
  const steps: unknown[] = Array.isArray(raw.steps) ? raw.steps : [];
  // Valid steps are kept as written (a parse would rebuild them in the schema's key order).
  const checkedSteps: Step[] = [];
  steps.forEach((step, i) => {
    if (!isRecord(step)) {
      issues.push({ path: formatPath(['steps', i]), message: `expected a step object, got ${describe(step)}` });
      return;
    }
    const k = stepKind(step);
    if ('error' in k) {
      issues.push({ path: formatPath(['steps', i]), message: k.error });
      return;
    }
    const schema = stepSchemas[k.kind];
    if (v.is(schema, step)) checkedSteps.push(step);
    else issues.push(...issuesOf(v.safeParse(schema, step).issues, ['steps', i]));
  });
  if (!shape.success) return { ok: false, issues };
  const root = shape.output;
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    scenario: {
      scenario: 1,
      ...(root.title !== undefined ? { title: root.title } : {}),
      ...(root.description !== undefined ? { description: root.description } : {}),
      qemu: root.qemu,
      netdevs: root.netdevs ?? [],
      steps: checkedSteps,
    },
  };
}

function findUnwritable(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (value === null || Array.isArray(value)) return path;
  if (isRecord(value)) {
    for (const [k, x] of Object.entries(value)) {
      const r = findUnwritable(x, [...path, k]);
      if (r) return r;
    }
  }
  return null;
}

/** Every port number a scenario writes down (ephemeral ports avoid them). */
export function portsWritten(s: Scenario): Set<number> {
  const ports = new Set<number>();
  const visit = (x: unknown, key?: string) => {
    if (Array.isArray(x)) x.forEach((y) => visit(y));
    else if (isRecord(x)) {
      for (const [k, y] of Object.entries(x)) visit(y, k);
    } else if ((key === 'port' || key === 'to') && (typeof x === 'string' || typeof x === 'number')) {
      const n = Number(x);
      if (Number.isInteger(n)) ports.add(((n % 65536) + 65536) % 65536);
    }
  };
  visit(s.netdevs);
  visit(s.steps);
  return ports;
}

/** The schema objects, for the editor's JSON Schema generator. */
export const schemas = { ScenarioShape, PeerAddressSchema, stepSchemas };
