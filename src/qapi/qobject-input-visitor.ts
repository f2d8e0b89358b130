// QEMU's QObject input visitor (qapi/qobject-input-visitor.c), both
// flavours: strict JSON types for QMP, strings parsed as numbers and
// booleans for keyval (-netdev option strings). It walks a QObject as the
// generated visit code asks, member by member, and words every refusal as
// QEMU does; the first refusal ends the visit with a VisitError.

import { fromQObj, type QObj } from './qobject.ts';
import { strtodFinite, strtoi64, strtosz, strtou64 } from './cnum.ts';
import { GStrHashTable, qdictKeyOrder } from './qdict-order.ts';

/** A refusal, with QEMU's exact text. */
export class VisitError extends Error {}

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

export class QObjectInputVisitor {
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
