// QEMU's checking of QMP arguments and -netdev options, reproduced so that
// every error text is byte-identical to QEMU's.
//
// This module is the visit code scripts/qapi/visit.py generates, driven by
// our IR instead (member order, optional members, unions, alternates,
// lists), with qapi/qapi-visit-core.c's integer ranges and enums. It asks
// the QObject input visitor (qobject-input-visitor.ts) for each value:
// - members are visited in schema order, base members first, then the
//   branch a union's discriminator selects; the first error wins;
// - a nested object is visited completely, its own "unexpected" check
//   included, where its member is visited;
// - leftover members are reported in the iteration order of the GHashTable
//   QEMU fills from the QDict (see qdict-order.ts).

import type { Definition, IfCond, Member, Schema, StructDef, TypeRef, UnionDef } from './ir.ts';
import { BUILTIN_TYPES } from './ir.ts';
import { evalIf, lookup, type CondPredicate } from './query.ts';
import { NotJsonError, toNumberIfSafe, toQObj, type QObj } from './qobject.ts';
import { QObjectInputVisitor, VisitError } from './qobject-input-visitor.ts';

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
