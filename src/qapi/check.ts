// Pass 2: parsed expressions -> checked, normalised IR.
//
// Follows the rules of QEMU's QAPI generator (scripts/qapi/expr.py and
// schema.py) as documented in docs/devel/qapi-code-gen.rst; the messages
// are ours. Problems are collected rather than stopping at the first.

import {
  BUILTIN_TYPES,
  type AlternateBranch,
  type AlternateDef,
  type CommandDef,
  type Definition,
  type Doc,
  type EnumDef,
  type EnumValue,
  type EventDef,
  type Feature,
  type IfCond,
  type Member,
  type Schema,
  type SourcePos,
  type StructDef,
  type TypeRef,
  type UnionBranch,
  type UnionDef,
} from './ir.ts';
import { entryOf, errorAt, formatPos, type ParseOutput, type PEntry, type PObject, type PValue } from './parser.ts';

const META_KEYS = ['enum', 'struct', 'union', 'alternate', 'command', 'event'] as const;
type MetaKey = (typeof META_KEYS)[number];

const ALLOWED_KEYS: Record<MetaKey, { required: string[]; optional: string[] }> = {
  enum: { required: ['enum', 'data'], optional: ['if', 'features', 'prefix'] },
  struct: { required: ['struct', 'data'], optional: ['base', 'if', 'features'] },
  union: { required: ['union', 'base', 'discriminator', 'data'], optional: ['if', 'features'] },
  alternate: { required: ['alternate', 'data'], optional: ['if', 'features'] },
  command: {
    required: ['command'],
    optional: ['data', 'returns', 'boxed', 'if', 'features', 'gen', 'success-response', 'allow-oob', 'allow-preconfig', 'coroutine'],
  },
  event: { required: ['event'], optional: ['data', 'boxed', 'if', 'features'] },
};

const BUILTINS = new Set<string>(BUILTIN_TYPES);

/** Names: optional downstream prefix __RFQDN_, optional x-, then a letter and [A-Za-z0-9_-]. */
const VALID_NAME = /^(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)$/i;
const COND_SYMBOL = /^[A-Z][A-Z0-9_]*$/;
const RELEASE_SYMBOL = /^QEMU_(\d+)_(\d+)$/;

/** C identifier QEMU would derive from a name; used to find clashes such as 'a-b' vs 'a_b'. */
export function cName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

function quoteList(items: readonly string[]): string {
  return items.map((i) => `'${i}'`).join(', ');
}

/** Everything about a reference that is needed to resolve it later. */
interface PendingRef {
  ref: TypeRef;
  pos: SourcePos;
  /** What uses it, for messages: e.g. "member 'addr' of 'NetdevStreamOptions'". */
  user: string;
  /** What it may be. */
  allow: 'member' | 'struct' | 'object' | 'branch' | 'alternate-branch' | 'returns';
  /** Called with the resolved definition (undefined for builtins) once known. */
  then?: (def: Definition | undefined) => void;
}

export interface CheckOutput {
  schema: Schema;
  errors: string[];
}

export function checkSchema(entry: string, parsed: ParseOutput): CheckOutput {
  const errors: string[] = [...parsed.errors];
  const pragmas = parsed.pragmas;
  const definitions: Definition[] = [];
  const byName = new Map<string, Definition>();
  /** Names of expressions too broken to become definitions; not reported as unknown later. */
  const brokenNames = new Set<string>();
  const pending: PendingRef[] = [];
  const docOf = new Map<Definition, Doc | null>();
  const exprPos = new Map<Definition, SourcePos>();
  const discriminatorPos = new Map<string, SourcePos>();
  const err = (pos: SourcePos, message: string) => errors.push(errorAt(pos, message));

  // ---- names --------------------------------------------------------------

  function checkNameSyntax(name: string, pos: SourcePos, what: string): string | null {
    const m = VALID_NAME.exec(name);
    if (!m || cName(name).startsWith('q_')) {
      err(pos, `${what} '${name}' is not a valid name (letters, digits, '-' and '_', starting with a letter; 'q_' is reserved)`);
      return null;
    }
    return m[3]!;
  }

  function checkTypeName(name: string, pos: SourcePos, meta: string): void {
    const stem = checkNameSyntax(name, pos, `${meta} name`);
    if (stem === null) return;
    if (!/^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(stem)) {
      err(pos, `${meta} name '${name}' must be CamelCase`);
    } else if (name.endsWith('List')) {
      err(pos, `${meta} name '${name}' ends in 'List', which is kept for array types`);
    }
  }

  function checkLowerName(name: string, pos: SourcePos, what: string, permitUpperAndUnderscore: boolean, hint: string): void {
    let checked = name;
    if (what.startsWith('enum value') && /^[0-9]/.test(checked)) checked = `d${checked}`; // values may start with a digit
    const stem = checkNameSyntax(checked, pos, what);
    if (stem === null) return;
    if (!permitUpperAndUnderscore && /[A-Z_]/.test(stem)) {
      err(pos, `${what} '${name}' must be lower case with '-' between words${hint}`);
    }
  }

  function checkMemberName(name: string, pos: SourcePos, owner: string): void {
    checkLowerName(name, pos, 'member name', pragmas.memberNameExceptions.includes(owner), ` (or list '${owner}' in pragma 'member-name-exceptions')`);
    const c = cName(name);
    if (c === 'u' || c.startsWith('has_')) err(pos, `member name '${name}' is reserved ('u' and names starting with 'has-' or 'has_')`);
  }

  function checkDefinitionName(meta: MetaKey, name: string, pos: SourcePos): void {
    if (meta === 'event') {
      const stem = checkNameSyntax(name, pos, 'event name');
      if (stem !== null && /[a-z-]/.test(stem)) err(pos, `event name '${name}' must be upper case with '_' between words`);
    } else if (meta === 'command') {
      const stem = checkNameSyntax(name, pos, 'command name');
      if (stem === null) return;
      if (/[A-Z]/.test(stem)) err(pos, `command name '${name}' must be lower case`);
      else if (stem.includes('_') && !pragmas.commandNameExceptions.includes(name)) {
        err(pos, `command name '${name}' uses '_'; write '-' or list it in pragma 'command-name-exceptions'`);
      }
    } else {
      checkTypeName(name, pos, meta);
    }
  }

  // ---- conditions and features ---------------------------------------------

  function parseIf(value: PValue, what: string): IfCond | undefined {
    if (value.kind === 'string') {
      const name = value.value;
      if (!COND_SYMBOL.test(name)) {
        err(value.pos, `condition '${name}' of ${what} is not a valid symbol (upper case letters, digits and '_', starting with a letter)`);
        return undefined;
      }
      if (name.startsWith('QEMU_') && !RELEASE_SYMBOL.test(name)) {
        err(value.pos, `release condition '${name}' of ${what} must read QEMU_<major>_<minor>`);
        return undefined;
      }
      return { op: 'name', name };
    }
    if (value.kind !== 'object') {
      err(value.pos, `'if' of ${what} must be a symbol string or an object with one of 'all', 'any', 'not'`);
      return undefined;
    }
    if (value.entries.length !== 1) {
      err(value.pos, `an 'if' object of ${what} must have exactly one key: 'all', 'any' or 'not'`);
      return undefined;
    }
    const e = value.entries[0]!;
    if (e.key === 'not') {
      const arg = parseIf(e.value, what);
      return arg && { op: 'not', arg };
    }
    if (e.key === 'all' || e.key === 'any') {
      if (e.value.kind !== 'array') {
        err(e.value.pos, `'${e.key}' in the 'if' of ${what} takes a list of conditions`);
        return undefined;
      }
      if (e.value.items.length === 0) {
        err(e.value.pos, `'${e.key}' in the 'if' of ${what} has an empty list, which decides nothing`);
        return undefined;
      }
      const args: IfCond[] = [];
      let ok = true;
      for (const item of e.value.items) {
        const c = parseIf(item, what);
        if (c) args.push(c);
        else ok = false;
      }
      return ok ? { op: e.key, args } : undefined;
    }
    err(e.keyPos, `'${e.key}' is not an 'if' operator; use 'all', 'any' or 'not'`);
    return undefined;
  }

  function optionalIf(obj: PObject, what: string): IfCond | undefined {
    const e = entryOf(obj, 'if');
    return e ? parseIf(e.value, what) : undefined;
  }

  function parseFeatures(obj: PObject, what: string): Feature[] {
    const e = entryOf(obj, 'features');
    if (!e) return [];
    if (e.value.kind !== 'array') {
      err(e.value.pos, `'features' of ${what} must be a list`);
      return [];
    }
    const out: Feature[] = [];
    for (const item of e.value.items) {
      let name: string;
      let cond: IfCond | undefined;
      if (item.kind === 'string') {
        name = item.value;
      } else if (item.kind === 'object') {
        if (!checkKeys(item, `a feature of ${what}`, ['name'], ['if'])) continue;
        const n = entryOf(item, 'name')!.value;
        if (n.kind !== 'string') {
          err(n.pos, `a feature name of ${what} must be a string`);
          continue;
        }
        name = n.value;
        cond = optionalIf(item, `feature '${name}' of ${what}`);
      } else {
        err(item.pos, `a feature of ${what} is a name or an object with 'name' and 'if'`);
        continue;
      }
      checkLowerName(name, item.pos, 'feature name', false, '');
      if (out.some((f) => f.name === name)) {
        err(item.pos, `feature '${name}' is listed twice for ${what}`);
        continue;
      }
      out.push({ name, pos: item.pos, ...(cond ? { if: cond } : {}) });
    }
    return out;
  }

  /** Reports missing and unknown keys; returns false when required ones are missing. */
  function checkKeys(obj: PObject, what: string, required: string[], optional: string[]): boolean {
    let ok = true;
    const missing = required.filter((k) => !entryOf(obj, k));
    if (missing.length) {
      err(obj.pos, `${what} needs ${missing.length > 1 ? 'keys' : 'key'} ${quoteList(missing)}`);
      ok = false;
    }
    for (const e of obj.entries) {
      if (!required.includes(e.key) && !optional.includes(e.key)) {
        err(e.keyPos, `${what} has no key '${e.key}'; it takes ${quoteList([...required, ...optional])}`);
      }
    }
    return ok;
  }

  // ---- types ----------------------------------------------------------------

  function parseTypeRef(value: PValue, user: string, allowArray: boolean): TypeRef | undefined {
    if (value.kind === 'string') {
      return { name: value.value, array: false, builtin: BUILTINS.has(value.value) };
    }
    if (value.kind === 'array') {
      if (!allowArray) {
        err(value.pos, `${user} cannot be an array`);
        return undefined;
      }
      const only = value.items[0];
      if (value.items.length !== 1 || !only || only.kind !== 'string') {
        err(value.pos, `an array type of ${user} holds exactly one type name, as in ['str']`);
        return undefined;
      }
      return { name: only.value, array: true, builtin: BUILTINS.has(only.value) };
    }
    err(value.pos, `${user} must name a type`);
    return undefined;
  }

  function parseMembers(data: PValue, owner: string, kind: 'member' | 'argument'): Member[] | undefined {
    if (data.kind !== 'object') {
      err(data.pos, `'data' of '${owner}' must be an object of members`);
      return undefined;
    }
    const members: Member[] = [];
    for (const e of data.entries) {
      const optional = e.key.startsWith('*');
      const name = optional ? e.key.slice(1) : e.key;
      const user = `${kind} '${name}' of '${owner}'`;
      checkMemberName(name, e.keyPos, owner);
      let typeValue: PValue | undefined = e.value;
      let cond: IfCond | undefined;
      let features: Feature[] = [];
      if (e.value.kind === 'object') {
        if (!checkKeys(e.value, user, ['type'], ['if', 'features'])) continue;
        typeValue = entryOf(e.value, 'type')!.value;
        cond = optionalIf(e.value, user);
        features = parseFeatures(e.value, user);
      }
      const type = parseTypeRef(typeValue, user, true);
      if (!type) continue;
      const clash = members.find((m) => cName(m.name) === cName(name));
      if (clash) {
        err(e.keyPos, `${user} clashes with ${clash.name === name ? 'the member of the same name' : `member '${clash.name}'`} at ${formatPos(clash.pos)}`);
        continue;
      }
      const member: Member = { name, type, optional, features, pos: e.keyPos, doc: '', ...(cond ? { if: cond } : {}) };
      members.push(member);
      pending.push({ ref: type, pos: typeValue.pos, user, allow: 'member' });
    }
    return members;
  }

  function register(def: Definition, pos: SourcePos): void {
    if (BUILTINS.has(def.name)) {
      err(pos, `'${def.name}' is a built-in type and cannot be defined again`);
      return;
    }
    const prior = byName.get(def.name);
    if (prior) {
      err(pos, `'${def.name}' is already defined at ${formatPos(exprPos.get(prior) ?? prior.pos)}`);
      return;
    }
    byName.set(def.name, def);
    definitions.push(def);
    exprPos.set(def, pos);
  }

  function implicitStruct(name: string, owner: string, members: Member[], pos: SourcePos): StructDef {
    return { meta: 'struct', name, pos, features: [], doc: null, implicitOwner: owner, members };
  }

  // ---- expressions ------------------------------------------------------------

  for (const { expr, doc, docBroken } of parsed.exprs) {
    const metas = META_KEYS.filter((k) => entryOf(expr, k));
    if (metas.length === 0) {
      err(expr.pos, `an expression needs one of the keys ${quoteList([...META_KEYS, 'include', 'pragma'])}`);
      continue;
    }
    if (metas.length > 1) {
      err(entryOf(expr, metas[1]!)!.keyPos, `an expression takes only one of ${quoteList(META_KEYS)}; this one has ${quoteList(metas)}`);
      continue;
    }
    const meta = metas[0]!;
    const nameEntry = entryOf(expr, meta)!;
    if (nameEntry.value.kind !== 'string') {
      err(nameEntry.value.pos, `'${meta}' takes the definition's name as a string`);
      continue;
    }
    const name = nameEntry.value.value;
    const pos = nameEntry.value.pos;
    checkDefinitionName(meta, name, pos);
    const keys = ALLOWED_KEYS[meta];
    if (!checkKeys(expr, `${meta} '${name}'`, keys.required, keys.optional)) {
      brokenNames.add(name);
      continue;
    }
    const cond = optionalIf(expr, `${meta} '${name}'`);
    const features = parseFeatures(expr, `${meta} '${name}'`);
    const common = { name, pos, features, doc: null as Doc | null, ...(cond ? { if: cond } : {}) };
    let def: Definition | undefined;
    const implicit: StructDef[] = [];

    if (meta === 'enum') def = buildEnum(expr, common);
    else if (meta === 'struct') def = buildStruct(expr, common);
    else if (meta === 'union') def = buildUnion(expr, common, implicit);
    else if (meta === 'alternate') def = buildAlternate(expr, common);
    else if (meta === 'command') def = buildCommand(expr, common, implicit);
    else def = buildEvent(expr, common, implicit);

    if (!def) {
      brokenNames.add(name);
      continue;
    }
    register(def, pos);
    for (const s of implicit) register(s, s.pos);
    docOf.set(def, doc);
    if (doc === null && !docBroken && pragmas.docRequired) err(pos, `'${name}' has no documentation block`);
  }

  function buildEnum(expr: PObject, common: Omit<EnumDef, 'meta' | 'values'>): EnumDef | undefined {
    const data = entryOf(expr, 'data')!.value;
    const prefix = entryOf(expr, 'prefix');
    if (prefix && prefix.value.kind !== 'string') err(prefix.value.pos, `'prefix' of enum '${common.name}' must be a string`);
    if (data.kind !== 'array') {
      err(data.pos, `'data' of enum '${common.name}' must be a list of values`);
      return undefined;
    }
    const values: EnumValue[] = [];
    const permit = pragmas.memberNameExceptions.includes(common.name);
    for (const item of data.items) {
      let vname: string;
      let vcond: IfCond | undefined;
      let vfeatures: Feature[] = [];
      if (item.kind === 'string') {
        vname = item.value;
      } else if (item.kind === 'object') {
        if (!checkKeys(item, `a value of enum '${common.name}'`, ['name'], ['if', 'features'])) continue;
        const n = entryOf(item, 'name')!.value;
        if (n.kind !== 'string') {
          err(n.pos, `a value name of enum '${common.name}' must be a string`);
          continue;
        }
        vname = n.value;
        vcond = optionalIf(item, `value '${vname}' of enum '${common.name}'`);
        vfeatures = parseFeatures(item, `value '${vname}' of enum '${common.name}'`);
      } else {
        err(item.pos, `a value of enum '${common.name}' is a string or an object with 'name'`);
        continue;
      }
      checkLowerName(vname, item.pos, 'enum value', permit, ` (or list '${common.name}' in pragma 'member-name-exceptions')`);
      const clash = values.find((v) => cName(v.name) === cName(vname));
      if (clash) {
        err(item.pos, `value '${vname}' of enum '${common.name}' clashes with value '${clash.name}' at ${formatPos(clash.pos)}`);
        continue;
      }
      values.push({ name: vname, features: vfeatures, pos: item.pos, doc: '', ...(vcond ? { if: vcond } : {}) });
    }
    return { meta: 'enum', ...common, values, ...(prefix && prefix.value.kind === 'string' ? { prefix: prefix.value.value } : {}) };
  }

  function buildStruct(expr: PObject, common: Omit<StructDef, 'meta' | 'members'>): StructDef | undefined {
    const members = parseMembers(entryOf(expr, 'data')!.value, common.name, 'member');
    if (!members) return undefined;
    const baseEntry = entryOf(expr, 'base');
    let base: string | undefined;
    if (baseEntry) {
      const ref = parseTypeRef(baseEntry.value, `'base' of struct '${common.name}'`, false);
      if (ref) {
        base = ref.name;
        pending.push({ ref, pos: baseEntry.value.pos, user: `'base' of struct '${common.name}'`, allow: 'struct' });
      }
    }
    return { meta: 'struct', ...common, members, ...(base ? { base } : {}) };
  }

  function buildUnion(expr: PObject, common: Omit<UnionDef, 'meta' | 'base' | 'discriminator' | 'discriminatorEnum' | 'branches'>, implicit: StructDef[]): UnionDef | undefined {
    const baseValue = entryOf(expr, 'base')!.value;
    let base: string | undefined;
    if (baseValue.kind === 'object') {
      const members = parseMembers(baseValue, common.name, 'member');
      if (!members) return undefined;
      base = `q_obj_${common.name}-base`;
      implicit.push(implicitStruct(base, common.name, members, baseValue.pos));
    } else {
      const ref = parseTypeRef(baseValue, `'base' of union '${common.name}'`, false);
      if (!ref) return undefined;
      base = ref.name;
      pending.push({ ref, pos: baseValue.pos, user: `'base' of union '${common.name}'`, allow: 'struct' });
    }
    const discEntry = entryOf(expr, 'discriminator')!;
    if (discEntry.value.kind !== 'string') {
      err(discEntry.value.pos, `'discriminator' of union '${common.name}' must name a member of its base`);
      return undefined;
    }
    discriminatorPos.set(common.name, discEntry.value.pos);
    const data = entryOf(expr, 'data')!.value;
    if (data.kind !== 'object') {
      err(data.pos, `'data' of union '${common.name}' must be an object of branches`);
      return undefined;
    }
    const branches: UnionBranch[] = [];
    for (const e of data.entries) {
      const user = `branch '${e.key}' of union '${common.name}'`;
      let typeValue: PValue = e.value;
      let cond: IfCond | undefined;
      if (e.value.kind === 'object') {
        if (!checkKeys(e.value, user, ['type'], ['if'])) continue;
        typeValue = entryOf(e.value, 'type')!.value;
        cond = optionalIf(e.value, user);
      }
      const ref = parseTypeRef(typeValue, user, false);
      if (!ref) continue;
      branches.push({ name: e.key, type: ref.name, pos: e.keyPos, ...(cond ? { if: cond } : {}) });
      pending.push({ ref, pos: typeValue.pos, user, allow: 'branch' });
    }
    return { meta: 'union', ...common, base, discriminator: discEntry.value.value, discriminatorEnum: '', branches };
  }

  function buildAlternate(expr: PObject, common: Omit<AlternateDef, 'meta' | 'branches'>): AlternateDef | undefined {
    const data = entryOf(expr, 'data')!.value;
    if (data.kind !== 'object' || data.entries.length === 0) {
      err(data.pos, `'data' of alternate '${common.name}' must be a non-empty object of branches`);
      return undefined;
    }
    const branches: AlternateBranch[] = [];
    for (const e of data.entries) {
      const user = `branch '${e.key}' of alternate '${common.name}'`;
      checkLowerName(e.key, e.keyPos, 'branch name', false, '');
      let typeValue: PValue = e.value;
      let cond: IfCond | undefined;
      if (e.value.kind === 'object') {
        if (!checkKeys(e.value, user, ['type'], ['if'])) continue;
        typeValue = entryOf(e.value, 'type')!.value;
        cond = optionalIf(e.value, user);
      }
      const ref = parseTypeRef(typeValue, user, false);
      if (!ref) continue;
      branches.push({ name: e.key, type: ref, pos: e.keyPos, ...(cond ? { if: cond } : {}) });
      pending.push({ ref, pos: typeValue.pos, user, allow: 'alternate-branch' });
    }
    return { meta: 'alternate', ...common, branches };
  }

  function flag(expr: PObject, key: string, value: boolean): boolean {
    const e = entryOf(expr, key);
    if (!e) return !value;
    if (e.value.kind !== 'bool' || e.value.value !== value) {
      err(e.value.pos, `flag '${key}' may only be ${value}`);
      return !value;
    }
    return value;
  }

  /** Inline data becomes an implicit struct; a name is checked once types are known. */
  function dataType(expr: PObject, meta: 'command' | 'event', name: string, boxed: boolean, implicit: StructDef[]): string | undefined | null {
    const e = entryOf(expr, 'data');
    if (!e) {
      if (boxed) err(entryOf(expr, 'boxed')!.keyPos, `'boxed': true needs 'data' naming a type`);
      return undefined;
    }
    if (e.value.kind === 'object') {
      if (boxed) {
        err(e.value.pos, `'data' of boxed ${meta} '${name}' must name a struct or union, not list members`);
        return null;
      }
      const members = parseMembers(e.value, name, meta === 'command' ? 'argument' : 'member');
      if (!members) return null;
      const implicitName = `q_obj_${name}-arg`;
      implicit.push(implicitStruct(implicitName, name, members, e.value.pos));
      return implicitName;
    }
    const ref = parseTypeRef(e.value, `'data' of ${meta} '${name}'`, false);
    if (!ref) return null;
    pending.push({
      ref,
      pos: e.value.pos,
      user: `'data' of ${meta} '${name}'`,
      allow: boxed ? 'object' : 'struct',
    });
    return ref.name;
  }

  function buildCommand(expr: PObject, common: Omit<CommandDef, 'meta' | 'boxed' | 'allowOob' | 'allowPreconfig' | 'coroutine' | 'successResponse' | 'gen'>, implicit: StructDef[]): CommandDef | undefined {
    const boxed = flag(expr, 'boxed', true);
    const allowOob = flag(expr, 'allow-oob', true);
    const coroutine = flag(expr, 'coroutine', true);
    if (allowOob && coroutine) err(entryOf(expr, 'coroutine')!.keyPos, "flags 'allow-oob' and 'coroutine' cannot be used together");
    const argType = dataType(expr, 'command', common.name, boxed, implicit);
    if (argType === null) return undefined;
    let returns: TypeRef | undefined;
    const ret = entryOf(expr, 'returns');
    if (ret) {
      const user = `'returns' of command '${common.name}'`;
      returns = parseTypeRef(ret.value, user, true);
      if (!returns) return undefined;
      const name = common.name;
      const returnsRef = returns;
      pending.push({
        ref: returns,
        pos: ret.value.pos,
        user,
        allow: 'returns',
        then: (def) => {
          if (pragmas.commandReturnsExceptions.includes(name)) return;
          if (!def || (def.meta !== 'struct' && def.meta !== 'union')) {
            const what = def ? `${def.meta} '${def.name}'` : `'${returnsRef.name}'`;
            err(ret.value.pos, `command '${name}' returns ${returnsRef.array ? 'a list of ' : ''}${what}; commands return an object or a list of objects unless listed in pragma 'command-returns-exceptions'`);
          }
        },
      });
    }
    return {
      meta: 'command',
      ...common,
      ...(argType ? { argType } : {}),
      boxed,
      ...(returns ? { returns } : {}),
      allowOob,
      allowPreconfig: flag(expr, 'allow-preconfig', true),
      coroutine,
      successResponse: flag(expr, 'success-response', false),
      gen: flag(expr, 'gen', false),
    };
  }

  function buildEvent(expr: PObject, common: Omit<EventDef, 'meta' | 'boxed'>, implicit: StructDef[]): EventDef | undefined {
    const boxed = flag(expr, 'boxed', true);
    const dataTypeName = dataType(expr, 'event', common.name, boxed, implicit);
    if (dataTypeName === null) return undefined;
    return { meta: 'event', ...common, boxed, ...(dataTypeName ? { dataType: dataTypeName } : {}) };
  }

  // ---- resolve references -------------------------------------------------------

  const ALLOWED_METAS: Record<PendingRef['allow'], readonly string[]> = {
    member: ['enum', 'struct', 'union', 'alternate'],
    struct: ['struct'],
    object: ['struct', 'union'],
    branch: ['struct'],
    'alternate-branch': ['enum', 'struct', 'union'],
    returns: ['enum', 'struct', 'union', 'alternate'],
  };

  for (const p of pending) {
    if (p.ref.builtin) {
      if (p.allow === 'struct' || p.allow === 'object' || p.allow === 'branch') {
        err(p.pos, `${p.user} must be ${p.allow === 'object' ? 'a struct or union' : 'a struct'}, not the built-in type '${p.ref.name}'`);
        continue;
      }
      if (p.allow === 'alternate-branch' && p.ref.name === 'any') {
        err(p.pos, `${p.user} cannot be 'any': an alternate must tell its branches apart by JSON type`);
        continue;
      }
      p.then?.(undefined);
      continue;
    }
    const def = byName.get(p.ref.name);
    if (!def) {
      if (!brokenNames.has(p.ref.name)) err(p.pos, `${p.user} uses '${p.ref.name}', which is not defined`);
      continue;
    }
    if (def.implicitOwner) {
      err(p.pos, `${p.user} uses '${p.ref.name}', a name kept for implicit types`);
      continue;
    }
    if (!ALLOWED_METAS[p.allow].includes(def.meta)) {
      const want = { member: 'a type', struct: 'a struct', object: 'a struct or union', branch: 'a struct', 'alternate-branch': 'a built-in type, enum, struct or union', returns: 'a type' }[p.allow];
      err(p.pos, `${p.user} must be ${want}, but '${def.name}' is ${def.meta === 'enum' || def.meta === 'event' || def.meta === 'alternate' ? 'an' : 'a'} ${def.meta}`);
      continue;
    }
    p.then?.(def);
  }

  // ---- per-definition semantics ---------------------------------------------------

  /** All members of a struct, base chain first; null when the chain is broken or loops. */
  function allStructMembers(name: string, seen: string[] = []): Member[] | null {
    const def = byName.get(name);
    if (!def || def.meta !== 'struct') return null;
    if (seen.includes(name)) return null;
    const base = def.base ? allStructMembers(def.base, [...seen, name]) : [];
    if (base === null) return null;
    return [...base, ...def.members];
  }

  function reportBaseLoop(def: StructDef): void {
    const chain = [def.name];
    let cur: StructDef | undefined = def;
    while (cur?.base) {
      if (chain.includes(cur.base)) {
        if (cur.base === def.name) err(def.pos, `struct '${def.name}' is its own base through ${chain.join(' -> ')} -> ${def.name}`);
        return;
      }
      chain.push(cur.base);
      const next = byName.get(cur.base);
      cur = next?.meta === 'struct' ? next : undefined;
    }
  }

  for (const def of definitions) {
    if (def.meta === 'struct') {
      reportBaseLoop(def);
      if (def.base) {
        const baseMembers = allStructMembers(def.base, [def.name]);
        if (baseMembers) {
          for (const m of def.members) {
            const clash = baseMembers.find((b) => cName(b.name) === cName(m.name));
            if (clash) err(m.pos, `member '${m.name}' of '${def.name}' clashes with member '${clash.name}' of its base at ${formatPos(clash.pos)}`);
          }
        }
      }
    } else if (def.meta === 'union') {
      checkUnion(def);
    } else if (def.meta === 'alternate') {
      checkAlternate(def);
    }
  }

  function checkUnion(def: UnionDef): void {
    const baseMembers = allStructMembers(def.base);
    if (!baseMembers) return; // reported where the base was resolved
    const where = entryPosOfDiscriminator(def);
    const disc = baseMembers.find((m) => m.name === def.discriminator);
    if (!disc) {
      err(where, `discriminator '${def.discriminator}' of union '${def.name}' is not a member of its base`);
      return;
    }
    if (disc.optional) err(where, `discriminator '${def.discriminator}' of union '${def.name}' must not be optional`);
    if (disc.if) err(where, `discriminator '${def.discriminator}' of union '${def.name}' must not have an 'if'`);
    const enumDef = !disc.type.array && !disc.type.builtin ? byName.get(disc.type.name) : undefined;
    if (!enumDef || enumDef.meta !== 'enum') {
      err(where, `discriminator '${def.discriminator}' of union '${def.name}' must have an enum type, not '${disc.type.array ? `[${disc.type.name}]` : disc.type.name}'`);
      return;
    }
    def.discriminatorEnum = enumDef.name;
    for (const b of def.branches) {
      const value = enumDef.values.find((v) => v.name === b.name);
      if (!value) {
        err(b.pos, `branch '${b.name}' of union '${def.name}' is not a value of enum '${enumDef.name}'`);
        continue;
      }
      const branchMembers = allStructMembers(b.type);
      if (!branchMembers) continue;
      for (const m of branchMembers) {
        const clash = baseMembers.find((x) => cName(x.name) === cName(m.name));
        if (clash) err(b.pos, `branch '${b.name}' of union '${def.name}' brings member '${m.name}', which clashes with base member '${clash.name}'`);
      }
    }
  }

  function entryPosOfDiscriminator(def: UnionDef): SourcePos {
    return discriminatorPos.get(def.name) ?? def.pos;
  }

  function jsonKindOf(ref: TypeRef): string {
    if (ref.array) return 'array';
    if (ref.builtin) {
      if (ref.name === 'str') return 'string';
      if (ref.name === 'bool') return 'boolean';
      if (ref.name === 'null') return 'null';
      return 'number';
    }
    const d = byName.get(ref.name);
    if (d?.meta === 'enum') return 'string';
    return 'object';
  }

  function checkAlternate(def: AlternateDef): void {
    const taken = new Map<string, string>();
    for (const b of def.branches) {
      const kind = jsonKindOf(b.type);
      const prior = taken.get(kind);
      if (prior) err(b.pos, `branches '${prior}' and '${b.name}' of alternate '${def.name}' both take a JSON ${kind}, so they cannot be told apart`);
      else taken.set(kind, b.name);
    }
  }

  // ---- documentation ------------------------------------------------------------------

  for (const def of definitions) {
    if (def.implicitOwner) continue;
    const doc = docOf.get(def);
    if (!doc) continue;
    def.doc = doc;
    if (doc.symbol !== def.name) {
      err(doc.pos, `this documentation block is for '${doc.symbol}', but the definition after it is '${def.name}'`);
      continue;
    }
    checkDoc(def, doc);
  }

  function documentedMembers(def: Definition): { name: string; pos: SourcePos; setDoc: (t: string) => void }[] {
    const fromMembers = (members: Member[]) => members.map((m) => ({ name: m.name, pos: m.pos, setDoc: (t: string) => (m.doc = t) }));
    const implicitMembers = (typeName: string | undefined) => {
      const t = typeName ? byName.get(typeName) : undefined;
      return t?.meta === 'struct' && t.implicitOwner === def.name ? fromMembers(t.members) : [];
    };
    switch (def.meta) {
      case 'enum':
        return def.values.map((v) => ({ name: v.name, pos: v.pos, setDoc: (t: string) => (v.doc = t) }));
      case 'struct':
        return fromMembers(def.members);
      case 'union':
        return implicitMembers(def.base);
      case 'alternate':
        return def.branches.map((b) => ({ name: b.name, pos: b.pos, setDoc: () => undefined }));
      case 'command':
        return implicitMembers(def.argType);
      case 'event':
        return implicitMembers(def.dataType);
    }
  }

  function featuresToDocument(def: Definition): Feature[] {
    const out: Feature[] = [...def.features];
    const add = (fs: Feature[]) => {
      for (const f of fs) if (!out.some((o) => o.name === f.name)) out.push(f);
    };
    if (def.meta === 'enum') def.values.forEach((v) => add(v.features));
    if (def.meta === 'struct') def.members.forEach((m) => add(m.features));
    const implicitName = def.meta === 'union' ? def.base : def.meta === 'command' ? def.argType : def.meta === 'event' ? def.dataType : undefined;
    const t = implicitName ? byName.get(implicitName) : undefined;
    if (t?.meta === 'struct' && t.implicitOwner === def.name) t.members.forEach((m) => add(m.features));
    return out;
  }

  function checkDoc(def: Definition, doc: Doc): void {
    const kind = def.meta === 'enum' ? 'value' : def.meta === 'alternate' ? 'branch' : def.meta === 'command' ? 'argument' : 'member';
    const members = documentedMembers(def);
    for (const m of members) {
      const item = doc.members.find((d) => d.name === m.name);
      if (item) m.setDoc(item.text);
      else err(m.pos, `${kind} '${m.name}' of '${def.name}' is not documented`);
    }
    for (const item of doc.members) {
      if (!members.some((m) => m.name === item.name)) err(item.pos, `'@${item.name}' is documented, but '${def.name}' has no ${kind} of that name`);
    }
    const features = featuresToDocument(def);
    for (const f of features) {
      if (!doc.features.some((d) => d.name === f.name)) err(f.pos, `feature '${f.name}' of '${def.name}' is not documented under 'Features:'`);
    }
    for (const item of doc.features) {
      if (!features.some((f) => f.name === item.name)) err(item.pos, `'@${item.name}' is documented under 'Features:', but '${def.name}' has no such feature`);
    }
    if (!doc.sections.some((s) => s.tag === 'Since')) err(doc.pos, `documentation of '${def.name}' has no 'Since:' section`);
    for (const s of doc.sections) {
      if (s.tag === 'Returns' && !(def.meta === 'command' && def.returns)) {
        err(s.pos, `'Returns:' belongs to commands that return a value, and '${def.name}' is not one`);
      }
      if (s.tag === 'Errors' && def.meta !== 'command') err(s.pos, `'Errors:' belongs to commands, and '${def.name}' is a ${def.meta}`);
    }
  }

  const freeDocs = parsed.freeDocs.map((fd) => {
    const next = parsed.exprs[fd.nextExpr];
    const nextName = next ? META_KEYS.map((k) => entryOf(next.expr, k)).find((e): e is PEntry => e !== undefined) : undefined;
    return { doc: fd.doc, before: nextName && nextName.value.kind === 'string' ? nextName.value.value : null };
  });

  const schema: Schema = { entry, files: parsed.files, pragmas, definitions, freeDocs };
  return { schema, errors };
}
