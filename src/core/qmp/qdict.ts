/**
 * QEMU writes a JSON object's members in its QDict's iteration order
 * (src/qapi/qdict-order.ts reproduces it). The monitor builds replies and
 * events in QEMU's insertion order and passes them through `inQemuOrder`,
 * so output matches real QEMU's byte for byte.
 */
import { qdictKeyOrder } from '../../qapi/qdict-order.ts';

export { qdictKeyOrder };

/**
 * Rebuilds a JSON value so every object's members follow QDict order,
 * taking each object's current member order as QEMU's insertion order.
 */
export function inQemuOrder<T>(value: T): T {
  if (Array.isArray(value)) return (value as unknown[]).map((v) => inQemuOrder(v)) as T;
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
