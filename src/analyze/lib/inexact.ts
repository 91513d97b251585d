/**
 * Thrown by an analysis's `merge` when the parts' states cannot add up to the state one thread
 * would have built (a bounded structure overflowed in a way that depends on where the input was
 * cut). The caller then reads the input on one thread: a split is a speed-up, never another answer.
 */
export class InexactMerge extends Error {
  constructor(what: string) {
    super(`${what}; read on one thread`);
  }
}
