/**
 * Online log template miner in the family of Drain (He et al., ICWS 2017).
 *
 * Pure: no I/O, no clock. Messages are masked (mask.ts), split on whitespace, and routed
 * through a fixed-depth prefix tree keyed by token count and leading tokens; the leaf holds
 * candidate clusters, and the most similar one above the threshold absorbs the message,
 * turning the positions that differ into `<*>`. Each cluster also counts the words seen at its
 * variable positions; at read-out a position holding a few recurring words (`from RUNNING to
 * KILLED`) is a constant of distinct events, and the cluster is split on it, unless the words
 * are names (split.ts). `add()` returns a handle (cluster plus those words) so every message
 * maps onto its final, split cluster. Every variable position keeps a bounded summary of the
 * original values seen there (slots.ts), reported per final cluster as `slots`.
 */
import { createMasker, WILDCARD, type MaskRule, type Masker } from './mask.js';
import { originalTokens, SlotSketch, templateSlots, type SlotSummary } from './slots.js';
import { lockstep, splits, wordLike } from './split.js';
import { similarity, templateId, tokenize, variableLike } from './tokens.js';

export { templateId, tokenize } from './tokens.js';

export type { SlotSummary } from './slots.js';

/** Tuning knobs; the defaults are meant to work unchanged on any log. */
export interface MinerOptions {
  /** Minimum share of matching constant tokens for a message to join a cluster (0–1). */
  similarity?: number;
  /** Leading tokens used as tree keys below the token-count level. */
  depth?: number;
  /** Clusters kept at most; messages that would open a new one beyond it go to `<other>`. */
  maxClusters?: number;
  /** Children per tree node before new keys share the wildcard branch. */
  maxChildren?: number;
  /** Slot sketches kept at most (about 1 KB each when full); later slots go unrecorded. */
  maxSlotSketches?: number;
  /** Extra masking rules, run before the built-in ones. */
  masks?: readonly MaskRule[];
  /** A complete masker replacing the built-in one (for callers that mask themselves). */
  masker?: Masker;
  /**
   * Compares each message with every cluster of its leaf instead of only those sharing a token
   * at the same position. Same result, quadratic on many clusters; kept to check the index.
   */
  scan?: boolean;
}

/** A template cluster as reported to callers. */
export interface Cluster {
  /** Stable id: the first 12 hex chars of the SHA-1 of `template`. */
  id: string;
  template: string;
  count: number;
  /**
   * The values seen at each `<*>` of the template, in template order. Already summed over every
   * handle and internal cluster that resolves to this template: take it once per final cluster.
   */
  slots: SlotSummary[];
}

/** What `add()` reports for one message. */
export interface AddResult {
  /**
   * Handle of the cluster inside this miner; stable for the miner's lifetime, unlike the id,
   * which follows the template. Pass it to `resolve()` for the final cluster.
   */
  cluster: number;
  /** Id of the cluster's template as it is now (it may still generalize later). */
  clusterId: string;
  template: string;
  /** True when the message opened a new cluster. */
  isNew: boolean;
}

/** The miner's public face. */
export interface Miner {
  add(message: string): AddResult;
  /** Finds the cluster a message belongs to without changing anything. */
  match(message: string): Cluster | undefined;
  /** Final clusters (after the merge pass), most frequent first. */
  clusters(): Cluster[];
  /** The final cluster of a handle returned by `add()`. */
  resolve(handle: number): Cluster;
  /** Messages that arrived after the cluster cap was reached and matched no cluster. */
  readonly overflow: number;
}

/** Template of the cluster that collects messages beyond the cap. */
export const OVERFLOW_TEMPLATE = '<other>';

const DEFAULTS = { similarity: 0.5, depth: 1, maxClusters: 10_000, maxChildren: 100 };
// Masked messages remembered for a direct jump to their cluster; cleared when full.
const EXACT_CACHE_LIMIT = 50_000;
// Distinct word values remembered per variable position; beyond it the position is a value.
const TRACKED_VALUES = 16;
// Value combinations remembered per cluster; beyond it messages join the cluster's first one.
const MAX_VARIANTS = 64;
// Slot sketches kept at most by default (each at most 8 values and 64 hashes, about 1 KB full).
const MAX_SKETCHES = 100_000;

interface Internal {
  /** Current template tokens. */
  tokens: string[];
  /** Tokens of the first message: the values every earlier message had at a later wildcard. */
  first: string[];
  count: number;
  /**
   * Per position: undefined while constant, a value→count map while the values seen are few
   * words, null once the position is clearly a value (many values, digits, placeholders).
   */
  values: (Map<string, number> | null | undefined)[];
  variants: Map<string, number>;
  /** Positions whose template token holds a wildcard, whose values the slots record. */
  wild: number[];
  /** The template text and id as of the last change (undefined once a position generalizes). */
  text?: { template: string; id: string };
  /** The tree leaf holding the cluster, whose token index lists it. */
  leaf: Node;
}

interface Variant {
  cluster: number;
  /** Value at each tracked position when the variant was created. */
  values: Map<number, string>;
  count: number;
  /** Per template position holding a wildcard: the values seen there. */
  slots: (SlotSketch | undefined)[];
}

/** The read-out: final clusters by handle and by template, and each cluster's split positions. */
interface Final {
  byHandle: Cluster[];
  clusters: Cluster[];
  byTemplate: Map<string, Cluster>;
  splitOf: Map<number, number[]>;
}

interface Node {
  children: Map<string, Node>;
  /** Clusters of the leaf, in creation order (increasing ids). */
  clusters: number[];
  /**
   * Per position, constant template token → the leaf's clusters holding it there. Only these
   * clusters have a matching position, so only they can reach a similarity above zero.
   */
  index: Map<string, Set<number>>[];
}

function newNode(): Node {
  return { children: new Map(), clusters: [], index: [] };
}

// The index list of a token no cluster holds at that position.
const NONE: ReadonlySet<number> = new Set();

/** Lists cluster `id` under each constant token of its template in `node`'s index. */
function indexCluster(node: Node, id: number, tokens: readonly string[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok === WILDCARD) continue;
    const at = (node.index[i] ??= new Map());
    let ids = at.get(tok);
    if (!ids) at.set(tok, (ids = new Set()));
    ids.add(id);
  }
}

/** Takes cluster `id` off the index entry of `tok` at position `i` (the position became a wildcard). */
function unindex(node: Node, id: number, i: number, tok: string): void {
  const at = node.index[i];
  const ids = at?.get(tok);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) at.delete(tok);
}

/**
 * Smallest count of matching positions out of `len` whose share reaches `sim`, computed with the
 * same division `similarity()` uses so that no rounding can tell them apart; `len + 1` if none.
 */
function needed(sim: number, len: number): number {
  let k = Math.max(0, Math.min(len + 1, Math.ceil(sim * len)));
  while (k > 0 && (k - 1) / len >= sim) k--;
  while (k <= len && k / len < sim) k++;
  return k;
}

/** Creates a template miner. */
export function createMiner(opts: MinerOptions = {}): Miner {
  const sim = opts.similarity ?? DEFAULTS.similarity;
  const depth = opts.depth ?? DEFAULTS.depth;
  const maxClusters = opts.maxClusters ?? DEFAULTS.maxClusters;
  const maxChildren = opts.maxChildren ?? DEFAULTS.maxChildren;
  const maxSketches = opts.maxSlotSketches ?? MAX_SKETCHES;
  const mask = opts.masker ?? createMasker(opts.masks ?? []);
  const scan = opts.scan ?? false;

  const store: Internal[] = [];
  const variants: Variant[] = [];
  const root = newNode();
  const exact = new Map<string, number>();
  let overflowHandle = -1;
  let sketches = 0;
  let overflow = 0;
  let final: Final | undefined;

  function leafFor(tokens: string[], create: boolean): Node | undefined {
    let node: Node | undefined = root.children.get(String(tokens.length));
    if (!node) {
      if (!create) return undefined;
      node = newNode();
      root.children.set(String(tokens.length), node);
    }
    for (let d = 0; d < Math.min(depth, tokens.length); d++) {
      const tok = tokens[d];
      const key = variableLike(tok) ? WILDCARD : tok;
      let next: Node | undefined = node.children.get(key);
      if (!next) {
        if (create && node.children.size < maxChildren) {
          next = newNode();
          node.children.set(key, next);
        } else {
          next = node.children.get(WILDCARD);
          if (!next) {
            if (!create) return undefined;
            next = newNode();
            node.children.set(WILDCARD, next);
          }
        }
      }
      node = next;
    }
    return node;
  }

  /**
   * The leaf's clusters that can reach the threshold, in leaf order, or the whole leaf when the
   * index cannot tell (threshold not above zero, empty messages). A cluster needs at least
   * `need` positions equal to the message; by pigeonhole it then appears in one of the
   * `len - need + 1` smallest index lists of the message's tokens, so the larger lists (a word
   * every message shares) are never walked.
   */
  function candidates(node: Node, tokens: string[]): readonly number[] {
    const len = tokens.length;
    if (scan || !(sim > 0) || len === 0) return node.clusters;
    const need = needed(sim, len);
    if (need > len) return [];
    const lists: ReadonlySet<number>[] = [];
    for (let i = 0; i < len; i++) lists.push(node.index[i]?.get(tokens[i]) ?? NONE);
    lists.sort((a, b) => a.size - b.size);
    const seen = new Set<number>();
    for (let j = 0; j < len - need + 1; j++) for (const id of lists[j]) seen.add(id);
    // Ids grow in leaf order, so sorting them keeps the scan's tie-break (first cluster wins).
    return [...seen].sort((a, b) => a - b);
  }

  function best(node: Node, tokens: string[]): number {
    let bestId = -1;
    let bestSim = -1;
    let bestWild = -1;
    for (const id of candidates(node, tokens)) {
      const [s, w] = similarity(store[id].tokens, tokens);
      if (s > bestSim || (s === bestSim && w > bestWild)) {
        bestSim = s;
        bestWild = w;
        bestId = id;
      }
    }
    return bestSim >= sim ? bestId : -1;
  }

  function newVariant(cluster: number, values: Map<number, string>): number {
    variants.push({ cluster, values, count: 0, slots: [] });
    return variants.length - 1;
  }

  /**
   * The sketch of variant `v` at position `i`, created on first use while the miner holds fewer
   * than `maxSlotSketches`; past that budget new positions go unrecorded (their slots report
   * fewer values), so memory stays bounded whatever the count of clusters, variants and slots.
   */
  function sketchAt(v: Variant, i: number): SlotSketch | undefined {
    let sk = v.slots[i];
    if (!sk && sketches < maxSketches) {
      sk = v.slots[i] = new SlotSketch();
      sketches++;
    }
    return sk;
  }

  /**
   * Turns position `i` of cluster `id` into a wildcard. Every earlier message held the constant
   * there, so each variant's slot starts with it, as many times as the variant has messages.
   */
  function generalize(id: number, i: number): void {
    const c = store[id];
    const old = c.tokens[i];
    c.tokens[i] = WILDCARD;
    unindex(c.leaf, id, i, old);
    c.text = undefined;
    c.values[i] = wordLike(c.first[i]) ? new Map([[c.first[i], c.count]]) : null;
    if (old.includes(WILDCARD)) return; // a masked token: its slot already holds the values
    c.wild.push(i);
    for (const h of c.variants.values()) {
      const v = variants[h];
      if (v.count === 0) continue;
      sketchAt(v, i)?.add(old, v.count);
    }
  }

  /**
   * Folds a message into cluster `id` and returns its variant handle. `orig` are the unmasked
   * tokens, whose text under each wildcard position is recorded in the variant's slots.
   */
  function absorb(id: number, tokens: string[], orig: string[]): number {
    const c = store[id];
    const t = c.tokens;
    for (let i = 0; i < t.length; i++) if (t[i] !== WILDCARD && t[i] !== tokens[i]) generalize(id, i);
    c.count++;
    let key = '';
    const tracked = new Map<number, string>();
    for (let i = 0; i < t.length; i++) {
      const m = c.values[i];
      if (!m) continue;
      const tok = tokens[i];
      if (!wordLike(tok)) {
        c.values[i] = null;
        continue;
      }
      m.set(tok, (m.get(tok) ?? 0) + 1);
      if (m.size > TRACKED_VALUES) {
        c.values[i] = null;
        continue;
      }
      key += `${i}\u0001${tok}\u0000`;
      tracked.set(i, tok);
    }
    let h = c.variants.get(key);
    if (h === undefined) {
      if (c.variants.size < MAX_VARIANTS) {
        h = newVariant(id, tracked);
        c.variants.set(key, h);
      } else h = c.variants.values().next().value as number;
    }
    const v = variants[h];
    v.count++;
    if (c.wild.length > 0) {
      const values = originalTokens(tokens, orig, WILDCARD);
      for (const i of c.wild) sketchAt(v, i)?.add(values[i]);
    }
    return h;
  }

  function result(handle: number, isNew: boolean): AddResult {
    if (handle === overflowHandle) return { cluster: handle, clusterId: templateId(OVERFLOW_TEMPLATE), template: OVERFLOW_TEMPLATE, isNew };
    const c = store[variants[handle].cluster];
    if (!c.text) {
      const template = c.tokens.join(' ');
      c.text = { template, id: templateId(template) };
    }
    return { cluster: handle, clusterId: c.text.id, template: c.text.template, isNew };
  }

  function add(message: string): AddResult {
    final = undefined;
    const masked = mask(message);
    const tokens = tokenize(masked);
    const orig = masked === message ? tokens : tokenize(message);
    const cached = exact.get(masked);
    if (cached !== undefined) return result(absorb(cached, tokens, orig), false);
    const leaf = leafFor(tokens, true)!;
    let id = best(leaf, tokens);
    let isNew = false;
    if (id < 0) {
      if (store.length >= maxClusters) {
        if (overflowHandle < 0) overflowHandle = newVariant(-1, new Map());
        variants[overflowHandle].count++;
        overflow++;
        return result(overflowHandle, false);
      }
      id = store.length;
      const wild: number[] = [];
      tokens.forEach((tok, i) => tok.includes(WILDCARD) && wild.push(i));
      store.push({ tokens: tokens.slice(), first: tokens, count: 0, values: [], variants: new Map(), wild, leaf });
      leaf.clusters.push(id);
      indexCluster(leaf, id, tokens);
      isNew = true;
    }
    if (exact.size >= EXACT_CACHE_LIMIT) exact.clear();
    exact.set(masked, id);
    return result(absorb(id, tokens, orig), isNew);
  }

  /** Positions of cluster `c` split at read-out (its recurring event words, its lock-step phrases). */
  function splitPositions(c: Internal): number[] {
    // The constant tokens right before position i (up to two, none past a wildcard).
    const before = (i: number): string[] => {
      const out: string[] = [];
      for (let j = i - 1; j >= 0 && j >= i - 2 && !c.tokens[j].includes(WILDCARD); j--) out.push(c.tokens[j]);
      return out;
    };
    const out = new Set<number>();
    for (let i = 0; i < c.tokens.length; i++) if (splits(c.values[i], c.count, before(i))) out.add(i);
    const combos = (a: number, b: number): number => {
      const seen = new Set<string>();
      for (const h of c.variants.values()) {
        const v = variants[h];
        if (v.count > 0) seen.add(`${v.values.get(a) ?? c.first[a]}\u0000${v.values.get(b) ?? c.first[b]}`);
      }
      return seen.size;
    };
    for (const i of lockstep(c.values, c.count, before, combos)) out.add(i);
    return [...out].sort((a, b) => a - b);
  }

  /** Template of a variant once its cluster's split positions are filled in. */
  function variantTemplate(c: Internal, split: readonly number[], valueAt: (i: number) => string): string {
    const out = c.tokens.slice();
    for (const i of split) out[i] = valueAt(i);
    return out.join(' ');
  }

  function finalize(): Final {
    if (final) return final;
    const byTemplate = new Map<string, Cluster>();
    const sketches = new Map<Cluster, (SlotSketch | undefined)[]>();
    const byHandle: Cluster[] = [];
    const splitOf = new Map<number, number[]>();
    for (let h = 0; h < variants.length; h++) {
      const v = variants[h];
      let template = OVERFLOW_TEMPLATE;
      let split: number[] = [];
      if (h !== overflowHandle) {
        const c = store[v.cluster];
        split = splitOf.get(v.cluster) ?? splitPositions(c);
        splitOf.set(v.cluster, split);
        template = variantTemplate(c, split, (i) => v.values.get(i) ?? c.first[i]);
      }
      let f = byTemplate.get(template);
      if (!f) {
        f = { id: templateId(template), template, count: 0, slots: [] };
        byTemplate.set(template, f);
        sketches.set(f, []);
      }
      f.count += v.count;
      byHandle[h] = f;
      // Slots add up across every variant and cluster that resolves to this template.
      const merged = sketches.get(f)!;
      v.slots.forEach((sk, i) => {
        if (!sk || split.includes(i)) return;
        (merged[i] ??= new SlotSketch()).merge(sk);
      });
    }
    for (const [f, merged] of sketches) if (f.template !== OVERFLOW_TEMPLATE) f.slots = templateSlots(tokenize(f.template), merged, WILDCARD);
    final = { byHandle, clusters: [...byTemplate.values()], byTemplate, splitOf };
    return final;
  }

  /** The cluster `add()` would route a message to now, without changing anything. */
  function route(masked: string, tokens: string[]): number {
    const cached = exact.get(masked);
    if (cached !== undefined) return cached;
    const leaf = leafFor(tokens, false);
    return leaf ? best(leaf, tokens) : -1;
  }

  function match(message: string): Cluster | undefined {
    const masked = mask(message);
    const tokens = tokenize(masked);
    const id = route(masked, tokens);
    const f = finalize();
    // A message that matches no cluster after the cap was reached went to the overflow one.
    if (id < 0) return overflowHandle >= 0 ? f.byHandle[overflowHandle] : undefined;
    const c = store[id];
    const split = f.splitOf.get(id) ?? [];
    const exactHit = f.byTemplate.get(variantTemplate(c, split, (i) => tokens[i]));
    if (exactHit) return exactHit;
    // Its words were beyond the variants kept, so add() filed it under the cluster's first variant.
    return f.byHandle[c.variants.values().next().value as number];
  }

  return {
    add,
    match,
    clusters: () => [...finalize().clusters].sort((a, b) => b.count - a.count || (a.template < b.template ? -1 : 1)),
    resolve: (handle) => finalize().byHandle[handle],
    get overflow() {
      return overflow;
    },
  };
}
