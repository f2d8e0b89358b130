import { describe, expect, it } from 'vitest';
import { GStrHashTable, gStrHash, qdictKeyOrder, tdbHash } from '../../src/qapi/qdict-order.ts';

describe('QDict member order', () => {
  // Insertion order = the order QEMU's output visitor adds members (schema
  // order); expected = member order in QEMU's own JSON, as recorded in
  // content/conformance or printed in QEMU's qapi/net.json examples.
  it.each([
    [['type', 'path'], ['path', 'type']],
    [['type', 'host', 'port', 'ipv4'], ['port', 'ipv4', 'host', 'type']],
    [['type', 'host', 'port', 'ipv6'], ['port', 'ipv6', 'host', 'type']],
    [['event', 'timestamp', 'data'], ['timestamp', 'event', 'data']],
    [['seconds', 'microseconds'], ['seconds', 'microseconds']],
    [['major', 'minor', 'micro'], ['micro', 'minor', 'major']],
    [['qemu', 'package'], ['qemu', 'package']],
    [['class', 'desc'], ['class', 'desc']],
    [['netdev-id', 'addr'], ['netdev-id', 'addr']],
  ])('prints %j as QEMU does: %j', (inserted, printed) => {
    expect(qdictKeyOrder(inserted)).toEqual(printed);
  });

  it('keeps the first position of a key inserted twice', () => {
    expect(qdictKeyOrder(['type', 'path', 'type'])).toEqual(qdictKeyOrder(['type', 'path']));
  });

  it('lists the most recent key first within one bucket', () => {
    // Find two keys sharing a bucket (tdb_hash % 512) and check both orders.
    const byBucket = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const key = `k${i}`;
      const b = tdbHash(key) % 512;
      const other = byBucket.get(b);
      if (other) pair = [other, key];
      else byBucket.set(b, key);
    }
    expect(qdictKeyOrder(pair)).toEqual([pair[1], pair[0]]);
    expect(qdictKeyOrder([pair[1], pair[0]])).toEqual(pair);
  });
});

describe('hash functions', () => {
  it('computes g_str_hash over signed chars', () => {
    expect(gStrHash('')).toBe(5381);
    expect(gStrHash('a')).toBe(5381 * 33 + 97);
    // A byte >= 0x80 counts as negative: 'é' is C3 A9 in UTF-8.
    expect(gStrHash('é')).toBe(((5381 * 33 + (0xc3 - 256)) * 33 + (0xa9 - 256)) >>> 0);
  });

  it('computes tdb_hash in 32-bit unsigned arithmetic', () => {
    const expected = (Math.imul(1103515243, (Math.imul(0x238f13af, 1) + 97) >>> 0) + 12345) >>> 0;
    expect(tdbHash('a')).toBe(expected);
  });
});

describe('GHashTable iteration', () => {
  it('iterates every key once, whatever the growth and shrinking on the way', () => {
    const h = new GStrHashTable();
    const keys = Array.from({ length: 40 }, (_, i) => `member-${i}`);
    keys.forEach((k) => h.insert(k));
    expect([...h.entries()].sort()).toEqual([...keys].sort());
    keys.slice(0, 37).forEach((k) => expect(h.remove(k)).toBe(true));
    expect([...h.entries()].sort()).toEqual(keys.slice(37).sort());
    expect(h.first()).toBe(h.entries()[0]);
    expect(h.remove('member-0')).toBe(false);
  });

  it('reports reconnect-ms before reconnect once the visited members are gone (QEMU 7.2, recorded)', () => {
    const h = new GStrHashTable();
    for (const k of qdictKeyOrder(['id', 'type', 'server', 'addr', 'reconnect', 'reconnect-ms'])) h.insert(k);
    for (const k of ['id', 'type', 'addr', 'server']) h.remove(k);
    expect(h.first()).toBe('reconnect-ms');
  });
});
