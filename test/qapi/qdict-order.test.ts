import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GStrHashTable, gStrHash, qdictKeyOrder, tdbHash } from '../../src/qapi/qdict-order.ts';

/*
 * Every expected value here comes from outside src/qapi/qdict-order.ts:
 * member orders QEMU printed in the recordings (content/conformance), and
 * constants computed by a separate C program that runs QEMU's tdb_hash()
 * and its 512 bucket lists (qobject/qdict.c, QLIST_INSERT_HEAD) and GLib's
 * g_str_hash() as written in their sources.
 */

const CONFORMANCE = new URL('../../content/conformance/', import.meta.url).pathname;

function recordings(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return recordings(p);
    return f.endsWith('.jsonl') ? [p] : [];
  });
}

/** Member lists, in QEMU's printed order, of every object QEMU sent in the recordings. */
function printedOrders(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x !== null && typeof x === 'object') {
      const keys = Object.keys(x);
      if (keys.length > 1) out.set(keys.join(','), keys);
      Object.values(x).forEach(walk);
    }
  };
  for (const file of recordings(CONFORMANCE)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const entry = JSON.parse(line) as { dir?: string; msg?: unknown };
      if (entry.dir === '<-') walk(entry.msg);
    }
  }
  return out;
}

/**
 * The order QEMU's output visitor adds members, where it matters: minor
 * and micro share a bucket (tdb_hash % 512 = 225), so VersionTriple's
 * schema order decides which of the two comes first. For every other
 * recorded member set no two members share a bucket.
 */
const INSERTION_ORDER: Record<string, string[]> = { 'micro,minor,major': ['major', 'minor', 'micro'] };

describe('QDict member order', () => {
  const printed = printedOrders();

  it('finds the member orders QEMU printed in the recordings', () => {
    expect(printed.size).toBeGreaterThanOrEqual(10);
    expect([...printed.keys()]).toContain('timestamp,event,data');
  });

  for (const [key, order] of printed) {
    it(`prints {${key}} in the order QEMU printed it`, () => {
      const inserted = INSERTION_ORDER[key] ?? [...order].sort();
      expect(qdictKeyOrder(inserted)).toEqual(order);
    });
  }

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
    expect(qdictKeyOrder(['type', 'path', 'type'])).toEqual(['path', 'type']);
  });

  it('lists the most recent key first within one bucket (minor and micro share bucket 225)', () => {
    expect(qdictKeyOrder(['minor', 'micro'])).toEqual(['micro', 'minor']);
    expect(qdictKeyOrder(['micro', 'minor'])).toEqual(['minor', 'micro']);
  });

  it('orders the members of netdev_add as QEMU 7.2 keeps them (computed by the C program)', () => {
    expect(qdictKeyOrder(['id', 'type', 'server', 'addr', 'reconnect', 'reconnect-ms'])).toEqual([
      'addr',
      'reconnect-ms',
      'server',
      'type',
      'reconnect',
      'id',
    ]);
  });
});

describe('hash functions', () => {
  it.each([
    ['a', 155874025],
    ['netdev-id', 1619287236],
    ['timestamp', 1682360858],
    ['é', 3516110948],
    ['major', 1142610401],
    ['minor', 1867511009],
    ['micro', 459673825],
  ])("computes QEMU's tdb_hash(%j) = %d", (key, hash) => {
    expect(tdbHash(key)).toBe(hash);
  });

  it.each([
    ['', 5381],
    ['a', 177670],
    ['netdev-id', 127576357],
    ['timestamp', 1543978521],
    // A byte >= 0x80 counts as negative (signed char): 'é' is C3 A9 in UTF-8.
    ['é', 5857809],
  ])("computes GLib's g_str_hash(%j) = %d", (key, hash) => {
    expect(gStrHash(key)).toBe(hash);
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
    // netdev_add's members in QEMU's QDict order (see above), as the keyval visitor walks them.
    for (const k of ['addr', 'reconnect-ms', 'server', 'type', 'reconnect', 'id']) h.insert(k);
    for (const k of ['id', 'type', 'addr', 'server']) h.remove(k);
    expect(h.first()).toBe('reconnect-ms');
  });
});
