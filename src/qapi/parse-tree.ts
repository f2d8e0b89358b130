// What the parser makes of the schema text: JSON-like values that remember
// where each was written, before any meaning is given to them.

import type { Doc, SourcePos } from './ir.ts';

export interface PString {
  kind: 'string';
  value: string;
  pos: SourcePos;
}
export interface PBool {
  kind: 'bool';
  value: boolean;
  pos: SourcePos;
}
export interface PEntry {
  key: string;
  keyPos: SourcePos;
  value: PValue;
}
export interface PObject {
  kind: 'object';
  entries: PEntry[];
  pos: SourcePos;
}
export interface PArray {
  kind: 'array';
  items: PValue[];
  pos: SourcePos;
}
export type PValue = PString | PBool | PObject | PArray;

/** A top-level definition expression with the doc block written right before it. */
export interface ParsedExpr {
  expr: PObject;
  doc: Doc | null;
  /** The block before it had an error (already reported). */
  docBroken?: boolean;
}

/** The entry of `key` in a parsed object, if it has one. */
export function entryOf(obj: PObject, key: string): PEntry | undefined {
  return obj.entries.find((e) => e.key === key);
}
