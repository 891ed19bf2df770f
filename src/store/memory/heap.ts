/**
 * A binary min-heap under a caller-given order. The job index keeps its claim order in heaps so a
 * claim costs O(log n) per job taken instead of a scan of every job.
 */
export type Compare<T> = (a: T, b: T) => number;

/** A min-heap: `peek`/`pop` give the smallest item by `compare`. */
export class Heap<T> {
  private items: T[] = [];

  constructor(private readonly compare: Compare<T>) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    this.siftUp(this.items.length - 1);
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last !== undefined) {
      this.items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Keeps only the items `keep` accepts, in O(n): used to drop stale entries in bulk. */
  retain(keep: (item: T) => boolean): void {
    this.items = this.items.filter(keep);
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** Every item, in no particular order. */
  values(): readonly T[] {
    return this.items;
  }

  private less(i: number, j: number): boolean {
    return this.compare(this.items[i] as T, this.items[j] as T) < 0;
  }

  private swap(i: number, j: number): void {
    const item = this.items[i] as T;
    this.items[i] = this.items[j] as T;
    this.items[j] = item;
  }

  private siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const n = this.items.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.less(left, smallest)) smallest = left;
      if (right < n && this.less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
