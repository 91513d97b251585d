/** Adds to a set unless it is full: keeps per-group detail bounded on any input size. */
export function addCapped<T>(set: Set<T>, value: T | undefined, cap: number): void {
  if (value !== undefined && set.size < cap) set.add(value);
}

/** Adds `n` to a counter in a map. */
export function bumpMap<K>(m: Map<K, number>, key: K, n = 1): void {
  m.set(key, (m.get(key) ?? 0) + n);
}

/** The key with the highest count. */
export function topKey<K>(m: Map<K, number>): K | undefined {
  let best: K | undefined;
  let max = -Infinity;
  for (const [k, v] of m) if (v > max) [best, max] = [k, v];
  return best;
}
