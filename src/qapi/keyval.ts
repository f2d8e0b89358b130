// QEMU's KEY=VALUE,... option syntax (util/keyval.c), as -netdev stream uses
// it: `stream,id=n0,addr.type=unix,addr.path=/tmp/x.sock`.
//
// parseKeyval turns such a string into nested objects whose leaves are
// strings (numeric key fragments make arrays), with QEMU's error texts.
// toDottedOptions writes an object back in that syntax.

import { qdictKeyOrder } from './qdict-order.ts';

export type KeyvalValue = string | KeyvalObject | KeyvalValue[];
export interface KeyvalObject {
  [key: string]: KeyvalValue;
}

export type KeyvalResult = { ok: true; value: KeyvalObject; help: boolean } | { ok: false; error: string };

/** A dictionary as keyval_parse builds it: insertion-ordered, leaves are strings. */
type KDict = Map<string, KNode>;
type KNode = string | KDict;

class KeyvalError extends Error {}

const KEY_FRAGMENT_MAX = 127; // key_in_cur[128] holds the fragment and its NUL

/** Length of the QAPI name at the start of `s` (parse_qapi_name with complete=false), or 0. */
function qapiNameLength(s: string): number {
  let p = 0;
  if (s[p] === '_') {
    p++;
    if (s[p] !== '_') return 0;
    p++;
    while (p < s.length && /[A-Za-z0-9.-]/.test(s[p]!)) p++;
    if (s[p] !== '_') return 0;
    p++;
  }
  if (!/[A-Za-z]/.test(s[p] ?? '')) return 0;
  p++;
  while (p < s.length && /[A-Za-z0-9_-]/.test(s[p]!)) p++;
  return p;
}

/** key_to_index: the leading decimal digits of `s` as an index (capped), with their length. */
function keyToIndex(s: string): { index: number; length: number } | null {
  const m = /^[0-9]+/.exec(s);
  if (!m) return null;
  const n = Number(m[0]);
  return { index: n > 2147483647 ? 2147483647 : n, length: m[0].length };
}

function startsWithHelpOption(s: string): number {
  if (s.startsWith('?')) return 1;
  if (s.startsWith('help')) return 4;
  return 0;
}

/** keyval_parse_put: makes `cur[keyInCur]` a dict (value null) or the string `value`. */
function put(cur: KDict, keyInCur: string, value: string | null, keyText: string): KNode {
  const old = cur.get(keyInCur);
  if (old !== undefined) {
    if ((typeof old === 'string') !== (value !== null)) {
      throw new KeyvalError(`Parameters '${keyText}.*' used inconsistently`);
    }
    if (value === null) return old;
  }
  const node: KNode = value ?? new Map();
  cur.set(keyInCur, node);
  return node;
}

/** keyval_parse_one: parses one parameter at `params[at]`; returns where the next starts. */
function parseOne(root: KDict, params: string, at: number, impliedKey: string | null, help: { value: boolean }): number {
  const rest = params.slice(at);
  let len = rest.search(/[=,]/);
  if (len < 0) len = rest.length;
  let key = rest;
  let valEnd = -1;
  let implied = false;
  if (len > 0 && rest[len] !== '=') {
    if (startsWithHelpOption(rest) === len) {
      help.value = true;
      return at + len + (rest[len] === ',' ? 1 : 0);
    }
    if (impliedKey !== null) {
      key = impliedKey;
      valEnd = len;
      len = impliedKey.length;
      implied = true;
    }
  }
  const keyEnd = len;
  let cur = root;
  let s = 0;
  let keyInCur = '';
  for (;;) {
    let fragLen: number;
    const index = s !== 0 ? keyToIndex(key.slice(s)) : null;
    if (index) fragLen = index.length;
    else fragLen = qapiNameLength(key.slice(s));
    if (fragLen === 0 || (s + fragLen < keyEnd && key[s + fragLen] !== '.')) {
      throw new KeyvalError(`Invalid parameter '${key.slice(0, keyEnd)}'`);
    }
    if (fragLen > KEY_FRAGMENT_MAX) {
      const fragment = s !== 0 || s + fragLen !== keyEnd;
      throw new KeyvalError(`Parameter${fragment ? ' fragment' : ''} '${key.slice(s, s + fragLen)}' is too long`);
    }
    if (s !== 0) {
      const next = put(cur, keyInCur, null, key.slice(0, s - 1));
      cur = next as KDict;
    }
    keyInCur = key.slice(s, s + fragLen);
    s += fragLen;
    if (key[s] !== '.' || s >= keyEnd) break;
    s++;
  }

  let value: string;
  let next: number;
  if (implied) {
    value = rest.slice(0, valEnd);
    next = at + valEnd + (rest[valEnd] === ',' ? 1 : 0);
  } else {
    if (key[s] !== '=') throw new KeyvalError(`Expected '=' after parameter '${key.slice(0, s)}'`);
    let i = s + 1;
    value = '';
    for (;;) {
      if (i >= key.length) break;
      if (key[i] === ',') {
        i++;
        if (key[i] !== ',') break;
      }
      value += key[i];
      i++;
    }
    next = at + i;
  }
  put(cur, keyInCur, value, key.slice(0, keyEnd));
  return next;
}

/** keyval_listify: dicts whose keys are all indexes become arrays; builds the plain result. */
function listify(cur: KDict, keyOfCur: string[]): KeyvalObject | KeyvalValue[] {
  let hasIndex = false;
  let hasMember = false;
  const converted = new Map<string, KeyvalValue>();
  for (const key of qdictKeyOrder([...cur.keys()])) {
    const node = cur.get(key)!;
    if (/^[0-9]/.test(key)) hasIndex = true;
    else hasMember = true;
    converted.set(key, typeof node === 'string' ? node : listify(node, [...keyOfCur, key]));
  }
  const prefix = keyOfCur.map((k) => `${k}.`).join('');
  if (hasIndex && hasMember) throw new KeyvalError(`Parameters '${prefix}*' used inconsistently`);
  if (!hasIndex) {
    const obj: KeyvalObject = {};
    for (const key of cur.keys()) obj[key] = converted.get(key)!;
    return obj;
  }
  const nelt = cur.size + 1;
  const elt: (KeyvalValue | undefined)[] = new Array<KeyvalValue | undefined>(nelt);
  let maxIndex = -1;
  for (const key of qdictKeyOrder([...cur.keys()])) {
    const index = keyToIndex(key)!.index;
    if (index > maxIndex) maxIndex = index;
    if (index >= nelt - 1) continue;
    elt[index] = converted.get(key)!;
  }
  const list: KeyvalValue[] = [];
  for (let i = 0; i < Math.min(nelt, maxIndex + 1); i++) {
    const v = elt[i];
    if (v === undefined) throw new KeyvalError(`Parameter '${prefix}${i}' missing`);
    list.push(v);
  }
  return list;
}

/**
 * keyval_parse(optarg, impliedKey, help?): `impliedKey` names the value of a
 * first parameter written without `key=` (for -netdev: 'type'). A bare
 * `help` or `?` parameter is reported through `help` when `allowHelp`, else
 * it is the error QEMU gives.
 */
export function parseKeyval(optarg: string, impliedKey: string | null = null, opts: { allowHelp?: boolean } = {}): KeyvalResult {
  const root: KDict = new Map();
  const help = { value: false };
  try {
    let at = 0;
    let implied = impliedKey;
    while (at < optarg.length) {
      at = parseOne(root, optarg, at, implied, help);
      implied = null;
    }
    if (help.value && !opts.allowHelp) throw new KeyvalError('Help is not available for this option');
    const value = listify(root, []) as KeyvalObject;
    return { ok: true, value, help: help.value };
  } catch (e) {
    if (e instanceof KeyvalError) return { ok: false, error: e.message };
    throw e;
  }
}

function optionValue(value: unknown): string | null {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'string') return value.replaceAll(',', ',,');
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

function flatten(prefix: string, value: unknown, out: string[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => flatten(`${prefix}.${i}`, v, out));
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
    return;
  }
  const text = optionValue(value);
  if (text !== null) out.push(`${prefix}=${text}`);
}

/**
 * Writes a netdev object as the dotted option string QEMU echoes in
 * command-line errors: the `type` value first (bare, as the implied key),
 * then `id`, then the other members in the object's order; nested objects
 * become `a.b=value`, booleans `on`/`off`, and commas in values are doubled.
 */
export function toDottedOptions(obj: Record<string, unknown>): string {
  const parts: string[] = [];
  const type = optionValue(obj['type']);
  if (type !== null) parts.push(type);
  if ('id' in obj) flatten('id', obj['id'], parts);
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'type' || k === 'id') continue;
    flatten(k, v, parts);
  }
  return parts.join(',');
}
