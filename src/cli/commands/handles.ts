import type { PatternHandles } from '../../analyze/lib/pattern-miner.js';

/**
 * Miner handles of clustered records in record order, 8 bytes a record (message and cause
 * handles): `errors --annotate` remembers each record's pattern from its first pass and names it
 * in the second, so every counted record is annotated exactly once, with the pattern the result
 * reports for it.
 */
export class HandleList {
  private items = new Int32Array(2048);
  length = 0;

  push(h: PatternHandles): void {
    if (2 * this.length === this.items.length) {
      const bigger = new Int32Array(this.items.length * 2);
      bigger.set(this.items);
      this.items = bigger;
    }
    this.items[2 * this.length] = h.message;
    this.items[2 * this.length + 1] = h.cause;
    this.length++;
  }

  at(i: number): PatternHandles {
    return { message: this.items[2 * i], cause: this.items[2 * i + 1] };
  }
}
