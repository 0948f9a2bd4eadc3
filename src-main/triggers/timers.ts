// The trigger engine's timers in event time: a binary min-heap of due items (carts' pay windows,
// visits' watch thresholds, suggestions' expiry, attribution windows), popped in order of due time
// and, at equal times, of insertion, so that processing is the same on every replay.

interface Entry<T> {
  due: number;
  seq: number;
  item: T;
}

export class Timers<T> {
  private readonly heap: Entry<T>[] = [];
  private seq = 0;

  push(due: number, item: T): void {
    const heap = this.heap;
    const entry = { due, seq: this.seq++, item };
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  }

  /** The earliest item due strictly before `now`, removed; undefined when none is. */
  popBefore(now: number): T | undefined {
    const heap = this.heap;
    if (heap.length === 0 || heap[0].due >= now) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const child = left + 1 < heap.length && before(heap[left + 1], heap[left]) ? left + 1 : left;
        if (!before(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top.item;
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
