// QObjects: JSON values the way QEMU holds them after parsing (qobject/),
// for the input visitor. Numbers keep QEMU's distinction of int64, uint64
// and double; objects keep their key order.

export type QObj =
  | { t: 'dict'; keys: string[]; map: Map<string, QObj> }
  | { t: 'list'; items: QObj[] }
  | { t: 'str'; v: string }
  | { t: 'num'; kind: 'int' | 'uint' | 'double'; v: bigint | number }
  | { t: 'bool'; v: boolean }
  | { t: 'null' };

export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;
export const UINT64_MAX = (1n << 64n) - 1n;

/** The value given is not JSON data (a function, an infinite number...). */
export class NotJsonError extends Error {}

/** Models how QEMU's JSON parser stores a number: int64 if it fits, else uint64, else double. */
export function qnum(v: number | bigint): QObj {
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
export function toQObj(value: unknown): QObj {
  if (value === null) return { t: 'null' };
  switch (typeof value) {
    case 'string':
      return { t: 'str', v: value };
    case 'boolean':
      return { t: 'bool', v: value };
    case 'number':
      // QEMU's parser reads an overflowing number such as 1e999 as an infinite double.
      if (Number.isNaN(value)) throw new NotJsonError(`${value} is not a JSON number`);
      if (!Number.isFinite(value)) return { t: 'num', kind: 'double', v: value };
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

export function fromQObj(q: QObj): unknown {
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

export function toNumberIfSafe(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
