/**
 * Share links: `/simulator/#s=v1.<payload>` carries a scenario, the QEMU
 * release it is viewed with and the step being viewed (README.md here
 * describes the format). Decoding never throws and never does anything with
 * what it reads but return it as data: the page shows the scenario through
 * its usual escaping templates and messages as plain text.
 */
import { findRelease, RELEASE_NAMES } from '../core/releases.ts';
import { checkScenario, formatIssue, type Scenario, type ScenarioIssue } from '../core/scenario/schema.ts';
import { fromBase64url, toBase64url } from './base64url.ts';
import { deflateRaw, inflateRaw } from './deflate.ts';
import { fromRecordV1, toRecordV1 } from './record-v1.ts';

/** The link format this version writes; it reads this one and every older one. */
export const LINK_VERSION = 1;

/** The fragment parameter that holds a link. */
export const LINK_PARAM = 's';

/** Where the simulator page lives on the site. */
export const SIMULATOR_PATH = '/simulator/';

/** Largest unpacked record a link may hold (the 69 KB frame scenarios fit several times over). */
export const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * Deflate never grows data by more than 5 bytes a 64 KiB block, so a
 * payload longer than this cannot hold a record under the cap.
 */
export const MAX_PAYLOAD_CHARS = Math.ceil(((MAX_RECORD_BYTES + 5 * (MAX_RECORD_BYTES / 65536 + 1)) * 4) / 3);

/** Deepest nesting of arrays and objects a record may have; QEMU's own JSON parser stops at 1024. */
export const MAX_NESTING = 2048;

/** Every reason a link can be refused, as DecodedLink's `code`. */
export const LINK_ERROR_CODES = [
  'empty',
  'not-a-link',
  'newer-version',
  'too-large',
  'bad-characters',
  'truncated',
  'corrupt',
  'bad-data',
  'too-deep',
  'invalid-scenario',
  'unknown-release',
  'bad-step',
] as const;

export type LinkErrorCode = (typeof LINK_ERROR_CODES)[number];

export interface OpenedLink {
  ok: true;
  /** The scenario as checkScenario returns it. */
  scenario: Scenario;
  /** The release to simulate; the scenario's own `qemu` unless the link chose another. */
  release: string;
  /** Steps done: 0 is before the first step, `scenario.steps.length` after the last. */
  step: number;
  /** The link format it was written in. */
  version: number;
}

export interface LinkError {
  ok: false;
  code: LinkErrorCode;
  /** One plain-text sentence for the reader; never HTML. */
  error: string;
  /** For `invalid-scenario`: every problem, with its path. */
  issues?: ScenarioIssue[];
}

export type DecodedLink = OpenedLink | LinkError;

/** Thrown by encodeLink for input that could not make a working link. */
export class LinkEncodeError extends Error {
  constructor(
    readonly code: LinkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LinkEncodeError';
  }
}

export interface EncodeOptions {
  /** The release to simulate; defaults to the scenario's `qemu`. */
  release?: string;
  /** Steps done, 0..steps.length. */
  step: number;
  /** A page address, e.g. `https://host/simulator/`; any fragment it has is replaced. */
  base?: string;
}

/**
 * A link to `scenario` at `step`: `base#s=v1.…` when a base is given, else
 * the fragment alone (`s=v1.…`, what goes after `#`).
 */
export async function encodeLink(scenario: Scenario, opts: EncodeOptions): Promise<string> {
  const checked = checkScenario(scenario);
  if (!checked.ok) throw new LinkEncodeError('invalid-scenario', invalidScenarioMessage('The scenario', checked.issues));
  const s = checked.scenario;
  const release = opts.release ?? s.qemu;
  if (!findRelease(release)) throw new LinkEncodeError('unknown-release', unknownReleaseMessage('The link would ask', release));
  if (!isStepOf(opts.step, s)) throw new LinkEncodeError('bad-step', badStepMessage('The link would point', opts.step, s));
  const record = toRecordV1(s, release, opts.step);
  if (nestingDeeperThan(record, MAX_NESTING)) throw new LinkEncodeError('too-deep', tooDeepMessage('The scenario'));
  const bytes = new TextEncoder().encode(JSON.stringify(record));
  if (bytes.length > MAX_RECORD_BYTES) throw new LinkEncodeError('too-large', tooLargeMessage('The scenario'));
  const fragment = `${LINK_PARAM}=v${LINK_VERSION}.${toBase64url(await deflateRaw(bytes))}`;
  if (opts.base === undefined) return fragment;
  const hash = opts.base.indexOf('#');
  return `${hash >= 0 ? opts.base.slice(0, hash) : opts.base}#${fragment}`;
}

/** The fragment of a URL or path (what follows the first `#`), or "" when it has none. */
export function fragmentOf(url: string): string {
  const hash = url.indexOf('#');
  return hash >= 0 ? url.slice(hash + 1) : '';
}

/**
 * The link text (`v1.…`) in a URL, path, `location.hash`, fragment or bare
 * link, or null when there is none.
 */
export function linkTextOf(input: string): string | null {
  const text = input.trim();
  if (/^v\d/.test(text)) return text;
  const fragment = text.includes('#') ? fragmentOf(text) : text;
  for (const part of fragment.split('&')) {
    if (part.startsWith(`${LINK_PARAM}=`)) return part.slice(LINK_PARAM.length + 1);
  }
  return null;
}

/**
 * For the simulator page: what `location.hash` asks for, or null when it
 * holds no link (an empty hash, or a heading anchor).
 */
export async function readShareHash(hash: string): Promise<DecodedLink | null> {
  if (typeof hash !== 'string' || linkTextOf(hash) === null) return null;
  return decodeLink(hash);
}

/** Reads a link; never throws, never fetches or runs anything. */
export async function decodeLink(linkOrFragment: string): Promise<DecodedLink> {
  try {
    return await decode(linkOrFragment);
  } catch {
    // Every failure above has its own message; this only guards against a
    // platform surprise, so that a link can never take the page down.
    return fail('corrupt', CORRUPT_MESSAGE);
  }
}

const fail = (code: LinkErrorCode, error: string, issues?: ScenarioIssue[]): LinkError =>
  issues ? { ok: false, code, error, issues } : { ok: false, code, error };

async function decode(input: string): Promise<DecodedLink> {
  if (typeof input !== 'string') return fail('empty', EMPTY_MESSAGE);
  const text = linkTextOf(input);
  if (text === null) {
    // A page address without a link is empty; a word that is no address at all is not a link.
    const trimmed = input.trim();
    const address = trimmed === '' || trimmed.includes('#') || trimmed.includes('/');
    return address ? fail('empty', EMPTY_MESSAGE) : fail('not-a-link', NOT_A_LINK_MESSAGE);
  }
  if (text === '') return fail('empty', EMPTY_MESSAGE);
  const prefix = /^v([1-9]\d*)\./.exec(text);
  if (!prefix) return fail('not-a-link', NOT_A_LINK_MESSAGE);
  const version = Number(prefix[1]);
  if (version > LINK_VERSION) {
    const shown = prefix[1]!.length > 6 ? `${prefix[1]!.slice(0, 6)}…` : prefix[1]!;
    return fail(
      'newer-version',
      `This link was made by a newer version of Netdev Stream Lab (link format v${shown}) and this version reads only up to v${LINK_VERSION}; open it on the current site.`,
    );
  }
  const payload = text.slice(prefix[0].length);
  if (payload.length > MAX_PAYLOAD_CHARS) return fail('too-large', tooLargeMessage('This link'));
  if (payload === '') return fail('truncated', TRUNCATED_MESSAGE);
  const b64 = fromBase64url(payload);
  if (!b64.ok) {
    if (b64.reason === 'ends-inside-a-byte') return fail('truncated', TRUNCATED_MESSAGE);
    return fail(
      'bad-characters',
      `The link contains ${JSON.stringify(b64.char)} (character ${b64.index + 1} of its data), which no Netdev Stream Lab link contains; was it changed when it was copied?`,
    );
  }
  const inflated = await inflateRaw(b64.bytes, MAX_RECORD_BYTES);
  if (!inflated.ok) {
    if (inflated.reason === 'too-large') return fail('too-large', tooLargeMessage('This link'));
    if (inflated.reason === 'truncated') return fail('truncated', TRUNCATED_MESSAGE);
    return fail('corrupt', CORRUPT_MESSAGE);
  }
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes);
  } catch {
    return fail('bad-data', badDataMessage('it is not text'));
  }
  let record: unknown;
  try {
    record = JSON.parse(json);
  } catch {
    return fail('bad-data', badDataMessage('it is not JSON'));
  }
  if (nestingDeeperThan(record, MAX_NESTING)) return fail('too-deep', tooDeepMessage("The link's scenario"));
  const read = fromRecordV1(record);
  if (!read.ok) return fail('bad-data', badDataMessage(read.detail));
  const release = read.release ?? read.scenario.qemu;
  if (typeof release === 'string' && !findRelease(release)) {
    return fail('unknown-release', unknownReleaseMessage('The link asks', release));
  }
  const checked = checkScenario(read.scenario);
  if (!checked.ok) return fail('invalid-scenario', invalidScenarioMessage("The link's scenario", checked.issues), checked.issues);
  if (!isStepOf(read.step, checked.scenario)) return fail('bad-step', badStepMessage('The link points', read.step, checked.scenario));
  return { ok: true, scenario: checked.scenario, release: release as string, step: read.step, version };
}

function isStepOf(step: number, s: Scenario): boolean {
  return Number.isInteger(step) && step >= 0 && step <= s.steps.length;
}

/** True when arrays and objects nest deeper than `limit`; iterative, so depth cannot overflow the stack. */
export function nestingDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [x, depth] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(x) ? x : Object.values(x as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Values from a link shown in a message: quoted, and short. */
function shown(x: unknown): string {
  const s = typeof x === 'string' ? x : String(x);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

const EMPTY_MESSAGE = 'This address holds no shared scenario: there is nothing after "#s=".';
const NOT_A_LINK_MESSAGE = `This is not a Netdev Stream Lab link: the part after "#s=" should start with "v${LINK_VERSION}.".`;
const TRUNCATED_MESSAGE = 'The link is cut short: its data ends in the middle (was it copied completely?)';
const CORRUPT_MESSAGE = 'The link is damaged: its data cannot be unpacked (was it changed after it was made?)';
const MIB = MAX_RECORD_BYTES / (1024 * 1024);

function tooLargeMessage(subject: string): string {
  return `${subject} holds more than ${MIB} MiB of scenario data, more than Netdev Stream Lab accepts.`;
}
function tooDeepMessage(subject: string): string {
  return `${subject} nests lists and objects more than ${MAX_NESTING} levels deep, more than Netdev Stream Lab reads.`;
}
function badDataMessage(detail: string): string {
  return `The link is damaged: its data unpacks but is not a Netdev Stream Lab scenario (${detail}).`;
}
function unknownReleaseMessage(subject: string, release: string): string {
  return `${subject} for QEMU ${shown(release)}, which this version of Netdev Stream Lab does not model (it models ${RELEASE_NAMES[0]} to ${RELEASE_NAMES[RELEASE_NAMES.length - 1]}).`;
}
function badStepMessage(subject: string, step: number, s: Scenario): string {
  return `${subject} at step ${shown(step)}, but its scenario has steps 0 to ${s.steps.length} only.`;
}
function invalidScenarioMessage(subject: string, issues: ScenarioIssue[]): string {
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  const first = formatIssue(issues[0]!);
  // Paths can hold member names from the link itself, of any length.
  const shortened = first.length > 300 ? `${first.slice(0, 300)}…` : first;
  return `${subject} is not valid: ${shortened}${more}.`;
}
