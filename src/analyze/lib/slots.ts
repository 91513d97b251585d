/**
 * Bounded summaries of the values seen at one `<*>` of a template.
 *
 * Each slot keeps its most frequent values with Space-Saving (Metwally et al., 2005) in
 * `TOP_K` counters, and counts distinct values with a k-minimum-values sketch (Bar-Yossef et
 * al., 2002) of `DISTINCT_EXACT` hashes. Both are mergeable, so clusters that end up with the
 * same template add their slots together, and both stay the same size whatever the input:
 * a million distinct values cost the same memory as ten.
 */
import { hash64, lastHash } from './hash.js';

/** The values seen at one `<*>` of a template. */
export interface SlotSummary {
  /** 0-based index of the `<*>` among the template's wildcards. */
  position: number;
  /** Most frequent values first (at most `SHOWN_VALUES`). */
  values: { value: string; count: number }[];
  /**
   * Distinct values: exact up to `DISTINCT_EXACT` (64), an estimate beyond (k-minimum-values,
   * standard error about 1/√62 ≈ 13%).
   */
  distinct: number;
}

/** Counters kept per slot; counts are exact while a slot has at most this many values. */
export const TOP_K = 8;
/** Hashes kept per slot for the distinct count. */
export const DISTINCT_EXACT = 64;
/** Values reported per slot. */
export const SHOWN_VALUES = 5;
const SCALE = 2 ** 53;

/** A mergeable, fixed-size summary of one slot's values (plain arrays: no allocation per value). */
export class SlotSketch {
  /** Space-Saving counters: values, their counts, and how much of each count was inherited. */
  private readonly keys: string[] = [];
  private readonly counts: number[] = [];
  private readonly over: number[] = [];
  /** The smallest 53-bit hashes seen, and the index of the largest of them. */
  private readonly hashes: number[] = [];
  private maxAt = -1;

  /** Records `n` occurrences of `value`. */
  add(value: string, n = 1): void {
    // A value still counted was hashed when it first came: offering its hash again changes nothing.
    if (this.count(value, n, 0)) return;
    hash64(value);
    this.addHash((lastHash.hi >>> 0) * 2 ** 21 + (lastHash.lo >>> 11));
  }

  /** Adds another sketch's counts and values into this one. */
  merge(other: SlotSketch): void {
    for (let i = 0; i < other.keys.length; i++) this.count(other.keys[i], other.counts[i], other.over[i]);
    for (const h of other.hashes) this.addHash(h);
  }

  /** Memory held, in entries: bounded by `TOP_K + DISTINCT_EXACT` whatever the input. */
  get size(): number {
    return this.keys.length + this.hashes.length;
  }

  /** Values seen, exact below `DISTINCT_EXACT`, else estimated from the k-th smallest hash. */
  distinct(): number {
    if (this.hashes.length < DISTINCT_EXACT) return this.hashes.length;
    return Math.max(DISTINCT_EXACT, Math.round(((DISTINCT_EXACT - 1) * SCALE) / (this.hashes[this.maxAt] + 1)));
  }

  /**
   * The most frequent values, most frequent first (ties by value, for stable output). Each
   * count is what the value is guaranteed to have had: exact while the slot has held at most
   * `TOP_K` distinct values, a lower bound beyond (a value's Space-Saving count less what it
   * inherited), so a rare value in a busy slot never shows a borrowed count.
   */
  topValues(limit = SHOWN_VALUES): { value: string; count: number }[] {
    const rows = this.keys.map((value, i) => ({ value, count: this.counts[i] - this.over[i], n: this.counts[i] }));
    rows.sort((a, b) => b.count - a.count || b.n - a.n || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    return rows.slice(0, limit).map(({ value, count }) => ({ value, count }));
  }

  /** Counts `value`; true when it was already counted. */
  private count(value: string, n: number, over: number): boolean {
    const keys = this.keys;
    let min = 0;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === value) {
        this.counts[i] += n;
        this.over[i] += over;
        return true;
      }
      if (this.counts[i] < this.counts[min]) min = i;
    }
    if (keys.length < TOP_K) {
      keys.push(value);
      this.counts.push(n);
      this.over.push(over);
      return false;
    }
    // Space-Saving: the new value takes over the smallest counter and inherits its count.
    const inherited = this.counts[min];
    keys[min] = value;
    this.counts[min] = inherited + n;
    this.over[min] = inherited + over;
    return false;
  }

  private addHash(h: number): void {
    const hs = this.hashes;
    if (hs.length === DISTINCT_EXACT && h >= hs[this.maxAt]) return;
    for (let i = 0; i < hs.length; i++) if (hs[i] === h) return;
    if (hs.length < DISTINCT_EXACT) {
      hs.push(h);
      if (this.maxAt < 0 || h > hs[this.maxAt]) this.maxAt = hs.length - 1;
      return;
    }
    hs[this.maxAt] = h;
    let at = 0;
    for (let i = 1; i < hs.length; i++) if (hs[i] > hs[at]) at = i;
    this.maxAt = at;
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The slots of a template, from one merged sketch per template token. A token that is `<*>` as
 * a whole reports its values as seen; a token with constant parts (`uid=<*>`, `<*>ms`) reports
 * the parts its wildcards stand for, and several wildcards in one token share the token's
 * distinct count (an upper bound for each).
 */
export function templateSlots(tokens: readonly string[], sketches: readonly (SlotSketch | undefined)[], wildcard: string): SlotSummary[] {
  const out: SlotSummary[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const parts = t.split(wildcard);
    const k = parts.length - 1;
    if (k === 0) continue;
    const sk = sketches[i];
    const distinct = sk ? sk.distinct() : 0;
    const seen = sk ? sk.topValues(TOP_K) : [];
    if (t === wildcard) {
      out.push({ position: out.length, values: seen.slice(0, SHOWN_VALUES), distinct });
      continue;
    }
    // A token of a very long line can make a pattern too large to compile or run: its values are then reported as seen.
    let re: RegExp | undefined;
    try {
      re = new RegExp(`^${parts.map(escapeRegex).join('(.*?)')}$`, 's');
    } catch {
      re = undefined;
    }
    const perSlot = Array.from({ length: k }, () => new Map<string, number>());
    for (const { value, count } of seen) {
      let m: RegExpExecArray | null = null;
      try {
        m = re ? re.exec(value) : null;
      } catch {
        m = null;
      }
      for (let j = 0; j < k; j++) {
        const v = m ? m[j + 1] : value;
        perSlot[j].set(v, (perSlot[j].get(v) ?? 0) + count);
      }
    }
    for (const values of perSlot) {
      const sorted = [...values]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, SHOWN_VALUES)
        .map(([value, count]) => ({ value, count }));
      out.push({ position: out.length, values: sorted, distinct });
    }
  }
  return out;
}

/**
 * The original text under each masked token. Masks only ever join neighbouring tokens into one
 * (`0.2 KB` → `<*>`) or rewrite within a token, so a walk that anchors on the constant tokens
 * gives each masked token the original tokens up to the next constant. Where the texts do not
 * line up that way (a user's mask that adds spaces), the masked tokens are returned.
 */
export function originalTokens(masked: readonly string[], orig: readonly string[], wildcard: string): readonly string[] {
  if (masked.length === orig.length) return orig;
  const out: string[] = [];
  let p = 0;
  for (let j = 0; j < masked.length; j++) {
    const m = masked[j];
    if (!m.includes(wildcard)) {
      if (orig[p] !== m) return masked;
      out.push(m);
      p++;
      continue;
    }
    // Up to the next constant token, keeping one original token for each masked one between.
    let next = j + 1;
    while (next < masked.length && masked[next].includes(wildcard)) next++;
    let end: number;
    if (next === masked.length) end = orig.length - (masked.length - j - 1);
    else {
      end = orig.indexOf(masked[next], p + 1);
      if (end < 0) return masked;
      end -= next - j - 1;
    }
    if (end <= p) return masked;
    out.push(orig.slice(p, end).join(' '));
    p = end;
  }
  return p === orig.length ? out : masked;
}
