// QEMU's checking of QMP arguments and -netdev options, reproduced so that
// every error text is byte-identical to QEMU's.
//
// This follows qapi/qobject-input-visitor.c (the QObject input visitor and
// its keyval flavour), qapi/qapi-visit-core.c (integer ranges, enums) and
// the visit code scripts/qapi/visit.py generates (member order, optional
// members, unions, alternates, lists):
// - members are visited in schema order, base members first, then the
//   branch a union's discriminator selects; the first error wins;
// - a nested object is visited completely, its own "unexpected" check
//   included, where its member is visited;
// - leftover members are reported in the iteration order of the GHashTable
//   QEMU fills from the QDict (see qdict-order.ts).

import type { Definition, IfCond, Member, Schema, StructDef, TypeRef, UnionDef } from './ir.ts';
import { BUILTIN_TYPES } from './ir.ts';
import { evalIf, lookup, type CondPredicate } from './query.ts';
import { strtodFinite, strtoi64, strtosz, strtou64 } from './cnum.ts';
import { GStrHashTable, qdictKeyOrder } from './qdict-order.ts';

export interface VisitOptions {
  /** Which condition symbols hold (QEMU_X_Y release symbols and build symbols). */
  cond: CondPredicate;
  /** Values come from a -netdev style option string: scalars are strings. */
  keyval?: boolean;
  /**
   * Per-release member types, keyed `Type.member` (the type that declares
   * the member, e.g. `NetdevStreamOptions.reconnect`), valued with a type
   * name (`uint32`) or `[name]` for an array.
   */
  typeOverrides?: Record<string, string>;
}

export type VisitResult = { ok: true; value: unknown } | { ok: false; error: string };

// ---- QObjects ------------------------------------------------------------------

type QObj =
  | { t: 'dict'; keys: string[]; map: Map<string, QObj> }
  | { t: 'list'; items: QObj[] }
  | { t: 'str'; v: string }
  | { t: 'num'; kind: 'int' | 'uint' | 'double'; v: bigint | number }
  | { t: 'bool'; v: boolean }
  | { t: 'null' };

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

class NotJsonError extends Error {}

/** Models how QEMU's JSON parser stores a number: int64 if it fits, else uint64, else double. */
function qnum(v: number | bigint): QObj {
  if (typeof v === 'number' && !Number.isInteger(v)) return { t: 'num', kind: 'double', v };
  const b = BigInt(v);
  if (b >= INT64_MIN && b <= INT64_MAX) return { t: 'num', kind: 'int', v: b };
  if (b >= 0n && b <= UINT64_MAX) return { t: 'num', kind: 'uint', v: b };
  return { t: 'num', kind: 'double', v: Number(v) };
}

/**
 * Converts parsed JSON. Objects keep their key order (a Map gives exact
 * control; plain objects list integer-like keys first, as JavaScript does).
 * JSON.parse cannot tell 1.0 from 1: an integral number counts as an integer.
 */
function toQObj(value: unknown): QObj {
  if (value === null) return { t: 'null' };
  switch (typeof value) {
    case 'string':
      return { t: 'str', v: value };
    case 'boolean':
      return { t: 'bool', v: value };
    case 'number':
      if (!Number.isFinite(value)) throw new NotJsonError(`${value} is not a JSON number`);
      return qnum(value);
    case 'bigint':
      return qnum(value);
    case 'object': {
      if (Array.isArray(value)) return { t: 'list', items: value.map(toQObj) };
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
      const map = new Map<string, QObj>();
      for (const [k, v] of entries) {
        if (v === undefined) continue;
        map.set(String(k), toQObj(v));
      }
      return { t: 'dict', keys: [...map.keys()], map };
    }
    default:
      throw new NotJsonError(`a ${typeof value} is not JSON data`);
  }
}

function fromQObj(q: QObj): unknown {
  switch (q.t) {
    case 'dict':
      return Object.fromEntries(q.keys.map((k) => [k, fromQObj(q.map.get(k)!)]));
    case 'list':
      return q.items.map(fromQObj);
    case 'num':
      return typeof q.v === 'bigint' ? toNumberIfSafe(q.v) : q.v;
    case 'null':
      return null;
    default:
      return q.v;
  }
}

function toNumberIfSafe(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

// ---- the visitor core (qobject-input-visitor.c) ---------------------------------------

class VisitError extends Error {}

interface StackObject {
  name: string | null;
  obj: QObj & { t: 'dict' | 'list' };
  /** For a dict: members not visited yet. */
  h?: GStrHashTable;
  /** For a list: position of the next element. */
  next: number;
  /** For a list: index of the element last taken (starts at -1, printed unsigned). */
  index: number;
}

class QObjectInputVisitor {
  private readonly stack: StackObject[] = [];

  constructor(
    private readonly root: QObj,
    readonly keyval: boolean,
  ) {}

  private fail(message: string): never {
    throw new VisitError(message);
  }

  /** full_name_nth(): the dotted path of `name` inside the containers, skipping the top `n`. */
  fullName(name: string | null, n = 0): string {
    let out = '';
    let cur = name;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const so = this.stack[i]!;
      if (n) {
        n--;
      } else if (so.obj.t === 'dict') {
        out = `.${cur ?? '<anonymous>'}${out}`;
      } else {
        const index = so.index >>> 0;
        out = (this.keyval ? `.${index}` : `[${index}]`) + out;
      }
      cur = so.name;
    }
    if (cur !== null) return cur + out;
    if (out.startsWith('.')) return out.slice(1);
    if (out === '') return '<anonymous>';
    return out;
  }

  tryGetObject(name: string | null, consume: boolean): QObj | undefined {
    const tos = this.stack[this.stack.length - 1];
    if (!tos) return this.root;
    if (tos.obj.t === 'dict') {
      const ret = tos.obj.map.get(name!);
      if (ret && consume) tos.h!.remove(name!);
      return ret;
    }
    let ret: QObj | undefined;
    if (tos.next < tos.obj.items.length) {
      ret = tos.obj.items[tos.next];
      if (consume) tos.next++;
    }
    if (consume) tos.index++;
    return ret;
  }

  getObject(name: string | null, consume: boolean): QObj {
    const obj = this.tryGetObject(name, consume);
    if (!obj) this.fail(`Parameter '${this.fullName(name)}' is missing`);
    return obj;
  }

  private push(name: string | null, obj: QObj & { t: 'dict' | 'list' }): void {
    const so: StackObject = { name, obj, next: 0, index: -1 };
    if (obj.t === 'dict') {
      so.h = new GStrHashTable();
      for (const key of qdictKeyOrder(obj.keys)) so.h.insert(key);
    }
    this.stack.push(so);
  }

  startStruct(name: string | null): void {
    const obj = this.getObject(name, true);
    if (obj.t !== 'dict') this.fail(`Invalid parameter type for '${this.fullName(name)}', expected: object`);
    this.push(name, obj);
  }

  checkStruct(): void {
    const key = this.stack[this.stack.length - 1]!.h!.first();
    if (key !== undefined) this.fail(`Parameter '${this.fullName(key)}' is unexpected`);
  }

  endStruct(): void {
    this.stack.pop();
  }

  startList(name: string | null): void {
    const obj = this.getObject(name, true);
    if (obj.t !== 'list') this.fail(`Invalid parameter type for '${this.fullName(name)}', expected: array`);
    this.push(name, obj);
  }

  /** Whether the list on top has elements left to visit (next_list). */
  hasNextElement(): boolean {
    const tos = this.stack[this.stack.length - 1]!;
    return tos.obj.t === 'list' && tos.next < tos.obj.items.length;
  }

  endList(): void {
    this.stack.pop();
  }

  /** start_alternate: peeks at the value without consuming it. */
  alternateQType(name: string | null): QObj['t'] {
    return this.getObject(name, false).t;
  }

  optional(name: string): boolean {
    return this.tryGetObject(name, false) !== undefined;
  }

  private keyvalString(name: string | null): string {
    const obj = this.getObject(name, true);
    if (obj.t === 'str') return obj.v;
    if (obj.t === 'dict' || obj.t === 'list') this.fail(`Parameters '${this.fullName(name)}.*' are unexpected`);
    this.fail(`Internal error: parameter ${this.fullName(name)} invalid`);
  }

  typeInt64(name: string | null): bigint {
    if (this.keyval) {
      const v = strtoi64(this.keyvalString(name));
      if (v === null) this.fail(`Parameter '${this.fullName(name)}' expects integer`);
      return v;
    }
    const obj = this.getObject(name, true);
    if (obj.t !== 'num' || obj.kind !== 'int') this.fail(`Invalid parameter type for '${this.fullName(name)}', expected: integer`);
    return obj.v as bigint;
  }

  typeUint64(name: string | null): bigint {
    if (this.keyval) {
      const v = strtou64(this.keyvalString(name));
      if (v === null) this.fail(`Parameter '${this.fullName(name)}' expects integer`);
      return v;
    }
    const obj = this.getObject(name, true);
    if (obj.t === 'num' && obj.kind !== 'double') {
      const v = obj.v as bigint;
      // Negative values are accepted for backward compatibility, wrapped modulo 2^64.
      return v < 0n ? v + (1n << 64n) : v;
    }
    this.fail(`Parameter '${this.fullName(name)}' expects uint64`);
  }

  typeSize(name: string | null): bigint {
    if (!this.keyval) return this.typeUint64(name);
    const v = strtosz(this.keyvalString(name));
    if (v === null) this.fail(`Parameter '${this.fullName(name)}' expects size`);
    return v;
  }

  typeBool(name: string | null): boolean {
    if (this.keyval) {
      const s = this.keyvalString(name);
      if (s === 'on') return true;
      if (s === 'off') return false;
      this.fail(`Parameter '${this.fullName(name)}' expects 'on' or 'off'`);
    }
    const obj = this.getObject(name, true);
    if (obj.t !== 'bool') this.fail(`Invalid parameter type for '${this.fullName(name)}', expected: boolean`);
    return obj.v;
  }

  typeStr(name: string | null): string {
    if (this.keyval) return this.keyvalString(name);
    const obj = this.getObject(name, true);
    if (obj.t !== 'str') this.fail(`Invalid parameter type for '${this.fullName(name)}', expected: string`);
    return obj.v;
  }

  typeNumber(name: string | null): number {
    if (this.keyval) {
      const v = strtodFinite(this.keyvalString(name));
      if (v === null) this.fail(`Invalid parameter type for '${this.fullName(name)}', expected: number`);
      return v;
    }
    const obj = this.getObject(name, true);
    if (obj.t !== 'num') this.fail(`Invalid parameter type for '${this.fullName(name)}', expected: number`);
    return Number(obj.v);
  }

  typeAny(name: string | null): unknown {
    return fromQObj(this.getObject(name, true));
  }

  typeNull(name: string | null): null {
    const obj = this.getObject(name, true);
    if (obj.t !== 'null') this.fail(`Invalid parameter type for '${this.fullName(name)}', expected: null`);
    return null;
  }
}

// ---- schema-driven visiting (generated visit code, qapi-visit-core.c) -------------------

const RANGES: Record<string, { min: bigint; max: bigint; cName: string; unsigned: boolean }> = {
  int8: { min: -128n, max: 127n, cName: 'int8_t', unsigned: false },
  int16: { min: -32768n, max: 32767n, cName: 'int16_t', unsigned: false },
  int32: { min: -2147483648n, max: 2147483647n, cName: 'int32_t', unsigned: false },
  uint8: { min: 0n, max: 255n, cName: 'uint8_t', unsigned: true },
  uint16: { min: 0n, max: 65535n, cName: 'uint16_t', unsigned: true },
  uint32: { min: 0n, max: 4294967295n, cName: 'uint32_t', unsigned: true },
};

const BUILTINS = new Set<string>(BUILTIN_TYPES);

class SchemaVisitor {
  constructor(
    private readonly schema: Schema,
    private readonly v: QObjectInputVisitor,
    private readonly opts: VisitOptions,
  ) {}

  private enabled(cond: IfCond | undefined): boolean {
    return evalIf(cond, this.opts.cond);
  }

  private def(name: string): Definition {
    const d = lookup(this.schema, name);
    if (!d) throw new Error(`type '${name}' is not in the schema`);
    return d;
  }

  visit(name: string | null, type: TypeRef): unknown {
    if (type.array) return this.visitList(name, type.name);
    return this.visitNamed(name, type.name);
  }

  private visitList(name: string | null, element: string): unknown[] {
    this.v.startList(name);
    const out: unknown[] = [];
    while (this.v.hasNextElement()) out.push(this.visitNamed(null, element));
    this.v.endList();
    return out;
  }

  visitNamed(name: string | null, typeName: string): unknown {
    if (BUILTINS.has(typeName)) return this.visitBuiltin(name, typeName);
    const def = this.def(typeName);
    switch (def.meta) {
      case 'enum':
        return this.visitEnum(name, def.name);
      case 'struct':
      case 'union':
        return this.visitObject(name, def);
      case 'alternate':
        return this.visitAlternate(name, def.name);
      default:
        throw new Error(`'${typeName}' is a ${def.meta}, not a type`);
    }
  }

  private visitBuiltin(name: string | null, typeName: string): unknown {
    const v = this.v;
    switch (typeName) {
      case 'str':
        return v.typeStr(name);
      case 'bool':
        return v.typeBool(name);
      case 'number':
        return v.typeNumber(name);
      case 'any':
        return v.typeAny(name);
      case 'null':
        return v.typeNull(name);
      case 'int':
      case 'int64':
        return toNumberIfSafe(v.typeInt64(name));
      case 'uint64':
        return toNumberIfSafe(v.typeUint64(name));
      case 'size':
        return toNumberIfSafe(v.typeSize(name));
    }
    const range = RANGES[typeName]!;
    const value = range.unsigned ? v.typeUint64(name) : v.typeInt64(name);
    if (value < range.min || value > range.max) {
      // qapi-visit-core.c names the member alone here, or "null" inside a list.
      throw new VisitError(`Parameter '${name ?? 'null'}' expects ${range.cName}`);
    }
    return Number(value);
  }

  private visitEnum(name: string | null, enumName: string): string {
    const def = this.def(enumName);
    const s = this.v.typeStr(name);
    if (def.meta !== 'enum' || !def.values.some((x) => x.name === s && this.enabled(x.if))) {
      throw new VisitError(`Parameter '${name ?? 'null'}' does not accept value '${s}'`);
    }
    return s;
  }

  visitObject(name: string | null, def: StructDef | UnionDef): Record<string, unknown> {
    this.v.startStruct(name);
    const out: Record<string, unknown> = {};
    this.visitMembers(def, out);
    this.v.checkStruct();
    this.v.endStruct();
    return out;
  }

  /** What the marshaller of a command without data does: only {} passes. */
  visitEmptyObject(): Record<string, never> {
    this.v.startStruct(null);
    this.v.checkStruct();
    this.v.endStruct();
    return {};
  }

  /** visit_type_T_members(): base first, then own members, or a union's branch. */
  visitMembers(def: Definition, out: Record<string, unknown>): void {
    if (def.meta === 'struct') {
      if (def.base) this.visitMembers(this.def(def.base), out);
      for (const m of def.members) {
        if (!this.enabled(m.if)) continue;
        if (m.optional && !this.v.optional(m.name)) continue;
        out[m.name] = this.visit(m.name, this.memberType(def, m));
      }
      return;
    }
    if (def.meta !== 'union') throw new Error(`'${def.name}' has no members`);
    this.visitMembers(this.def(def.base), out);
    const value = out[def.discriminator];
    const branch = def.branches.find((b) => b.name === value && this.enabled(b.if));
    if (branch) this.visitMembers(this.def(branch.type), out);
  }

  private memberType(def: StructDef, m: Member): TypeRef {
    const override = this.opts.typeOverrides?.[`${def.name}.${m.name}`];
    if (!override) return m.type;
    const array = override.startsWith('[') && override.endsWith(']');
    const name = array ? override.slice(1, -1) : override;
    return { name, array, builtin: BUILTINS.has(name) };
  }

  private visitAlternate(name: string | null, altName: string): unknown {
    const def = this.def(altName);
    if (def.meta !== 'alternate') throw new Error(`'${altName}' is not an alternate`);
    const qtype = this.v.alternateQType(name);
    for (const b of def.branches) {
      if (!this.enabled(b.if) || qtypeOf(this.schema, b.type) !== qtype) continue;
      return this.visit(name, b.type);
    }
    throw new VisitError(`Invalid parameter type for '${name ?? 'null'}', expected: ${def.name}`);
  }
}

/** The QObject type a value of `type` arrives as (the alternate dispatch key). */
function qtypeOf(schema: Schema, type: TypeRef): QObj['t'] {
  if (type.array) return 'list';
  if (type.builtin) {
    if (type.name === 'str') return 'str';
    if (type.name === 'bool') return 'bool';
    if (type.name === 'null') return 'null';
    if (type.name === 'any') return 'dict'; // not allowed in alternates; never matches a scalar
    return 'num';
  }
  return lookup(schema, type.name)?.meta === 'enum' ? 'str' : 'dict';
}

function run(schema: Schema, value: unknown, opts: VisitOptions, body: (s: SchemaVisitor) => unknown): VisitResult {
  let root: QObj;
  try {
    root = toQObj(value);
  } catch (e) {
    if (e instanceof NotJsonError) return { ok: false, error: e.message };
    throw e;
  }
  const visitor = new SchemaVisitor(schema, new QObjectInputVisitor(root, opts.keyval === true), opts);
  try {
    return { ok: true, value: body(visitor) };
  } catch (e) {
    if (e instanceof VisitError) return { ok: false, error: e.message };
    throw e;
  }
}

/**
 * Visits `value` (parsed JSON, or parseKeyval output with `keyval`) as
 * `typeName` (a builtin, enum, struct, union or alternate; `[T]` for an
 * array) the way QEMU's input visitor does. On success `value` holds only
 * known members, optional ones only when present, defaults not filled in.
 * On failure `error` is QEMU's message for the first problem.
 */
export function visitInput(schema: Schema, typeName: string, value: unknown, opts: VisitOptions): VisitResult {
  const array = typeName.startsWith('[') && typeName.endsWith(']');
  const name = array ? typeName.slice(1, -1) : typeName;
  return run(schema, value, opts, (s) => s.visit(null, { name, array, builtin: BUILTINS.has(name) }));
}

/**
 * Visits the `arguments` of a QMP command as its generated marshaller does.
 * Absent arguments count as `{}`; a command without data accepts only `{}`.
 */
export function visitCommandArguments(schema: Schema, command: string, args: unknown, opts: VisitOptions): VisitResult {
  const def = lookup(schema, command);
  if (!def || def.meta !== 'command') throw new Error(`'${command}' is not a command of the schema`);
  const argType = def.argType ? lookup(schema, def.argType) : undefined;
  return run(schema, args === undefined ? {} : args, opts, (s) => {
    if (argType && (argType.meta === 'struct' || argType.meta === 'union')) return s.visitObject(null, argType);
    return s.visitEmptyObject();
  });
}
