// Iteration orders of QEMU's QDict and GLib's GHashTable, reproduced so that
// "which unexpected member is reported first" and "in which order a reply's
// members are printed" match real QEMU.
//
// QDict (qobject/qdict.c): 512 buckets chosen by tdb_hash(key) % 512; a new
// key goes to the head of its bucket's list; iteration walks buckets in
// ascending order, each list from head to tail.
//
// GHashTable (glib/ghash.c, GLib 2.60 and later, unchanged through the GLib
// versions of the QEMU builds we recorded): open addressing with quadratic
// probing, g_str_hash over signed chars, a prime modulus for the first
// bucket, in-place rehash on grow/shrink; iteration walks buckets 0..size-1.

const encoder = new TextEncoder();

function bytesOf(key: string): Uint8Array {
  return encoder.encode(key);
}

/** QEMU's tdb_hash() over the UTF-8 bytes of `key` (32-bit unsigned). */
export function tdbHash(key: string): number {
  const bytes = bytesOf(key);
  let value = Math.imul(0x238f13af, bytes.length) >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    value = (value + ((bytes[i]! << ((i * 5) % 24)) >>> 0)) >>> 0;
  }
  return (Math.imul(1103515243, value) + 12345) >>> 0;
}

export const QDICT_BUCKETS = 512;

/**
 * The order in which a QDict built by inserting `keys` in this order (later
 * duplicates replace the value in place) iterates its keys.
 */
export function qdictKeyOrder(keys: readonly string[]): string[] {
  const buckets = new Map<number, string[]>();
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    const b = tdbHash(key) % QDICT_BUCKETS;
    const list = buckets.get(b);
    if (list) list.unshift(key);
    else buckets.set(b, [key]);
  }
  return [...buckets.keys()].sort((a, b) => a - b).flatMap((b) => buckets.get(b)!);
}

/** GLib's g_str_hash(): djb2 over signed chars (32-bit unsigned). */
export function gStrHash(key: string): number {
  let h = 5381;
  for (const byte of bytesOf(key)) {
    const signed = byte >= 128 ? byte - 256 : byte;
    h = (Math.imul(h, 33) + signed) >>> 0;
  }
  return h;
}

const PRIME_MOD = [
  1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071, 262139, 524287, 1048573,
  2097143, 4194301, 8388593, 16777213, 33554393, 67108859, 134217689, 268435399, 536870909, 1073741789, 2147483647,
];
const MIN_SHIFT = 3;
const UNUSED = 0;
const TOMBSTONE = 1;

/** A GHashTable of string keys (g_str_hash/g_str_equal), enough to know its iteration order. */
export class GStrHashTable {
  private size = 0;
  private mod = 0;
  private mask = 0;
  private nnodes = 0;
  private noccupied = 0;
  private hashes: number[] = [];
  private keys: (string | null)[] = [];

  constructor() {
    this.setShift(MIN_SHIFT);
    this.hashes = new Array<number>(this.size).fill(UNUSED);
    this.keys = new Array<string | null>(this.size).fill(null);
  }

  private setShift(shift: number): void {
    this.size = 1 << shift;
    this.mod = PRIME_MOD[shift]!;
    this.mask = this.size - 1;
  }

  private setShiftFromSize(n: number): void {
    let shift = 0;
    for (; n; shift++) n >>= 1;
    this.setShift(Math.max(shift, MIN_SHIFT));
  }

  private hashToIndex(hash: number): number {
    return (Math.imul(hash, 11) >>> 0) % this.mod;
  }

  /** Index holding `key`, or where it would go (first tombstone on the probe path, else the empty slot). */
  private lookupNode(key: string): { index: number; hash: number } {
    let hash = gStrHash(key);
    if (hash < 2) hash = 2;
    let index = this.hashToIndex(hash);
    let step = 0;
    let firstTombstone = -1;
    let nodeHash = this.hashes[index]!;
    while (nodeHash !== UNUSED) {
      if (nodeHash === hash && this.keys[index] === key) return { index, hash };
      if (nodeHash === TOMBSTONE && firstTombstone < 0) firstTombstone = index;
      step++;
      index = (index + step) & this.mask;
      nodeHash = this.hashes[index]!;
    }
    return { index: firstTombstone >= 0 ? firstTombstone : index, hash };
  }

  insert(key: string): void {
    const { index, hash } = this.lookupNode(key);
    const old = this.hashes[index]!;
    if (old >= 2) return; // already there: g_hash_table_insert keeps the old key
    this.hashes[index] = hash;
    this.keys[index] = key;
    this.nnodes++;
    if (old === UNUSED) {
      this.noccupied++;
      this.maybeResize();
    }
  }

  remove(key: string): boolean {
    const { index } = this.lookupNode(key);
    if (this.hashes[index]! < 2) return false;
    this.hashes[index] = TOMBSTONE;
    this.keys[index] = null;
    this.nnodes--;
    this.maybeResize();
    return true;
  }

  /** The key g_hash_table_iter_next() returns first, if any. */
  first(): string | undefined {
    for (let i = 0; i < this.size; i++) if (this.hashes[i]! >= 2) return this.keys[i]!;
    return undefined;
  }

  /** All keys in iteration order. */
  entries(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.size; i++) if (this.hashes[i]! >= 2) out.push(this.keys[i]!);
    return out;
  }

  private maybeResize(): void {
    const { size, noccupied } = this;
    if ((size > this.nnodes * 4 && size > 1 << MIN_SHIFT) || size <= noccupied + Math.floor(noccupied / 16)) this.resize();
  }

  private resize(): void {
    const oldSize = this.size;
    this.setShiftFromSize(Math.trunc(this.nnodes * 1.333));
    if (this.size > oldSize) {
      for (let i = oldSize; i < this.size; i++) {
        this.hashes.push(UNUSED);
        this.keys.push(null);
      }
    }
    const relocated = new Array<boolean>(Math.max(this.size, oldSize)).fill(false);
    for (let i = 0; i < oldSize; i++) {
      let nodeHash = this.hashes[i]!;
      if (nodeHash < 2) {
        this.hashes[i] = UNUSED;
        continue;
      }
      if (relocated[i]) continue;
      this.hashes[i] = UNUSED;
      let key = this.keys[i]!;
      this.keys[i] = null;
      for (;;) {
        let index = this.hashToIndex(nodeHash);
        let step = 0;
        while (relocated[index]) {
          step++;
          index = (index + step) & this.mask;
        }
        relocated[index] = true;
        const replacedHash = this.hashes[index]!;
        const replacedKey = this.keys[index]!;
        this.hashes[index] = nodeHash;
        this.keys[index] = key;
        if (replacedHash < 2) break;
        nodeHash = replacedHash;
        key = replacedKey;
      }
    }
    if (this.size < oldSize) {
      this.hashes.length = this.size;
      this.keys.length = this.size;
    }
    this.noccupied = this.nnodes;
  }
}
