/** An array kept in the order of a total comparator, updated in place (binary search + splice). */
export class SortedList<T> {
  readonly items: T[] = [];

  constructor(private readonly cmp: (a: T, b: T) => number) {}

  /** Where `x` is or would go. */
  private position(x: T): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cmp(this.items[mid]!, x) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(x: T): void {
    this.items.splice(this.position(x), 0, x);
  }

  /** Removes the element equal (by the comparator) to `x`, if present. */
  remove(x: T): void {
    const i = this.position(x);
    if (i < this.items.length && this.cmp(this.items[i]!, x) === 0) this.items.splice(i, 1);
  }

  /** Replaces everything at once (sorting once is cheaper than inserting one by one). */
  reset(xs: T[]): void {
    this.items.length = 0;
    for (const x of xs.sort(this.cmp)) this.items.push(x);
  }
}
