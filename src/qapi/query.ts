// Questions the engine, the docs and the visitors ask of a checked schema.

import type { Definition, EnumValue, IfCond, Member, Schema, StructDef, UnionBranch } from './ir.ts';

/** Answers whether a condition symbol holds (e.g. QEMU_9_2, CONFIG_LINUX). */
export type CondPredicate = (symbol: string) => boolean;

const indexes = new WeakMap<Schema, Map<string, Definition>>();

/** The definition called `name` (implicit types included), or undefined. */
export function lookup(schema: Schema, name: string): Definition | undefined {
  let index = indexes.get(schema);
  if (!index) {
    index = new Map(schema.definitions.map((d) => [d.name, d]));
    indexes.set(schema, index);
  }
  return index.get(name);
}

/** Evaluates a condition tree; an absent condition holds. */
export function evalIf(cond: IfCond | undefined, pred: CondPredicate): boolean {
  if (!cond) return true;
  switch (cond.op) {
    case 'name':
      return pred(cond.name);
    case 'all':
      return cond.args.every((c) => evalIf(c, pred));
    case 'any':
      return cond.args.some((c) => evalIf(c, pred));
    case 'not':
      return !evalIf(cond.arg, pred);
  }
}

/** `QEMU_9_2` -> [9, 2]; null for build symbols. */
export function releaseOfSymbol(symbol: string): [number, number] | null {
  const m = /^QEMU_(\d+)_(\d+)$/.exec(symbol);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** '10.1' -> [10, 1]. */
export function parseRelease(release: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(release);
  if (!m) throw new RangeError(`not a QEMU release: '${release}'`);
  return [Number(m[1]), Number(m[2])];
}

export function compareReleases(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * The predicate for one modelled release: `QEMU_X_Y` holds when the release
 * is at least X.Y; other symbols are looked up in `build` (absent = false).
 */
export function releaseCond(release: string, build: Record<string, boolean> | CondPredicate = {}): CondPredicate {
  const r = parseRelease(release);
  return (symbol) => {
    const sym = releaseOfSymbol(symbol);
    if (sym) return compareReleases(r, sym) >= 0;
    return typeof build === 'function' ? build(symbol) : build[symbol] === true;
  };
}

/** True when the definition itself exists under the predicate. */
export function isDefined(schema: Schema, name: string, pred: CondPredicate): boolean {
  const def = lookup(schema, name);
  return def !== undefined && evalIf(def.if, pred);
}

/** Values of an enum that exist under the predicate, in schema order. */
export function enabledEnumValues(schema: Schema, enumName: string, pred: CondPredicate): EnumValue[] {
  const def = lookup(schema, enumName);
  if (!def || def.meta !== 'enum') return [];
  return def.values.filter((v) => evalIf(v.if, pred));
}

/** A union's branches that exist under the predicate (branch and enum value both enabled). */
export function enabledBranches(schema: Schema, unionName: string, pred: CondPredicate): UnionBranch[] {
  const def = lookup(schema, unionName);
  if (!def || def.meta !== 'union') return [];
  const values = new Set(enabledEnumValues(schema, def.discriminatorEnum, pred).map((v) => v.name));
  return def.branches.filter((b) => values.has(b.name) && evalIf(b.if, pred));
}

function structMembers(schema: Schema, def: StructDef, pred: CondPredicate, seen: Set<string>): Member[] {
  if (seen.has(def.name)) return [];
  seen.add(def.name);
  const base = def.base ? lookup(schema, def.base) : undefined;
  const inherited = base?.meta === 'struct' ? structMembers(schema, base, pred, seen) : [];
  return [...inherited, ...def.members.filter((m) => evalIf(m.if, pred))];
}

/**
 * Members visited for a struct, or for a union when `branch` names a
 * discriminator value, in the order QEMU visits them: base members first
 * (the discriminator among them), then the branch's. Members whose `if`
 * does not hold are left out.
 */
export function effectiveMembers(schema: Schema, typeName: string, pred: CondPredicate, branch?: string): Member[] {
  const def = lookup(schema, typeName);
  if (!def) return [];
  if (def.meta === 'struct') return structMembers(schema, def, pred, new Set());
  if (def.meta !== 'union') return [];
  const base = lookup(schema, def.base);
  const common = base?.meta === 'struct' ? structMembers(schema, base, pred, new Set()) : [];
  if (branch === undefined) return common;
  const b = enabledBranches(schema, def.name, pred).find((x) => x.name === branch);
  const branchDef = b ? lookup(schema, b.type) : undefined;
  const own = branchDef?.meta === 'struct' ? structMembers(schema, branchDef, pred, new Set()) : [];
  return [...common, ...own];
}

/** The struct or union a command's arguments are visited as (undefined: takes none). */
export function commandArgType(schema: Schema, command: string): string | undefined {
  const def = lookup(schema, command);
  return def?.meta === 'command' ? def.argType : undefined;
}

/** Commands that exist under the predicate, in schema order. */
export function enabledCommands(schema: Schema, pred: CondPredicate): Definition[] {
  return schema.definitions.filter((d) => d.meta === 'command' && evalIf(d.if, pred));
}
