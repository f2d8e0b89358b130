/**
 * QEMU keeps JSON objects in a QDict: a 512-bucket hash table whose
 * iteration order (bucket ascending, newest entry first within a bucket)
 * is the member order QEMU writes on the wire. Reproducing it keeps our
 * output byte-for-byte comparable with real QEMU's.
 */

const QDICT_BUCKETS = 512;

/** QEMU's tdb_hash() over the UTF-8 bytes of `key` (32-bit arithmetic). */
export function tdbHash(key: string): number {
  const bytes = utf8(key);
  let value = Math.imul(0x238f13af, bytes.length) >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    value = (value + ((bytes[i]! << ((i * 5) % 24)) >>> 0)) >>> 0;
  }
  return (Math.imul(1103515243, value) + 12345) >>> 0;
}

export function qdictBucket(key: string): number {
  return tdbHash(key) % QDICT_BUCKETS;
}

/**
 * The order QEMU iterates keys that were inserted in `insertionOrder`.
 * A key inserted twice keeps its first position (QEMU replaces the value).
 */
export function qdictKeyOrder(insertionOrder: readonly string[]): string[] {
  const seen = new Set<string>();
  const entries: { key: string; bucket: number; index: number }[] = [];
  insertionOrder.forEach((key, index) => {
    if (seen.has(key)) return;
    seen.add(key);
    entries.push({ key, bucket: qdictBucket(key), index });
  });
  entries.sort((a, b) => a.bucket - b.bucket || b.index - a.index);
  return entries.map((e) => e.key);
}

/**
 * Rebuilds a JSON value so every object's members follow QDict order,
 * taking each object's current member order as QEMU's insertion order.
 */
export function inQemuOrder<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => inQemuOrder(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of cachedOrder(Object.keys(src))) out[key] = inQemuOrder(src[key]);
  return out as T;
}

/** Messages repeat the same few member sets: remember their order. */
const orderCache = new Map<string, string[]>();
function cachedOrder(keys: string[]): string[] {
  const sig = keys.join('\u0000');
  let order = orderCache.get(sig);
  if (!order) {
    order = qdictKeyOrder(keys);
    if (orderCache.size > 1000) orderCache.clear();
    orderCache.set(sig, order);
  }
  return order;
}

const encoder = new TextEncoder();
const cache = new Map<string, Uint8Array>();
function utf8(s: string): Uint8Array {
  let b = cache.get(s);
  if (!b) {
    b = encoder.encode(s);
    if (cache.size < 4096) cache.set(s, b);
  }
  return b;
}
