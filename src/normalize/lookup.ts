import type { JsonObject } from '../types.js';

/**
 * Case-insensitive access to one object's keys. The lower-case index is built on the first
 * miss only, so records whose keys are already lower-case (the common case) skip it.
 */
export class KeyIndex {
  private index: Map<string, string> | undefined;
  private nested: Map<string, KeyIndex> | undefined;

  constructor(readonly obj: JsonObject) {}

  /** The value under a key written in any case. */
  key(lower: string): unknown {
    const direct = this.obj[lower];
    if (direct !== undefined) return direct;
    if (!this.index) {
      this.index = new Map();
      for (const k in this.obj) {
        const l = k.toLowerCase();
        if (!this.index.has(l)) this.index.set(l, k);
      }
    }
    const k = this.index.get(lower);
    return k === undefined ? undefined : this.obj[k];
  }

  /**
   * The value at a lower-case dotted path: a literal dotted key (`"error.type"`) or a nested
   * path (`{"error":{"type":…}}`), at any split point.
   */
  path(lower: string, dots: number[]): unknown {
    const literal = this.key(lower);
    if (literal !== undefined || dots.length === 0) return literal;
    for (let i = 0; i < dots.length; i++) {
      const head = lower.slice(0, dots[i]);
      const child = this.child(head);
      if (!child) continue;
      const restStart = dots[i] + 1;
      const rest = lower.slice(restStart);
      const v = child.path(rest, dots.slice(i + 1).map((d) => d - restStart));
      if (v !== undefined) return v;
    }
    return undefined;
  }

  private child(lowerKey: string): KeyIndex | undefined {
    const cached = this.nested?.get(lowerKey);
    if (cached) return cached;
    const v = this.key(lowerKey);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    const idx = new KeyIndex(v as JsonObject);
    (this.nested ??= new Map()).set(lowerKey, idx);
    return idx;
  }
}

/** A key prepared for fast lookups: lower-cased, with the positions of its dots. */
export interface CompiledKey {
  lower: string;
  dots: number[];
}

/** Prepares a key (`Error.Type` → `error.type` with its dot positions). */
export function compileKey(key: string): CompiledKey {
  const lower = key.toLowerCase();
  const dots: number[] = [];
  for (let i = 0; i < lower.length; i++) if (lower[i] === '.') dots.push(i);
  return { lower, dots };
}

/** Looks a compiled key up in an indexed object. */
export function lookup(idx: KeyIndex, k: CompiledKey): unknown {
  return k.dots.length === 0 ? idx.key(k.lower) : idx.path(k.lower, k.dots);
}
