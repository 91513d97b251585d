/**
 * Miner handles of clustered records in record order, 4 bytes a record: `errors --annotate`
 * remembers each record's cluster from its first pass and names it in the second, so every
 * counted record is annotated exactly once, with the cluster the result reports for it.
 */
export class HandleList {
  private items = new Int32Array(1024);
  length = 0;

  push(handle: number): void {
    if (this.length === this.items.length) {
      const bigger = new Int32Array(this.items.length * 2);
      bigger.set(this.items);
      this.items = bigger;
    }
    this.items[this.length++] = handle;
  }

  at(i: number): number {
    return this.items[i];
  }
}
