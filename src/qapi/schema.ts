// Pass 3: the checked expressions -> one schema of definitions, every type
// reference resolved (QEMU's scripts/qapi/schema.py: define, resolve_type,
// then each entity's check()): names are unique and not built-in, references
// name a definition of a kind that fits, bases do not loop, members do not
// clash with their base's, a union's discriminator is an enum member of its
// base and its branches are values of that enum, an alternate's branches
// can be told apart by their JSON type.

import type { AlternateDef, Definition, Member, StructDef, TypeRef, UnionDef } from './ir.ts';
import type { CheckContext } from './context.ts';
import type { ExprPassOutput } from './expr.ts';
import { isBuiltin, type TypeUse, type TypeUseKind } from './expr-parts.ts';
import { cName } from './names.ts';
import { formatPos } from './source.ts';

export interface SchemaPassOutput {
  /** Every definition, implicit ones included, in source order. */
  definitions: Definition[];
  byName: ReadonlyMap<string, Definition>;
}

const ALLOWED_METAS: Record<TypeUseKind, readonly Definition['meta'][]> = {
  member: ['enum', 'struct', 'union', 'alternate'],
  struct: ['struct'],
  object: ['struct', 'union'],
  branch: ['struct'],
  'alternate-branch': ['enum', 'struct', 'union'],
  returns: ['enum', 'struct', 'union', 'alternate'],
};

const WANTED: Record<TypeUseKind, string> = {
  member: 'a type',
  struct: 'a struct',
  object: 'a struct or union',
  branch: 'a struct',
  'alternate-branch': 'a built-in type, enum, struct or union',
  returns: 'a type',
};

export function buildSchema(ctx: CheckContext, checked: ExprPassOutput): SchemaPassOutput {
  const s = new SchemaBuilder(ctx);
  for (const e of checked.exprs) {
    s.define(e.def);
    for (const t of e.implicit) s.define(t);
  }
  for (const use of checked.uses) s.resolve(use, checked.brokenNames);
  const discriminatorPos = new Map(checked.exprs.map((e) => [e.def, e.discriminatorPos ?? e.def.pos]));
  for (const def of s.definitions) {
    if (def.meta === 'struct') s.checkStruct(def);
    else if (def.meta === 'union') s.checkUnion(def, discriminatorPos.get(def) ?? def.pos);
    else if (def.meta === 'alternate') s.checkAlternate(def);
  }
  return { definitions: s.definitions, byName: s.byName };
}

class SchemaBuilder {
  readonly definitions: Definition[] = [];
  readonly byName = new Map<string, Definition>();

  constructor(private readonly ctx: CheckContext) {}

  define(def: Definition): void {
    if (isBuiltin(def.name)) {
      this.ctx.report(def.pos, `'${def.name}' is a built-in type and cannot be defined again`);
      return;
    }
    const prior = this.byName.get(def.name);
    if (prior) {
      this.ctx.report(def.pos, `'${def.name}' is already defined at ${formatPos(prior.pos)}`);
      return;
    }
    this.byName.set(def.name, def);
    this.definitions.push(def);
  }

  resolve(use: TypeUse, brokenNames: ReadonlySet<string>): void {
    const { ctx } = this;
    if (use.ref.builtin) {
      if (use.allow === 'struct' || use.allow === 'object' || use.allow === 'branch') {
        ctx.report(use.pos, `${use.user} must be ${use.allow === 'object' ? 'a struct or union' : 'a struct'}, not the built-in type '${use.ref.name}'`);
      } else if (use.allow === 'alternate-branch' && use.ref.name === 'any') {
        ctx.report(use.pos, `${use.user} cannot be 'any': an alternate must tell its branches apart by JSON type`);
      } else {
        this.checkReturns(use, undefined);
      }
      return;
    }
    const def = this.byName.get(use.ref.name);
    if (!def) {
      if (!brokenNames.has(use.ref.name)) ctx.report(use.pos, `${use.user} uses '${use.ref.name}', which is not defined`);
      return;
    }
    if (def.implicitOwner) {
      ctx.report(use.pos, `${use.user} uses '${use.ref.name}', a name kept for implicit types`);
      return;
    }
    if (!ALLOWED_METAS[use.allow].includes(def.meta)) {
      const article = def.meta === 'enum' || def.meta === 'event' || def.meta === 'alternate' ? 'an' : 'a';
      ctx.report(use.pos, `${use.user} must be ${WANTED[use.allow]}, but '${def.name}' is ${article} ${def.meta}`);
      return;
    }
    this.checkReturns(use, def);
  }

  /** Commands return an object or a list of objects, unless the pragma excepts them. */
  private checkReturns(use: TypeUse, def: Definition | undefined): void {
    if (use.allow !== 'returns' || use.command === undefined) return;
    if (this.ctx.pragmas.commandReturnsExceptions.includes(use.command)) return;
    if (!def || (def.meta !== 'struct' && def.meta !== 'union')) {
      const what = def ? `${def.meta} '${def.name}'` : `'${use.ref.name}'`;
      this.ctx.report(
        use.pos,
        `command '${use.command}' returns ${use.ref.array ? 'a list of ' : ''}${what}; commands return an object or a list of objects unless listed in pragma 'command-returns-exceptions'`,
      );
    }
  }

  /** All members of a struct, base chain first; null when the chain is broken or loops. */
  private allStructMembers(name: string, seen: string[] = []): Member[] | null {
    const def = this.byName.get(name);
    if (!def || def.meta !== 'struct') return null;
    if (seen.includes(name)) return null;
    const base = def.base ? this.allStructMembers(def.base, [...seen, name]) : [];
    if (base === null) return null;
    return [...base, ...def.members];
  }

  checkStruct(def: StructDef): void {
    this.reportBaseLoop(def);
    if (!def.base) return;
    const baseMembers = this.allStructMembers(def.base, [def.name]);
    if (!baseMembers) return;
    for (const m of def.members) {
      const clash = baseMembers.find((b) => cName(b.name) === cName(m.name));
      if (clash) this.ctx.report(m.pos, `member '${m.name}' of '${def.name}' clashes with member '${clash.name}' of its base at ${formatPos(clash.pos)}`);
    }
  }

  /** Reported on each struct of a loop whose base chain comes back to it. */
  private reportBaseLoop(def: StructDef): void {
    const chain = [def.name];
    let cur: StructDef | undefined = def;
    while (cur?.base) {
      if (chain.includes(cur.base)) {
        if (cur.base === def.name) this.ctx.report(def.pos, `struct '${def.name}' is its own base through ${chain.join(' -> ')} -> ${def.name}`);
        return;
      }
      chain.push(cur.base);
      const next = this.byName.get(cur.base);
      cur = next?.meta === 'struct' ? next : undefined;
    }
  }

  /** Sets the union's discriminatorEnum when its discriminator is good. */
  checkUnion(def: UnionDef, where: typeof def.pos): void {
    const { ctx } = this;
    const baseMembers = this.allStructMembers(def.base);
    if (!baseMembers) return; // reported where the base was resolved
    const disc = baseMembers.find((m) => m.name === def.discriminator);
    if (!disc) {
      ctx.report(where, `discriminator '${def.discriminator}' of union '${def.name}' is not a member of its base`);
      return;
    }
    if (disc.optional) ctx.report(where, `discriminator '${def.discriminator}' of union '${def.name}' must not be optional`);
    if (disc.if) ctx.report(where, `discriminator '${def.discriminator}' of union '${def.name}' must not have an 'if'`);
    const enumDef = !disc.type.array && !disc.type.builtin ? this.byName.get(disc.type.name) : undefined;
    if (!enumDef || enumDef.meta !== 'enum') {
      ctx.report(where, `discriminator '${def.discriminator}' of union '${def.name}' must have an enum type, not '${disc.type.array ? `[${disc.type.name}]` : disc.type.name}'`);
      return;
    }
    def.discriminatorEnum = enumDef.name;
    for (const b of def.branches) {
      if (!enumDef.values.some((v) => v.name === b.name)) {
        ctx.report(b.pos, `branch '${b.name}' of union '${def.name}' is not a value of enum '${enumDef.name}'`);
        continue;
      }
      const branchMembers = this.allStructMembers(b.type);
      if (!branchMembers) continue;
      for (const m of branchMembers) {
        const clash = baseMembers.find((x) => cName(x.name) === cName(m.name));
        if (clash) ctx.report(b.pos, `branch '${b.name}' of union '${def.name}' brings member '${m.name}', which clashes with base member '${clash.name}'`);
      }
    }
  }

  checkAlternate(def: AlternateDef): void {
    const taken = new Map<string, string>();
    for (const b of def.branches) {
      const kind = this.jsonKindOf(b.type);
      const prior = taken.get(kind);
      if (prior) this.ctx.report(b.pos, `branches '${prior}' and '${b.name}' of alternate '${def.name}' both take a JSON ${kind}, so they cannot be told apart`);
      else taken.set(kind, b.name);
    }
  }

  /** The JSON type a value of `ref` has on the wire. */
  private jsonKindOf(ref: TypeRef): string {
    if (ref.array) return 'array';
    if (ref.builtin) {
      if (ref.name === 'str') return 'string';
      if (ref.name === 'bool') return 'boolean';
      if (ref.name === 'null') return 'null';
      return 'number';
    }
    return this.byName.get(ref.name)?.meta === 'enum' ? 'string' : 'object';
  }
}
