/**
 * Terminal hygiene: text that came from the inputs (log content, file names) or from the user
 * never reaches a terminal with bytes the terminal would act on.
 *
 * - `terminalSafe` shows C0 controls, DEL, C1 controls (U+0080–U+009F) and the
 *   bidi embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069) as visible escapes:
 *   `\x1b`, `\n`, `\x07`, `\x9b`, `<U+202E>`. A tab becomes one space: how far it moves
 *   depends on the column it falls in, which would break every fitted line and column. A clean
 *   string costs one regex test.
 * - `safeDeep` gives a sanitized copy of a value (an analysis result, a record) for the human
 *   renderers, which colour it afterwards: chalk's own codes are added after and survive.
 * - `jsonSafe` post-processes serialized JSON so that it stays the same JSON value but carries
 *   none of those characters raw (JSON.stringify escapes C0 but not DEL, C1, bidi, U+2028/9).
 * - `renderedSafe` is the last line of defense for text already rendered (coloured): it keeps
 *   the SGR colour sequences (`ESC [ … m`) and newlines, and escapes everything else.
 */

/** Characters a terminal may act on, or that reorder what is shown (tab and newline included). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_G = new RegExp(UNSAFE.source, 'g');

const NAMED: Record<string, string> = { '\t': ' ', '\n': '\\n', '\r': '\\r', '\u001b': '\\x1b' };

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code >= 0x202a) return `<U+${code.toString(16).toUpperCase()}>`;
  return NAMED[c] ?? '\\x' + code.toString(16).padStart(2, '0');
}

/** Makes one piece of text safe to print on a terminal (see the module comment). */
export function terminalSafe(s: string): string {
  if (!UNSAFE.test(s)) return s;
  return s.replace(UNSAFE_G, escapeChar);
}

/** As `terminalSafe`, but line breaks stay (a multi-line block such as a stack trace). */
export function terminalSafeLines(s: string): string {
  if (!UNSAFE.test(s)) return s;
  return s.split('\n').map(terminalSafe).join('\n');
}

/** Walks deeper than this are left as they are (records nested thousands deep are not rendered). */
const MAX_DEPTH = 1000;

/**
 * A copy of `value` in which every string (object keys included) is `terminalSafe`. Copy on
 * write: parts with nothing to escape are the same objects, so a clean result costs a walk and
 * no memory. A cycle is left as it is.
 */
export function safeDeep<T>(value: T): T {
  return walk(value, new Set(), 0) as T;
}

function walk(v: unknown, path: Set<object>, depth: number): unknown {
  if (typeof v === 'string') return UNSAFE.test(v) ? v.replace(UNSAFE_G, escapeChar) : v;
  if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) return v;
  if (ArrayBuffer.isView(v) || v instanceof Date || v instanceof RegExp || path.has(v)) return v;
  // A long list (the records of a trace of millions) is made safe element by element as it is
  // read: the views show a few hundred of them, and none of it is copied.
  if (Array.isArray(v) && v.length > LAZY_LENGTH) return lazyList(v);
  path.add(v);
  let result: unknown = v;
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = walk(v[i], path, depth + 1);
      if (x !== v[i] && !copy) copy = v.slice(0, i);
      if (copy) copy.push(x);
    }
    if (copy) result = copy;
  } else if (v instanceof Map) {
    let changed = false;
    const entries: [unknown, unknown][] = [];
    for (const [k, x] of v) {
      const k2 = walk(k, path, depth + 1);
      const x2 = walk(x, path, depth + 1);
      if (k2 !== k || x2 !== x) changed = true;
      entries.push([k2, x2]);
    }
    if (changed) result = new Map(entries);
  } else if (v instanceof Set) {
    let changed = false;
    const items: unknown[] = [];
    for (const x of v) {
      const x2 = walk(x, path, depth + 1);
      if (x2 !== x) changed = true;
      items.push(x2);
    }
    if (changed) result = new Set(items);
  } else {
    const o = v as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const k in o) {
      if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
      const k2 = terminalSafe(k);
      const x = walk(o[k], path, depth + 1);
      if ((x !== o[k] || k2 !== k) && !copy) {
        // Same prototype (methods such as toJSON keep working), the members so far as they were.
        copy = Object.create(Object.getPrototypeOf(o)) as Record<string, unknown>;
        for (const j in o) {
          if (j === k) break;
          if (Object.prototype.hasOwnProperty.call(o, j)) copy[j] = o[j];
        }
      }
      if (copy) copy[k2] = x;
    }
    if (copy) result = copy;
  }
  path.delete(v);
  return result;
}

/** Lists longer than this are made safe as they are read (see `lazyList`). */
const LAZY_LENGTH = 10_000;

/** A read-only view of a list whose elements are `safeDeep` when read (indexing, iteration, slice). */
function lazyList(list: unknown[]): unknown[] {
  // Each element is walked once however often it is read (a view may read one twice).
  const made: unknown[] = [];
  const path = new Set<object>();
  return new Proxy(list, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop.length > 0 && prop.length < 16 && prop.charCodeAt(0) >= 48 && prop.charCodeAt(0) <= 57) {
        const i = Number(prop);
        if (Number.isInteger(i) && i < target.length) {
          if (!(i in made)) made[i] = walk(target[i], path, 0);
          return made[i];
        }
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
    set: () => false,
  });
}

/** Characters JSON.stringify leaves raw that a terminal acts on or that reorder text. */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const JSON_UNSAFE_G = new RegExp(JSON_UNSAFE.source, 'g');

/**
 * Serialized JSON with DEL, C1, U+2028/U+2029 and the bidi controls written as `\uXXXX`: the
 * same JSON value (outside strings JSON has none of them), inert on a terminal. C0 controls are
 * already escaped by JSON.stringify.
 */
export function jsonSafe(json: string): string {
  if (!JSON_UNSAFE.test(json)) return json;
  return json.replace(JSON_UNSAFE_G, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** The SGR colour sequences the renderers themselves emit (chalk): kept by `renderedSafe`. */
const RENDERED_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const RENDERED_TOKEN = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Rendered text (lines, possibly coloured) made safe as a whole: SGR colour sequences, newlines
 * and tabs stay, any other control or bidi character is escaped. The renderers' input is already
 * safe (`safeDeep`); this catches whatever a renderer printed without it.
 */
export function renderedSafe(text: string): string {
  if (!RENDERED_UNSAFE.test(text)) return text;
  return text.replace(RENDERED_TOKEN, (t) => (t.length > 1 ? t : escapeChar(t)));
}
