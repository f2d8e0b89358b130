// Visitor: the checked schema as JSON Schema (draft-07, the dialect Monaco's
// JSON support understands), for one release predicate.
//
// Named types go under `definitions` and are referenced with `$ref`;
// implicit argument types are written inline. Members whose `if` does not
// hold are left out, so the editor offers exactly what that release takes.

import type { Definition, Member, Schema, TypeRef, UnionDef } from './ir.ts';
import { effectiveMembers, enabledBranches, enabledCommands, enabledEnumValues, evalIf, lookup, type CondPredicate } from './query.ts';

/** A JSON Schema node; loose on purpose, it is data for an editor. */
export type JsonSchema = { [keyword: string]: unknown };

export interface JsonSchemaOptions {
  cond: CondPredicate;
}

export const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

const INTEGER_RANGES: Record<string, [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};

/** Doc text as one line per paragraph: the editor shows descriptions as plain text. */
export function plainDescription(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter((p) => p)
    .join('\n\n');
}

function withDescription(node: JsonSchema, text: string): JsonSchema {
  const description = plainDescription(text);
  if (!description) return node;
  // In draft-07 keywords beside $ref are ignored, so wrap the reference.
  if ('$ref' in node) return { allOf: [node], description };
  return { ...node, description };
}

class Builder {
  readonly definitions: Record<string, JsonSchema> = {};
  private readonly pending = new Set<string>();

  constructor(
    private readonly schema: Schema,
    private readonly cond: CondPredicate,
  ) {}

  private def(name: string): Definition {
    const d = lookup(this.schema, name);
    if (!d) throw new Error(`'${name}' is not in the schema`);
    return d;
  }

  typeRef(ref: TypeRef): JsonSchema {
    const element = this.named(ref.name);
    return ref.array ? { type: 'array', items: element } : element;
  }

  named(name: string): JsonSchema {
    const builtin = builtinSchema(name);
    if (builtin) return builtin;
    const def = this.def(name);
    if (def.implicitOwner) return this.body(def);
    if (!(name in this.definitions) && !this.pending.has(name)) {
      this.pending.add(name);
      this.definitions[name] = this.body(def);
      this.pending.delete(name);
    }
    return { $ref: `#/definitions/${name}` };
  }

  private body(def: Definition): JsonSchema {
    const summary = def.doc ? plainDescription(def.doc.summary) : '';
    const described = (node: JsonSchema) => (summary ? { ...node, description: summary } : node);
    switch (def.meta) {
      case 'enum': {
        const values = enabledEnumValues(this.schema, def.name, this.cond);
        const node: JsonSchema = { type: 'string', enum: values.map((v) => v.name) };
        const docs = values.map((v) => plainDescription(v.doc));
        if (docs.some((d) => d)) node['enumDescriptions'] = docs;
        return described(node);
      }
      case 'struct':
        return described(this.objectSchema(effectiveMembers(this.schema, def.name, this.cond)));
      case 'union':
        return described(this.unionSchema(def));
      case 'alternate':
        return described({ anyOf: def.branches.filter((b) => evalIf(b.if, this.cond)).map((b) => this.typeRef(b.type)) });
      default:
        throw new Error(`'${def.name}' is a ${def.meta}, not a type`);
    }
  }

  member(m: Member): JsonSchema {
    let node = withDescription(this.typeRef(m.type), m.doc);
    const deprecated = m.features.find((f) => f.name === 'deprecated' && evalIf(f.if, this.cond));
    if (deprecated) node = { ...node, deprecated: true, deprecationMessage: `'${m.name}' is deprecated in this release.` };
    return node;
  }

  objectSchema(members: Member[], overrides: Record<string, JsonSchema> = {}): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    for (const m of members) properties[m.name] = overrides[m.name] ?? this.member(m);
    const required = members.filter((m) => !m.optional).map((m) => m.name);
    return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
  }

  private unionSchema(def: UnionDef): JsonSchema {
    const base = effectiveMembers(this.schema, def.name, this.cond);
    const values = enabledEnumValues(this.schema, def.discriminatorEnum, this.cond).map((v) => v.name);
    const branches = enabledBranches(this.schema, def.name, this.cond);
    const discDoc = base.find((m) => m.name === def.discriminator)?.doc ?? '';
    const discriminator = (allowed: string[]): JsonSchema =>
      withDescription(allowed.length === 1 ? { type: 'string', const: allowed[0] } : { type: 'string', enum: allowed }, discDoc);
    const variants: JsonSchema[] = branches.map((b) =>
      this.objectSchema(effectiveMembers(this.schema, def.name, this.cond, b.name), { [def.discriminator]: discriminator([b.name]) }),
    );
    const plain = values.filter((v) => !branches.some((b) => b.name === v));
    if (plain.length) variants.push(this.objectSchema(base, { [def.discriminator]: discriminator(plain) }));
    if (variants.length === 1) return variants[0]!;
    return { type: 'object', oneOf: variants };
  }
}

function builtinSchema(name: string): JsonSchema | null {
  switch (name) {
    case 'str':
      return { type: 'string' };
    case 'bool':
      return { type: 'boolean' };
    case 'number':
      return { type: 'number' };
    case 'null':
      return { type: 'null' };
    case 'any':
      return {};
    case 'int':
    case 'int64':
    case 'uint64':
    case 'size':
      // QEMU takes 64-bit values (uint64 even takes negatives, modulo 2^64);
      // JavaScript numbers cannot state those bounds exactly, so none are given.
      return { type: 'integer' };
  }
  const range = INTEGER_RANGES[name];
  return range ? { type: 'integer', minimum: range[0], maximum: range[1] } : null;
}

/** JSON Schema for a value of `typeName` (`[T]` for an array) under `opts.cond`. */
export function typeJsonSchema(schema: Schema, typeName: string, opts: JsonSchemaOptions): JsonSchema {
  const b = new Builder(schema, opts.cond);
  const array = typeName.startsWith('[') && typeName.endsWith(']');
  const name = array ? typeName.slice(1, -1) : typeName;
  const root = b.typeRef({ name, array, builtin: builtinSchema(name) !== null });
  return { $schema: JSON_SCHEMA_DIALECT, ...root, definitions: b.definitions };
}

function commandArguments(b: Builder, schema: Schema, def: Definition & { meta: 'command' }, cond: CondPredicate): { node: JsonSchema; required: boolean } {
  if (!def.argType) return { node: { type: 'object', properties: {}, additionalProperties: false }, required: false };
  const argDef = lookup(schema, def.argType)!;
  const node = b.named(def.argType);
  const required =
    argDef.meta === 'union' ||
    effectiveMembers(schema, def.argType, cond).some((m) => !m.optional);
  return { node, required };
}

/**
 * JSON Schema for one QMP request: `{"execute": name, "arguments": {...}, "id": any}`,
 * one alternative per command that exists under `opts.cond`.
 */
export function qmpCommandJsonSchema(schema: Schema, opts: JsonSchemaOptions): JsonSchema {
  const b = new Builder(schema, opts.cond);
  const alternatives: JsonSchema[] = [];
  for (const def of enabledCommands(schema, opts.cond)) {
    if (def.meta !== 'command') continue;
    const args = commandArguments(b, schema, def, opts.cond);
    const summary = def.doc ? plainDescription(def.doc.summary) : '';
    alternatives.push({
      type: 'object',
      properties: {
        execute: { const: def.name, ...(summary ? { description: summary } : {}) },
        arguments: args.node,
        id: { description: 'Any JSON value; QEMU copies it into the reply.' },
      },
      required: args.required ? ['execute', 'arguments'] : ['execute'],
      additionalProperties: false,
    });
  }
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'QMP command',
    type: 'object',
    oneOf: alternatives,
    definitions: b.definitions,
  };
}
