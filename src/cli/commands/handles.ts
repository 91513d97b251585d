import type { PatternHandles } from '../../analyze/lib/pattern-miner.js';

/**
 * Miner handles of clustered records in record order, 8 bytes a record (message and cause
 * handles), with where each input's records start: `errors --annotate` remembers each record's
 * pattern from its first pass and names it in the second, so every counted record is annotated
 * exactly once, with the pattern the result reports for it. Records are matched per input, so
 * an input that grew between the passes (a live log) names its new records nothing and leaves
 * the records of the inputs after it with their own patterns.
 */
export class HandleList {
  private items = new Int32Array(2048);
  length = 0;
  /** Per input (by name): the index of its first record, how many it had, and how many the second pass took. */
  private inputs = new Map<string, { start: number; count: number; taken: number }>();
  private current: { start: number; count: number; taken: number } | undefined;
  private currentName: string | undefined;

  /** Remembers the handles of the next counted record, read from input `file`. */
  push(h: PatternHandles, file: string): void {
    if (2 * this.length === this.items.length) {
      const bigger = new Int32Array(this.items.length * 2);
      bigger.set(this.items);
      this.items = bigger;
    }
    this.items[2 * this.length] = h.message;
    this.items[2 * this.length + 1] = h.cause;
    if (file !== this.currentName) {
      this.currentName = file;
      this.current = { start: this.length, count: 0, taken: 0 };
      if (!this.inputs.has(file)) this.inputs.set(file, this.current);
    }
    this.current!.count++;
    this.length++;
  }

  /** The handles of the next counted record of input `file` in the second pass; undefined past those of the first. */
  take(file: string): PatternHandles | undefined {
    const at = this.inputs.get(file);
    if (!at || at.taken >= at.count) return undefined;
    const i = at.start + at.taken++;
    return { message: this.items[2 * i], cause: this.items[2 * i + 1] };
  }
}
