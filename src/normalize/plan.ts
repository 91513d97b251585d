import { fastPathsEnabled } from '../fast-paths.js';
import type { JsonObject } from '../types.js';
import type { Alias, AliasField } from './aliases.js';
import { compileKey, KeyIndex, lookup, type CompiledKey } from './lookup.js';

/** An alias found in a record's shape: the actual top-level key, and the rest of a nested path. */
export interface Resolved {
  alias: Alias;
  top: string;
  rest?: CompiledKey;
}

/** For each field, the aliases a shape of record actually has, in alias order; and the shape's keys. */
export type Plan = Record<AliasField, Resolved[]> & { keys: readonly string[] };

/** Aliases compiled once: lower-cased with dot positions. */
export type CompiledAliases = Record<AliasField, (Alias & { k: CompiledKey })[]>;

const MAX_PLANS = 4096;
const RECENT_SHAPES = 6;

/**
 * Resolves the alias table against record shapes. Records of one logger share their keys, so
 * the table is matched once per distinct key set instead of once per record: a record then
 * costs a handful of property reads rather than a hundred case-insensitive lookups.
 */
export class Planner {
  private readonly plans = new Map<string, Plan>();
  /** The last few shapes seen, checked key by key before any string is built: records of a log come in a few shapes. */
  private recent: { keys: string[]; plan: Plan }[] = [];

  /** Off with `LOGTOOL_NO_FAST_PATHS=1`: every record is then matched against the alias table afresh. */
  private readonly cached = fastPathsEnabled();

  constructor(private readonly aliases: CompiledAliases) {}

  plan(obj: JsonObject): Plan {
    if (!this.cached) return this.build(obj, Object.keys(obj));
    for (const shape of this.recent) {
      const keys = shape.keys;
      let i = 0;
      let same = true;
      for (const k in obj) {
        if (keys[i++] !== k) {
          same = false;
          break;
        }
      }
      if (same && i === keys.length) return shape.plan;
    }
    const keys: string[] = [];
    for (const k in obj) keys.push(k);
    const sig = keys.join('\u0001');
    let p = this.plans.get(sig);
    // Keys may hold the separator: a signature alone does not prove the same shape.
    if (p && (p.keys.length !== keys.length || p.keys.some((k, i) => k !== keys[i]))) p = undefined;
    if (!p) {
      p = this.build(obj, keys);
      if (this.plans.size >= MAX_PLANS) this.plans.clear();
      this.plans.set(sig, p);
    }
    this.recent.unshift({ keys, plan: p });
    if (this.recent.length > RECENT_SHAPES) this.recent.pop();
    return p;
  }

  private build(obj: JsonObject, keys: readonly string[]): Plan {
    const lower = new Map<string, string>();
    for (const k in obj) {
      const l = k.toLowerCase();
      if (!lower.has(l)) lower.set(l, k);
    }
    const plan = { keys } as Plan;
    for (const field of Object.keys(this.aliases) as AliasField[]) {
      const found: Resolved[] = [];
      for (const a of this.aliases[field]) {
        const literal = lower.get(a.k.lower);
        if (literal !== undefined) found.push({ alias: a, top: literal });
        for (const d of a.k.dots) {
          const head = lower.get(a.k.lower.slice(0, d));
          if (head !== undefined) found.push({ alias: a, top: head, rest: compileKey(a.k.lower.slice(d + 1)) });
        }
      }
      plan[field] = found;
    }
    return plan;
  }
}

/** The value a resolved alias points to in one record. */
export function valueOf(obj: JsonObject, r: Resolved): unknown {
  const v = obj[r.top];
  if (r.rest === undefined) return v;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  return lookup(new KeyIndex(v as JsonObject), r.rest);
}
