/**
 * When a variable position of a cluster is really a constant of several distinct events.
 *
 * The miner merges messages that differ in one word. Some such words are the event itself —
 * `Transitioned from RUNNING to KILLED`, `cupsd startup|shutdown succeeded`, `stored as
 * bytes|values` — and a position holding a handful of them, each recurring, splits the
 * cluster at read-out. Other words are names: the tool a call went to, the table a query
 * timed out on. Those are the variable of one failure and must stay `<*>`, however few there
 * are. A name is told by its shape or by the words before it:
 * - identifiers written in camel case (`SearchTool`, `userService`) name code entities;
 * - a word one or two words after a noun that names a kind of entity (`table orders`, `queue
 *   billing`, `Tool call search`) is that entity's name.
 */
import { WILDCARD } from './mask.js';

// A position splits its cluster only when each of its values repeats this often on average.
const SPLIT_MIN_AVERAGE = 3;
// More distinct words than this at one position read as names (users, tables), not states.
const SPLIT_MAX_VALUES = 3;
// Distinct words a position may hold and still be one half of a lock-step pair.
const LOCKSTEP_MAX_VALUES = 16;
const DIGIT = /\d/g;
const LETTER = /[a-z]/i;
// A lower-case letter followed by an upper-case one inside a word: `SearchTool`, `getUser`.
const CAMEL = /[a-z][A-Z]/;

/**
 * Nouns that name a kind of entity: the word after one is a name (`on table orders`), a
 * variable of the event rather than a different event. Plain English, not any log's vocabulary.
 */
const KIND_NOUNS = new Set([
  'account', 'bucket', 'cache', 'channel', 'cluster', 'collection', 'column', 'component', 'container', 'customer',
  'database', 'db', 'endpoint', 'file', 'function', 'handler', 'host', 'index', 'job', 'key', 'method', 'model',
  'module', 'namespace', 'node', 'plugin', 'pod', 'project', 'provider', 'queue', 'region', 'repository', 'resource',
  'schema', 'service', 'table', 'tenant', 'tool', 'topic', 'user', 'vendor', 'worker', 'zone',
]);

/** Whether a token reads as a word (a keyword or a state name), not a number-ish value. */
export function wordLike(token: string): boolean {
  if (token.includes(WILDCARD) || !LETTER.test(token)) return false;
  const digits = token.match(DIGIT)?.length ?? 0;
  return digits * 2 < token.length;
}

/** Whether the words seen at a position are names of things rather than event constants. */
function names(values: Map<string, number>, before: readonly string[]): boolean {
  for (const w of before) if (KIND_NOUNS.has(w.toLowerCase().replace(/[:=]$/, ''))) return true;
  for (const v of values.keys()) if (!CAMEL.test(v)) return false;
  return true;
}

/**
 * Whether a variable position holds a handful of recurring words that are constants of
 * distinct events. A table or user name seen once or twice each does not qualify, and neither
 * do names however often they recur (see `names`). `before` are the constant template tokens
 * right before the position (up to two, none past a wildcard).
 */
export function splits(
  values: Map<string, number> | null | undefined,
  count: number,
  before: readonly string[],
): values is Map<string, number> {
  if (!values || values.size < 2 || values.size > SPLIT_MAX_VALUES) return false;
  if (count < SPLIT_MIN_AVERAGE * values.size) return false;
  return !names(values, before);
}

/**
 * Positions that change in lock-step with another position: for a pair, the number of value
 * combinations seen is no more than the values of either (one determines the other), and each
 * combination recurs `SPLIT_MIN_AVERAGE` times on average. `combos(a, b)` counts the
 * combinations seen at positions a and b; `before(i)` are the constant tokens right before i.
 */
export function lockstep(
  values: readonly (Map<string, number> | null | undefined)[],
  count: number,
  before: (i: number) => readonly string[],
  combos: (a: number, b: number) => number,
): number[] {
  const candidates: number[] = [];
  values.forEach((m, i) => {
    if (m && m.size >= 2 && m.size <= LOCKSTEP_MAX_VALUES && !names(m, before(i))) candidates.push(i);
  });
  const out = new Set<number>();
  for (let x = 0; x < candidates.length; x++) {
    for (let y = x + 1; y < candidates.length; y++) {
      const a = candidates[x];
      const b = candidates[y];
      const n = combos(a, b);
      if (n <= Math.max(values[a]!.size, values[b]!.size) && count >= SPLIT_MIN_AVERAGE * n) {
        out.add(a);
        out.add(b);
      }
    }
  }
  return [...out];
}
