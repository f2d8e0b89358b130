// The checked, normalised form of a QAPI schema: what every visitor reads.
// Plain data only (no classes, no Maps), so that it survives JSON.stringify
// and JSON.parse unchanged; see schema-json.ts.

/** Where something was written: file as passed to readFile, 1-based line and column. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/**
 * An `'if'` condition, kept as the tree the schema wrote.
 * Symbols named `QEMU_<major>_<minor>` mean "the modelled release is at least
 * major.minor"; any other symbol is a build condition the caller decides.
 */
export type IfCond =
  | { op: 'name'; name: string }
  | { op: 'all'; args: IfCond[] }
  | { op: 'any'; args: IfCond[] }
  | { op: 'not'; arg: IfCond };

export const BUILTIN_TYPES = [
  'str',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'size',
  'number',
  'bool',
  'any',
  'null',
] as const;
export type BuiltinType = (typeof BUILTIN_TYPES)[number];

/** A reference to a type: a builtin or named element type, possibly as an array of it. */
export interface TypeRef {
  name: string;
  array: boolean;
  builtin: boolean;
}

export interface Feature {
  name: string;
  if?: IfCond;
  pos: SourcePos;
}

/** A described item inside a doc block: a member, an enum value or a feature. */
export interface DocItem {
  name: string;
  text: string;
  pos: SourcePos;
}

export type DocSectionTag = 'Since' | 'Returns' | 'Errors' | 'Notes' | 'Example';

export interface DocSection {
  tag: DocSectionTag;
  text: string;
  pos: SourcePos;
}

/** A documentation block (`##` ... `##`). */
export interface Doc {
  pos: SourcePos;
  /** The `@Name:` of a definition block; null for free-form blocks. */
  symbol: string | null;
  /** First paragraph of free text. */
  summary: string;
  /** Further free-text paragraphs, separated by blank lines. */
  body: string;
  members: DocItem[];
  features: DocItem[];
  sections: DocSection[];
}

export interface Member {
  name: string;
  type: TypeRef;
  optional: boolean;
  if?: IfCond;
  features: Feature[];
  pos: SourcePos;
  /** Text of the `@name:` paragraph of the doc block that documents this member. */
  doc: string;
}

export interface EnumValue {
  name: string;
  if?: IfCond;
  features: Feature[];
  pos: SourcePos;
  doc: string;
}

export interface UnionBranch {
  /** The discriminator value this branch is for. */
  name: string;
  /** A struct type (never an array). */
  type: string;
  if?: IfCond;
  pos: SourcePos;
}

export interface AlternateBranch {
  name: string;
  type: TypeRef;
  if?: IfCond;
  pos: SourcePos;
}

interface DefinitionBase {
  name: string;
  pos: SourcePos;
  if?: IfCond;
  features: Feature[];
  /** Null for implicit types and for definitions written without a doc block. */
  doc: Doc | null;
  /**
   * Set on implicit object types made from inline `data` or `base`
   * (named like QEMU's `q_obj_<owner>-arg` / `q_obj_<owner>-base`): the
   * definition whose doc block documents the members.
   */
  implicitOwner?: string;
}

export interface EnumDef extends DefinitionBase {
  meta: 'enum';
  values: EnumValue[];
  prefix?: string;
}

export interface StructDef extends DefinitionBase {
  meta: 'struct';
  base?: string;
  /** Own members only; a base's members come first when visiting. */
  members: Member[];
}

export interface UnionDef extends DefinitionBase {
  meta: 'union';
  /** A struct (possibly implicit) holding the common members, discriminator included. */
  base: string;
  discriminator: string;
  /** The discriminator's enum type. */
  discriminatorEnum: string;
  /** Explicit branches, in schema order. Enum values without a branch have no members. */
  branches: UnionBranch[];
}

export interface AlternateDef extends DefinitionBase {
  meta: 'alternate';
  branches: AlternateBranch[];
}

export interface CommandDef extends DefinitionBase {
  meta: 'command';
  /** Struct or union visited for the arguments (implicit struct for inline data). */
  argType?: string;
  boxed: boolean;
  returns?: TypeRef;
  allowOob: boolean;
  allowPreconfig: boolean;
  coroutine: boolean;
  successResponse: boolean;
  gen: boolean;
}

export interface EventDef extends DefinitionBase {
  meta: 'event';
  dataType?: string;
  boxed: boolean;
}

export type Definition = EnumDef | StructDef | UnionDef | AlternateDef | CommandDef | EventDef;
export type Meta = Definition['meta'];

export interface Pragmas {
  docRequired: boolean;
  commandNameExceptions: string[];
  commandReturnsExceptions: string[];
  memberNameExceptions: string[];
}

/** A free-form doc block (a heading or prose between definitions). */
export interface FreeDoc {
  doc: Doc;
  /** Name of the next definition after it in source order, if any. */
  before: string | null;
}

export interface Schema {
  /** Entry file as passed to loadSchema. */
  entry: string;
  /** Files read, in the order they were included. */
  files: string[];
  pragmas: Pragmas;
  /** Every definition, implicit ones included, in source order. */
  definitions: Definition[];
  freeDocs: FreeDoc[];
}
