import type { JsonObject } from '../../types.js';
import { DETECTORS } from './detectors.js';

/**
 * Keys whose whole value is a secret, at any depth (tested after camelCase is split:
 * `accessToken` → `access_Token`).
 */
export const SECRET_KEY = /(?:^|[_.-])(?:pass(?:word|wd|phrase)?s?|pwd|tokens?|secrets?|authorization|auth|auth[_-]?tokens?|api[_-]?keys?|apikeys?|cookies?|set[_-]cookies?|private[_-]?keys?|access[_-]?keys?|secret[_-]?keys?|client[_-]?secrets?|credentials?|signature|jwt)$/i;

/** Containers deeper than this are replaced whole (`[REDACTED-TOO-DEEP]`): the walk never overflows the stack. */
export const MAX_DEPTH = 64;

export const TOO_DEEP = '[REDACTED-TOO-DEEP]';

/** Counts what was redacted: in total and per kind (`key`, a detector's kind, `too_deep`). */
export interface RedactCounter {
  values: number;
  kinds: Record<string, number>;
}

export function newRedactCounter(): RedactCounter {
  return { values: 0, kinds: {} };
}

function count(n: RedactCounter, kind: string): void {
  n.values++;
  n.kinds[kind] = (n.kinds[kind] ?? 0) + 1;
}

const keyCache = new Map<string, boolean>();

/** Whether a key names a secret (cached: records of one logger repeat their keys). */
export function isSecretKey(k: string): boolean {
  let hit = keyCache.get(k);
  if (hit === undefined) {
    hit = SECRET_KEY.test(k.replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
    if (keyCache.size >= 4096) keyCache.clear();
    keyCache.set(k, hit);
  }
  return hit;
}

/** One cheap test before any detector runs: a string matching none of their hints is left as is. */
const ANY = new RegExp(DETECTORS.map((d) => d.hint.source).join('|'), 'i');

/** A string with every detector's matches replaced (and counted per kind). */
export function redactText(s: string, n: RedactCounter): string {
  if (s.length < 5 || !ANY.test(s)) return s;
  let out = s;
  for (const d of DETECTORS) {
    if (!d.hint.test(out)) continue;
    out = out.replace(d.re, (...args: unknown[]) => {
      const m = args[0] as string;
      const groups = args.slice(1, typeof args[args.length - 1] === 'object' ? -3 : -2) as (string | undefined)[];
      const g = groups.map((x) => x ?? '');
      if (d.valid && !d.valid(m, g)) return m;
      count(n, d.kind);
      return d.replace.replace(/\$(\d)/g, (_x, i: string) => g[Number(i) - 1] ?? '');
    });
  }
  return out;
}

/** Whether the key rule hides a value: anything but null, '', booleans and empty containers. */
function hides(v: unknown): boolean {
  if (v === null || v === '' || typeof v === 'boolean' || v === undefined) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** What a redaction walk does: `secrets: false` (`--no-redact`) keeps secrets but still caps the depth. */
export interface RedactOptions {
  secrets?: boolean;
}

function walk(value: unknown, n: RedactCounter, secrets: boolean, depth: number): unknown {
  if (typeof value === 'string') return secrets ? redactText(value, n) : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) {
    count(n, 'too_deep');
    return TOO_DEEP;
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const r = walk(v, n, secrets, depth + 1);
      if (r !== v) {
        out ??= value.slice();
        out[i] = r;
      }
    }
    return out ?? value;
  }
  let out: JsonObject | undefined;
  for (const k in value as JsonObject) {
    const v = (value as JsonObject)[k];
    let r: unknown;
    // A number under `…_tokens` is a count (`prompt_tokens: 812`), not a secret.
    if (secrets && hides(v) && isSecretKey(k) && !(typeof v === 'number' && /tokens$/i.test(k))) {
      count(n, 'key');
      r = '[REDACTED]';
    } else r = walk(v, n, secrets, depth + 1);
    if (r !== v) {
      out ??= { ...(value as JsonObject) };
      // A `__proto__` key parsed from JSON is an own property: set it as one.
      Object.defineProperty(out, k, { value: r, enumerable: true, writable: true, configurable: true });
    }
  }
  return out ?? value;
}

/**
 * A copy of a value with secrets replaced: the whole value under a secret-looking key (whatever
 * its type), and every detector's shapes inside any string at any depth. Containers nested deeper
 * than MAX_DEPTH are replaced whole, so a hostile record cannot overflow the stack (here or in
 * JSON.stringify after). Unchanged parts are shared, not copied.
 */
export function redact(value: unknown, n: RedactCounter, opts: RedactOptions = {}): unknown {
  return walk(value, n, opts.secrets ?? true, 0);
}
