// Pass 2: each definition expression on its own (QEMU's scripts/qapi/expr.py):
// exactly one meta key, a good name, the keys its meta allows, well-formed
// parts. A well-formed expression becomes its IR definition, normalised
// (inline data and bases become implicit structs named like QEMU's
// 'q_obj_<name>-arg' / 'q_obj_<name>-base'); the types it names are only
// recorded, and schema.ts resolves them once every definition is known.

import type {
  AlternateBranch,
  AlternateDef,
  CommandDef,
  Definition,
  Doc,
  EnumDef,
  EnumValue,
  EventDef,
  Feature,
  IfCond,
  SourcePos,
  StructDef,
  TypeRef,
  UnionBranch,
  UnionDef,
} from './ir.ts';
import { quoteList, type CheckContext } from './context.ts';
import { checkKeys, flag, optionalIf, parseFeatures, parseMembers, parseTypeRef, type TypeUse } from './expr-parts.ts';
import { checkDefinitionName, checkEnumValueName, checkLowerName, cName, type DefinitionMeta } from './names.ts';
import { entryOf, type ParsedExpr, type PObject, type PValue } from './parse-tree.ts';
import { formatPos } from './source.ts';

export const META_KEYS: readonly DefinitionMeta[] = ['enum', 'struct', 'union', 'alternate', 'command', 'event'];

const ALLOWED_KEYS: Record<DefinitionMeta, { required: string[]; optional: string[] }> = {
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

/** A well-formed definition expression, its types not yet resolved. */
export interface CheckedExpr {
  def: Definition;
  /** Implicit structs made from its inline data or base. */
  implicit: StructDef[];
  /** The doc block written before it (attached by doc-check.ts). */
  doc: Doc | null;
  /** The block before it had an error, already reported. */
  docBroken: boolean;
  /** Where a union's 'discriminator' was written. */
  discriminatorPos?: SourcePos;
}

export interface ExprPassOutput {
  exprs: CheckedExpr[];
  uses: TypeUse[];
  /** Names of expressions too broken to become definitions: not reported again as unknown. */
  brokenNames: Set<string>;
}

/** What every definition has, from the expression's common keys. */
type Common = Pick<Definition, 'name' | 'pos' | 'features' | 'doc' | 'if'>;

export function checkExpressions(ctx: CheckContext, parsed: readonly ParsedExpr[]): ExprPassOutput {
  const out: ExprPassOutput = { exprs: [], uses: [], brokenNames: new Set() };
  for (const { expr, doc, docBroken } of parsed) {
    const checked = checkExpression(ctx, out.uses, expr);
    if ('broken' in checked) {
      if (checked.broken !== null) out.brokenNames.add(checked.broken);
      continue;
    }
    out.exprs.push({ ...checked, doc, docBroken: docBroken === true });
  }
  return out;
}

type Built = { def: Definition; implicit: StructDef[]; discriminatorPos?: SourcePos };

/** The definition an expression makes, or the name it would have had (null if none). */
function checkExpression(ctx: CheckContext, uses: TypeUse[], expr: PObject): Built | { broken: string | null } {
  const metas = META_KEYS.filter((k) => entryOf(expr, k));
  if (metas.length === 0) {
    ctx.report(expr.pos, `an expression needs one of the keys ${quoteList([...META_KEYS, 'include', 'pragma'])}`);
    return { broken: null };
  }
  if (metas.length > 1) {
    ctx.report(entryOf(expr, metas[1]!)!.keyPos, `an expression takes only one of ${quoteList(META_KEYS)}; this one has ${quoteList(metas)}`);
    return { broken: null };
  }
  const meta = metas[0]!;
  const nameEntry = entryOf(expr, meta)!;
  if (nameEntry.value.kind !== 'string') {
    ctx.report(nameEntry.value.pos, `'${meta}' takes the definition's name as a string`);
    return { broken: null };
  }
  const name = nameEntry.value.value;
  const pos = nameEntry.value.pos;
  checkDefinitionName(ctx, meta, name, pos);
  const keys = ALLOWED_KEYS[meta];
  if (!checkKeys(ctx, expr, `${meta} '${name}'`, keys.required, keys.optional)) return { broken: name };
  const cond = optionalIf(ctx, expr, `${meta} '${name}'`);
  const features = parseFeatures(ctx, expr, `${meta} '${name}'`);
  const common: Common = { name, pos, features, doc: null, ...(cond ? { if: cond } : {}) };
  const b = new Builder(ctx, uses, expr, common);
  const def = b.build(meta);
  if (!def) return { broken: name };
  return { def, implicit: b.implicit, ...(b.discriminatorPos ? { discriminatorPos: b.discriminatorPos } : {}) };
}

/** Builds one definition of each meta from its expression. */
class Builder {
  readonly implicit: StructDef[] = [];
  discriminatorPos: SourcePos | undefined;

  constructor(
    private readonly ctx: CheckContext,
    private readonly uses: TypeUse[],
    private readonly expr: PObject,
    private readonly common: Common,
  ) {}

  build(meta: DefinitionMeta): Definition | undefined {
    switch (meta) {
      case 'enum':
        return this.enumDef();
      case 'struct':
        return this.structDef();
      case 'union':
        return this.unionDef();
      case 'alternate':
        return this.alternateDef();
      case 'command':
        return this.commandDef();
      case 'event':
        return this.eventDef();
    }
  }

  private get name(): string {
    return this.common.name;
  }

  private implicitStruct(name: string, members: StructDef['members'], pos: SourcePos): StructDef {
    const s: StructDef = { meta: 'struct', name, pos, features: [], doc: null, implicitOwner: this.name, members };
    this.implicit.push(s);
    return s;
  }

  private enumDef(): EnumDef | undefined {
    const { ctx, expr, name } = this;
    const data = entryOf(expr, 'data')!.value;
    const prefix = entryOf(expr, 'prefix');
    if (prefix && prefix.value.kind !== 'string') ctx.report(prefix.value.pos, `'prefix' of enum '${name}' must be a string`);
    if (data.kind !== 'array') {
      ctx.report(data.pos, `'data' of enum '${name}' must be a list of values`);
      return undefined;
    }
    const values: EnumValue[] = [];
    for (const item of data.items) {
      let vname: string;
      let vcond: IfCond | undefined;
      let vfeatures: Feature[] = [];
      if (item.kind === 'string') {
        vname = item.value;
      } else if (item.kind === 'object') {
        if (!checkKeys(ctx, item, `a value of enum '${name}'`, ['name'], ['if', 'features'])) continue;
        const n = entryOf(item, 'name')!.value;
        if (n.kind !== 'string') {
          ctx.report(n.pos, `a value name of enum '${name}' must be a string`);
          continue;
        }
        vname = n.value;
        vcond = optionalIf(ctx, item, `value '${vname}' of enum '${name}'`);
        vfeatures = parseFeatures(ctx, item, `value '${vname}' of enum '${name}'`);
      } else {
        ctx.report(item.pos, `a value of enum '${name}' is a string or an object with 'name'`);
        continue;
      }
      checkEnumValueName(ctx, vname, item.pos, name);
      const clash = values.find((v) => cName(v.name) === cName(vname));
      if (clash) {
        ctx.report(item.pos, `value '${vname}' of enum '${name}' clashes with value '${clash.name}' at ${formatPos(clash.pos)}`);
        continue;
      }
      values.push({ name: vname, features: vfeatures, pos: item.pos, doc: '', ...(vcond ? { if: vcond } : {}) });
    }
    return { meta: 'enum', ...this.common, values, ...(prefix && prefix.value.kind === 'string' ? { prefix: prefix.value.value } : {}) };
  }

  private structDef(): StructDef | undefined {
    const { ctx, expr, name } = this;
    const members = parseMembers(ctx, this.uses, entryOf(expr, 'data')!.value, name, 'member');
    if (!members) return undefined;
    const baseEntry = entryOf(expr, 'base');
    let base: string | undefined;
    if (baseEntry) {
      const user = `'base' of struct '${name}'`;
      const ref = parseTypeRef(ctx, baseEntry.value, user, false);
      if (ref) {
        base = ref.name;
        this.uses.push({ ref, pos: baseEntry.value.pos, user, allow: 'struct' });
      }
    }
    return { meta: 'struct', ...this.common, members, ...(base ? { base } : {}) };
  }

  private unionDef(): UnionDef | undefined {
    const { ctx, expr, name } = this;
    const baseValue = entryOf(expr, 'base')!.value;
    let base: string;
    if (baseValue.kind === 'object') {
      const members = parseMembers(ctx, this.uses, baseValue, name, 'member');
      if (!members) return undefined;
      base = this.implicitStruct(`q_obj_${name}-base`, members, baseValue.pos).name;
    } else {
      const user = `'base' of union '${name}'`;
      const ref = parseTypeRef(ctx, baseValue, user, false);
      if (!ref) return undefined;
      base = ref.name;
      this.uses.push({ ref, pos: baseValue.pos, user, allow: 'struct' });
    }
    const discEntry = entryOf(expr, 'discriminator')!;
    if (discEntry.value.kind !== 'string') {
      ctx.report(discEntry.value.pos, `'discriminator' of union '${name}' must name a member of its base`);
      return undefined;
    }
    this.discriminatorPos = discEntry.value.pos;
    const data = entryOf(expr, 'data')!.value;
    if (data.kind !== 'object') {
      ctx.report(data.pos, `'data' of union '${name}' must be an object of branches`);
      return undefined;
    }
    const branches: UnionBranch[] = [];
    for (const e of data.entries) {
      const branch = this.branch(e.value, `branch '${e.key}' of union '${name}'`, 'branch');
      if (branch) branches.push({ name: e.key, type: branch.ref.name, pos: e.keyPos, ...(branch.cond ? { if: branch.cond } : {}) });
    }
    return { meta: 'union', ...this.common, base, discriminator: discEntry.value.value, discriminatorEnum: '', branches };
  }

  private alternateDef(): AlternateDef | undefined {
    const { ctx, expr, name } = this;
    const data = entryOf(expr, 'data')!.value;
    if (data.kind !== 'object' || data.entries.length === 0) {
      ctx.report(data.pos, `'data' of alternate '${name}' must be a non-empty object of branches`);
      return undefined;
    }
    const branches: AlternateBranch[] = [];
    for (const e of data.entries) {
      const user = `branch '${e.key}' of alternate '${name}'`;
      checkLowerName(ctx, e.key, e.keyPos, 'branch name');
      const branch = this.branch(e.value, user, 'alternate-branch');
      if (branch) branches.push({ name: e.key, type: branch.ref, pos: e.keyPos, ...(branch.cond ? { if: branch.cond } : {}) });
    }
    return { meta: 'alternate', ...this.common, branches };
  }

  /** A branch of a union or alternate: `'name': 'Type'` or `'name': { 'type', 'if' }`. */
  private branch(value: PValue, user: string, allow: 'branch' | 'alternate-branch'): { ref: TypeRef; cond?: IfCond } | undefined {
    let typeValue = value;
    let cond: IfCond | undefined;
    if (value.kind === 'object') {
      if (!checkKeys(this.ctx, value, user, ['type'], ['if'])) return undefined;
      typeValue = entryOf(value, 'type')!.value;
      cond = optionalIf(this.ctx, value, user);
    }
    const ref = parseTypeRef(this.ctx, typeValue, user, false);
    if (!ref) return undefined;
    this.uses.push({ ref, pos: typeValue.pos, user, allow });
    return { ref, ...(cond ? { cond } : {}) };
  }

  /**
   * The type of a command's or event's 'data': inline members become an
   * implicit struct, a name is checked once types are known. Undefined
   * without 'data', null when broken.
   */
  private dataType(meta: 'command' | 'event', boxed: boolean): string | undefined | null {
    const { ctx, expr, name } = this;
    const e = entryOf(expr, 'data');
    if (!e) {
      if (boxed) ctx.report(entryOf(expr, 'boxed')!.keyPos, `'boxed': true needs 'data' naming a type`);
      return undefined;
    }
    if (e.value.kind === 'object') {
      if (boxed) {
        ctx.report(e.value.pos, `'data' of boxed ${meta} '${name}' must name a struct or union, not list members`);
        return null;
      }
      const members = parseMembers(ctx, this.uses, e.value, name, meta === 'command' ? 'argument' : 'member');
      if (!members) return null;
      return this.implicitStruct(`q_obj_${name}-arg`, members, e.value.pos).name;
    }
    const user = `'data' of ${meta} '${name}'`;
    const ref = parseTypeRef(ctx, e.value, user, false);
    if (!ref) return null;
    this.uses.push({ ref, pos: e.value.pos, user, allow: boxed ? 'object' : 'struct' });
    return ref.name;
  }

  private commandDef(): CommandDef | undefined {
    const { ctx, expr, name } = this;
    const boxed = flag(ctx, expr, 'boxed', true);
    const allowOob = flag(ctx, expr, 'allow-oob', true);
    const coroutine = flag(ctx, expr, 'coroutine', true);
    if (allowOob && coroutine) ctx.report(entryOf(expr, 'coroutine')!.keyPos, "flags 'allow-oob' and 'coroutine' cannot be used together");
    const argType = this.dataType('command', boxed);
    if (argType === null) return undefined;
    let returns: TypeRef | undefined;
    const ret = entryOf(expr, 'returns');
    if (ret) {
      const user = `'returns' of command '${name}'`;
      returns = parseTypeRef(ctx, ret.value, user, true);
      if (!returns) return undefined;
      this.uses.push({ ref: returns, pos: ret.value.pos, user, allow: 'returns', command: name });
    }
    return {
      meta: 'command',
      ...this.common,
      ...(argType ? { argType } : {}),
      boxed,
      ...(returns ? { returns } : {}),
      allowOob,
      allowPreconfig: flag(ctx, expr, 'allow-preconfig', true),
      coroutine,
      successResponse: flag(ctx, expr, 'success-response', false),
      gen: flag(ctx, expr, 'gen', false),
    };
  }

  private eventDef(): EventDef | undefined {
    const boxed = flag(this.ctx, this.expr, 'boxed', true);
    const dataType = this.dataType('event', boxed);
    if (dataType === null) return undefined;
    return { meta: 'event', ...this.common, boxed, ...(dataType ? { dataType } : {}) };
  }
}
