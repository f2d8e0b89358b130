// The pieces definition expressions share, checked without looking at other
// definitions (like the helpers of QEMU's scripts/qapi/expr.py): allowed
// keys, 'if' conditions, features, type references, member lists and flags.
// References to other types are recorded as TypeUses for schema.ts to resolve.

import { BUILTIN_TYPES, type Feature, type IfCond, type Member, type SourcePos, type TypeRef } from './ir.ts';
import { quoteList, type CheckContext } from './context.ts';
import { checkLowerName, checkMemberName, cName } from './names.ts';
import { entryOf, type PObject, type PValue } from './parse-tree.ts';
import { formatPos } from './source.ts';

const BUILTINS = new Set<string>(BUILTIN_TYPES);
const COND_SYMBOL = /^[A-Z][A-Z0-9_]*$/;
const RELEASE_SYMBOL = /^QEMU_(\d+)_(\d+)$/;

export function isBuiltin(name: string): boolean {
  return BUILTINS.has(name);
}

/** What a type reference may name, by where it is written. */
export type TypeUseKind = 'member' | 'struct' | 'object' | 'branch' | 'alternate-branch' | 'returns';

/** A reference to a type, kept until every definition is known. */
export interface TypeUse {
  ref: TypeRef;
  pos: SourcePos;
  /** What uses it, for messages: e.g. "member 'addr' of 'NetdevStreamOptions'". */
  user: string;
  allow: TypeUseKind;
  /** For 'returns': the command, whose pragma exceptions apply. */
  command?: string;
}

/** Reports missing and unknown keys; returns false when required ones are missing. */
export function checkKeys(ctx: CheckContext, obj: PObject, what: string, required: string[], optional: string[]): boolean {
  let ok = true;
  const missing = required.filter((k) => !entryOf(obj, k));
  if (missing.length) {
    ctx.report(obj.pos, `${what} needs ${missing.length > 1 ? 'keys' : 'key'} ${quoteList(missing)}`);
    ok = false;
  }
  for (const e of obj.entries) {
    if (!required.includes(e.key) && !optional.includes(e.key)) {
      ctx.report(e.keyPos, `${what} has no key '${e.key}'; it takes ${quoteList([...required, ...optional])}`);
    }
  }
  return ok;
}

/** An 'if' value: a symbol, or an object with exactly one of 'all', 'any', 'not'. */
export function parseIf(ctx: CheckContext, value: PValue, what: string): IfCond | undefined {
  if (value.kind === 'string') {
    const name = value.value;
    if (!COND_SYMBOL.test(name)) {
      ctx.report(value.pos, `condition '${name}' of ${what} is not a valid symbol (upper case letters, digits and '_', starting with a letter)`);
      return undefined;
    }
    if (name.startsWith('QEMU_') && !RELEASE_SYMBOL.test(name)) {
      ctx.report(value.pos, `release condition '${name}' of ${what} must read QEMU_<major>_<minor>`);
      return undefined;
    }
    return { op: 'name', name };
  }
  if (value.kind !== 'object') {
    ctx.report(value.pos, `'if' of ${what} must be a symbol string or an object with one of 'all', 'any', 'not'`);
    return undefined;
  }
  if (value.entries.length !== 1) {
    ctx.report(value.pos, `an 'if' object of ${what} must have exactly one key: 'all', 'any' or 'not'`);
    return undefined;
  }
  const e = value.entries[0]!;
  if (e.key === 'not') {
    const arg = parseIf(ctx, e.value, what);
    return arg && { op: 'not', arg };
  }
  if (e.key === 'all' || e.key === 'any') {
    if (e.value.kind !== 'array') {
      ctx.report(e.value.pos, `'${e.key}' in the 'if' of ${what} takes a list of conditions`);
      return undefined;
    }
    if (e.value.items.length === 0) {
      ctx.report(e.value.pos, `'${e.key}' in the 'if' of ${what} has an empty list, which decides nothing`);
      return undefined;
    }
    const args: IfCond[] = [];
    let ok = true;
    for (const item of e.value.items) {
      const c = parseIf(ctx, item, what);
      if (c) args.push(c);
      else ok = false;
    }
    return ok ? { op: e.key, args } : undefined;
  }
  ctx.report(e.keyPos, `'${e.key}' is not an 'if' operator; use 'all', 'any' or 'not'`);
  return undefined;
}

/** The object's 'if', when it has one. */
export function optionalIf(ctx: CheckContext, obj: PObject, what: string): IfCond | undefined {
  const e = entryOf(obj, 'if');
  return e ? parseIf(ctx, e.value, what) : undefined;
}

/** The object's 'features': names, or objects with 'name' and 'if'. */
export function parseFeatures(ctx: CheckContext, obj: PObject, what: string): Feature[] {
  const e = entryOf(obj, 'features');
  if (!e) return [];
  if (e.value.kind !== 'array') {
    ctx.report(e.value.pos, `'features' of ${what} must be a list`);
    return [];
  }
  const out: Feature[] = [];
  for (const item of e.value.items) {
    let name: string;
    let cond: IfCond | undefined;
    if (item.kind === 'string') {
      name = item.value;
    } else if (item.kind === 'object') {
      if (!checkKeys(ctx, item, `a feature of ${what}`, ['name'], ['if'])) continue;
      const n = entryOf(item, 'name')!.value;
      if (n.kind !== 'string') {
        ctx.report(n.pos, `a feature name of ${what} must be a string`);
        continue;
      }
      name = n.value;
      cond = optionalIf(ctx, item, `feature '${name}' of ${what}`);
    } else {
      ctx.report(item.pos, `a feature of ${what} is a name or an object with 'name' and 'if'`);
      continue;
    }
    checkLowerName(ctx, name, item.pos, 'feature name');
    if (out.some((f) => f.name === name)) {
      ctx.report(item.pos, `feature '${name}' is listed twice for ${what}`);
      continue;
    }
    out.push({ name, pos: item.pos, ...(cond ? { if: cond } : {}) });
  }
  return out;
}

/** A type name, or (where allowed) a one-element array of one. */
export function parseTypeRef(ctx: CheckContext, value: PValue, user: string, allowArray: boolean): TypeRef | undefined {
  if (value.kind === 'string') {
    return { name: value.value, array: false, builtin: isBuiltin(value.value) };
  }
  if (value.kind === 'array') {
    if (!allowArray) {
      ctx.report(value.pos, `${user} cannot be an array`);
      return undefined;
    }
    const only = value.items[0];
    if (value.items.length !== 1 || !only || only.kind !== 'string') {
      ctx.report(value.pos, `an array type of ${user} holds exactly one type name, as in ['str']`);
      return undefined;
    }
    return { name: only.value, array: true, builtin: isBuiltin(only.value) };
  }
  ctx.report(value.pos, `${user} must name a type`);
  return undefined;
}

/**
 * An object of members: `'name': 'type'` or `'name': { 'type', 'if', 'features' }`,
 * a leading '*' marking an optional one. Undefined when `data` is no object.
 */
export function parseMembers(ctx: CheckContext, uses: TypeUse[], data: PValue, owner: string, kind: 'member' | 'argument'): Member[] | undefined {
  if (data.kind !== 'object') {
    ctx.report(data.pos, `'data' of '${owner}' must be an object of members`);
    return undefined;
  }
  const members: Member[] = [];
  for (const e of data.entries) {
    const optional = e.key.startsWith('*');
    const name = optional ? e.key.slice(1) : e.key;
    const user = `${kind} '${name}' of '${owner}'`;
    checkMemberName(ctx, name, e.keyPos, owner);
    let typeValue: PValue = e.value;
    let cond: IfCond | undefined;
    let features: Feature[] = [];
    if (e.value.kind === 'object') {
      if (!checkKeys(ctx, e.value, user, ['type'], ['if', 'features'])) continue;
      typeValue = entryOf(e.value, 'type')!.value;
      cond = optionalIf(ctx, e.value, user);
      features = parseFeatures(ctx, e.value, user);
    }
    const type = parseTypeRef(ctx, typeValue, user, true);
    if (!type) continue;
    const clash = members.find((m) => cName(m.name) === cName(name));
    if (clash) {
      ctx.report(e.keyPos, `${user} clashes with ${clash.name === name ? 'the member of the same name' : `member '${clash.name}'`} at ${formatPos(clash.pos)}`);
      continue;
    }
    members.push({ name, type, optional, features, pos: e.keyPos, doc: '', ...(cond ? { if: cond } : {}) });
    uses.push({ ref: type, pos: typeValue.pos, user, allow: 'member' });
  }
  return members;
}

/** A flag that may only be written with `value`; returns its effective setting. */
export function flag(ctx: CheckContext, expr: PObject, key: string, value: boolean): boolean {
  const e = entryOf(expr, key);
  if (!e) return !value;
  if (e.value.kind !== 'bool' || e.value.value !== value) {
    ctx.report(e.value.pos, `flag '${key}' may only be ${value}`);
    return !value;
  }
  return value;
}
