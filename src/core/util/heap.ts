/**
 * A binary min-heap ordered by (at, prio, seq): the simulated event queue.
 * At one instant a lower `prio` runs first (GLib's priorities: an idle
 * source waits for every ready default-priority source).
 */
export interface Timed {
  at: number;
  /** 0 when absent. */
  prio?: number;
  seq: number;
}

export class TaskHeap<T extends Timed> {
  items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }

  clone(): TaskHeap<T> {
    const h = new TaskHeap<T>();
    h.items = this.items.map((x) => ({ ...x }));
    return h;
  }
}

function before(a: Timed, b: Timed): boolean {
  if (a.at !== b.at) return a.at < b.at;
  const pa = a.prio ?? 0;
  const pb = b.prio ?? 0;
  return pa !== pb ? pa < pb : a.seq < b.seq;
}
