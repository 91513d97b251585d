import { ENVELOPE_KEYS } from '../formats/envelopes/index.js';
import { LEVEL_RANK, type Level } from '../types.js';
import type { Alias } from './aliases.js';
import { parseLevel } from './level.js';

/** Tells from a line's bytes, without decoding it, whether the command can skip it. */
export type LineProbe = (buf: Buffer, start: number, end: number) => boolean;

/** What a command that only wants records at or above a level (and a few marked ones) skips. */
export interface ProbeSpec {
  /** The level aliases in the order the normalizer tries them. */
  levelAliases: readonly Alias[];
  /** Keys that give a level when no level key is present (CLEF's `@t`). */
  implicitLevels: readonly { key: string; level: Level }[];
  /** Records at or above this level are wanted. */
  min: Level;
  /** Keys whose text is wanted at any level when it holds `word` in any case (message, event type). */
  watch: readonly string[];
  word: string;
  /** Keys whose presence makes a record wanted at any level (`cascade_prevented`). */
  flags: readonly string[];
  /** Keys under which a whole record may be nested (`record`): an object under one is not judged. */
  nested?: readonly string[];
  /**
   * Keys (dotted: any of their heads too) from which the normalizer derives a level when a
   * record has no level key (shape rules' level keys, HTTP status keys): such a record is not judged.
   */
  fallbackLevels?: readonly string[];
}

/**
 * Envelope keys (formats/envelopes): a line holding one may hold records of any level inside.
 * journald's `MESSAGE` is left out: its level is its `PRIORITY`, which the probe reads, and the
 * probe matches keys in any case (`message` is every other logger's message).
 */
const PROBE_ENVELOPE_KEYS = ENVELOPE_KEYS.filter((k) => k !== 'MESSAGE').map((k) => k.toLowerCase());

const QUOTE = 34;
const BACKSLASH = 92;
const NONE = -1;
const JUDGE_NOT = -2;
const WATCH = -3;
const FLAG = -4;
const FALLBACK = -5;
const HEAD = 1;
const LEVEL_HEAD = 2;
/** Implicit-level keys are IMPLICIT, IMPLICIT - 1, … in list order. */
const IMPLICIT = -6;

/** JSON white space (a line holds no line feed). */
function isSpace(b: number): boolean {
  return b === 32 || b === 9 || b === 13;
}

/** The index after the white space at `i`. Callers test `isSpace` first: white space is rare in JSON lines. */
function space(buf: Buffer, i: number, end: number): number {
  while (i < end && (buf[i] === 32 || buf[i] === 9 || buf[i] === 13)) i++;
  return i;
}

/** The index after the JSON string whose opening quote is at `i`, or -1 (unterminated). */
function stringEnd(buf: Buffer, i: number, end: number): number {
  for (i++; i < end; i++) {
    const b = buf[i];
    if (b === QUOTE) return i + 1;
    if (b === BACKSLASH) i++;
  }
  return -1;
}

/** Set by `keyStringEnd`: 1 when the key holds an escape, 2 when it holds non-ASCII bytes. */
let keyFlags = 0;

/** As `stringEnd`, noting in `keyFlags` what the key holds. */
function keyStringEnd(buf: Buffer, i: number, end: number): number {
  let flags = 0;
  for (i++; i < end; i++) {
    const b = buf[i];
    if (b === QUOTE) {
      keyFlags = flags;
      return i + 1;
    }
    if (b >= 128) flags |= 2;
    else if (b === BACKSLASH) {
      flags |= 1;
      i++;
    }
  }
  return -1;
}

/** The index after the value at `i` (string, number, literal, nested object or array), or -1. */
function valueEnd(buf: Buffer, i: number, end: number): number {
  const c = buf[i];
  if (c === QUOTE) return stringEnd(buf, i, end);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (; i < end; i++) {
      const b = buf[i];
      if (b === QUOTE) {
        i = stringEnd(buf, i, end) - 1;
        if (i < 0) return -1;
      } else if (b === 123 || b === 91) depth++;
      else if ((b === 125 || b === 93) && --depth === 0) return i + 1;
    }
    return -1;
  }
  const from = i;
  for (; i < end; i++) {
    const b = buf[i];
    if (b === 44 || b === 125 || b === 32 || b === 9 || b === 13) break;
  }
  return i > from ? i : -1;
}

/** Bytes a JSON string escape may name after the backslash: `"` `\` `/` b f n r t (u is checked apart). */
const SHORT_ESCAPE = new Uint8Array(128);
for (const c of '"\\/bfnrt') SHORT_ESCAPE[c.charCodeAt(0)] = 1;

function isHex(b: number): boolean {
  return (b >= 48 && b <= 57) || ((b | 32) >= 97 && (b | 32) <= 102);
}

/** The index after the strict JSON string at `i` (an opening quote), or -1: no raw control character, only valid escapes. */
function strictStringEnd(buf: Buffer, i: number, end: number): number {
  for (i++; i < end; i++) {
    const b = buf[i];
    if (b === QUOTE) return i + 1;
    if (b < 32) return -1;
    if (b === BACKSLASH) {
      const c = buf[++i];
      if (c === 117) {
        if (i + 4 >= end || !isHex(buf[i + 1]) || !isHex(buf[i + 2]) || !isHex(buf[i + 3]) || !isHex(buf[i + 4])) return -1;
        i += 4;
      } else if (!(c < 128 && SHORT_ESCAPE[c])) return -1;
    }
  }
  return -1;
}

/** The index after the strict JSON number at `i`, or -1. */
function numberEnd(buf: Buffer, i: number, end: number): number {
  if (buf[i] === 45) i++;
  if (buf[i] === 48) i++;
  else if (buf[i] >= 49 && buf[i] <= 57) while (i < end && buf[i] >= 48 && buf[i] <= 57) i++;
  else return -1;
  if (buf[i] === 46) {
    i++;
    if (!(buf[i] >= 48 && buf[i] <= 57)) return -1;
    while (i < end && buf[i] >= 48 && buf[i] <= 57) i++;
  }
  if ((buf[i] | 32) === 101) {
    i++;
    if (buf[i] === 43 || buf[i] === 45) i++;
    if (!(buf[i] >= 48 && buf[i] <= 57)) return -1;
    while (i < end && buf[i] >= 48 && buf[i] <= 57) i++;
  }
  return i;
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

/**
 * Whether `buf[start, end)` is, as `JSON.parse` reads it, one JSON object (white space around
 * it allowed). A line the reader would not parse as one record must never be skipped unread:
 * it may be unparsed, read by a text layout, or continue the record before it.
 */
export function isJsonObject(buf: Buffer, start: number, end: number): boolean {
  let i = space(buf, start, end);
  if (buf[i] !== 123) return false;
  /** Open containers: true for an object, false for an array. */
  const stack: boolean[] = [];
  // Each step reads a value at `i` (or a container's close), then what may follow it.
  let expectKey = false;
  for (;;) {
    i = space(buf, i, end);
    if (i >= end) return false;
    let b = buf[i];
    if (expectKey) {
      // Just after `{` or `,` inside an object: a key (or `}` right after `{`).
      if (b !== QUOTE) return false;
      i = strictStringEnd(buf, i, end);
      if (i === -1) return false;
      i = space(buf, i, end);
      if (buf[i] !== 58) return false;
      i = space(buf, i + 1, end);
      if (i >= end) return false;
      b = buf[i];
      expectKey = false;
    }
    if (b === 123 || b === 91) {
      stack.push(b === 123);
      i = space(buf, i + 1, end);
      if (buf[i] === (b === 123 ? 125 : 93)) {
        stack.pop();
        i++;
      } else {
        expectKey = b === 123;
        continue;
      }
    } else if (b === QUOTE) i = strictStringEnd(buf, i, end);
    else if (b === 45 || (b >= 48 && b <= 57)) i = numberEnd(buf, i, end);
    else {
      const lit = b === 116 ? TRUE : b === 102 ? FALSE : b === 110 ? NULL : undefined;
      if (!lit || i + lit.length > end || buf.compare(lit, 0, lit.length, i, i + lit.length) !== 0) return false;
      i += lit.length;
    }
    if (i === -1) return false;
    // After a value: `,` (next member or element), or closes, until the outer object closes.
    for (;;) {
      if (stack.length === 0) return space(buf, i, end) === end;
      i = space(buf, i, end);
      const inObject = stack[stack.length - 1];
      if (buf[i] === 44) {
        i++;
        expectKey = inObject;
        break;
      }
      if (buf[i] !== (inObject ? 125 : 93)) return false;
      stack.pop();
      i++;
    }
  }
}

/** Whether `buf[s, e)` holds the lower-case ASCII `word` in any case. */
function holdsWord(buf: Buffer, s: number, e: number, word: Uint8Array): boolean {
  const first = word[0];
  for (let i = s; i + word.length <= e; i++) {
    if ((buf[i] | 32) !== first) continue;
    let k = 1;
    while (k < word.length && (buf[i + k] | 32) === word[k]) k++;
    if (k === word.length) return true;
  }
  return false;
}

/**
 * A probe that recognises, from its bytes alone, a JSON line whose record a command can skip: a
 * well-formed one-line object whose level, read exactly as the normalizer reads it (the first
 * alias, in alias order, holding a recognised level; case-insensitive keys), is below `min`, and
 * that has no flag key and no watched key whose text holds the word.
 *
 * Anything it cannot judge is not skipped (false) and goes on to be parsed: text prefixes,
 * Docker wrappers (`log`), keys with escapes or non-ASCII characters, a key repeated, escaped
 * level or watched values, nested values under a dotted alias's head (`log.level`).
 */
export function skipProbe(spec: ProbeSpec): LineProbe {
  const classes = new Map<string, number>();
  const scales: Alias['levelScale'][] = [];
  const heads = new Set<string>();
  /** Heads of dotted level aliases: the normalizer counts them as level keys present. */
  const levelHeads = new Set<string>();
  const addHeads = (k: string, into = heads) => {
    for (let d = k.indexOf('.'); d !== -1; d = k.indexOf('.', d + 1)) into.add(k.slice(0, d));
  };
  /** A key of two roles (a message alias that is also a flag) is not judged. */
  const add = (key: string, cls: number) => {
    const k = key.toLowerCase();
    const had = classes.get(k);
    classes.set(k, had === undefined || had === cls ? cls : JUDGE_NOT);
    addHeads(k);
  };
  for (const a of spec.levelAliases) {
    const k = a.key.toLowerCase();
    if (classes.has(k)) continue;
    // Ranks beyond a 31-bit mask are not judged.
    add(k, scales.length < 31 ? scales.length : JUDGE_NOT);
    addHeads(k, levelHeads);
    scales.push(a.levelScale);
  }
  for (const w of spec.watch) add(w, WATCH);
  for (const f of spec.flags) add(f, FLAG);
  spec.implicitLevels.forEach((l, n) => add(l.key, IMPLICIT - n));
  // Fallback level keys: the literal key and every head of a dotted one, without making the
  // heads' objects unjudged (a `res` object beside a level key is still judged by that level).
  for (const f of spec.fallbackLevels ?? []) {
    const k = f.toLowerCase();
    for (const part of [k, ...[...k].flatMap((ch, d) => (ch === '.' ? [k.slice(0, d)] : []))]) {
      const had = classes.get(part);
      classes.set(part, had === undefined || had === FALLBACK ? FALLBACK : JUDGE_NOT);
    }
  }
  for (const k of spec.nested ?? []) heads.add(k.toLowerCase());
  for (const h of heads) if (!classes.has(h)) classes.set(h, NONE);
  // Envelopes are unwrapped by the reader (formats/envelopes): a line holding one of their keys
  // may hold records of any level inside, so it is not judged here.
  for (const k of PROBE_ENVELOPE_KEYS) classes.set(k, JUDGE_NOT);

  /** Keys by length and first byte; `head`: HEAD when the key heads a dotted alias (an object under it is not judged), plus LEVEL_HEAD for a level alias. */
  const entries = [...classes].map(([key, cls]) => ({ bytes: Buffer.from(key, 'latin1'), cls, head: (heads.has(key) ? HEAD : 0) | (levelHeads.has(key) ? LEVEL_HEAD : 0) }));
  const longest = Math.max(0, ...entries.map((e) => e.bytes.length));
  // slot (length, first byte) → the first of its entries in `sorted`; -1: no key of that length starts so.
  const sorted = [...entries].sort((a, b) => (a.bytes.length << 7 | a.bytes[0]) - (b.bytes.length << 7 | b.bytes[0]));
  const slots = new Int32Array((longest + 1) << 7).fill(-1);
  for (let k = sorted.length - 1; k >= 0; k--) slots[(sorted[k].bytes.length << 7) | (sorted[k].bytes[0] & 127)] = k;
  // Only the Kelvin sign lower-cases from non-ASCII to ASCII (to `k`): other non-ASCII keys are no alias.
  const highMayMatch = [...classes.keys()].some((k) => k.includes('k'));
  const implicit = spec.implicitLevels.map((l) => ({ key: Buffer.from(l.key, 'latin1'), level: l.level }));
  const word = Uint8Array.from(Buffer.from(spec.word.toLowerCase(), 'latin1'));
  const minRank = LEVEL_RANK[spec.min];
  /** Per level alias, level values seen (as bytes) and what they read as. */
  const seenLevels = scales.map(() => [] as { bytes: Buffer; level: Level }[]);

  /** Set by `classOf`: HEAD and LEVEL_HEAD bits of the key. */
  let head = 0;
  /** The class of the key in `buf[s, e)` (`flags`: 1 escape, 2 non-ASCII): a level alias rank, or NONE, JUDGE_NOT, WATCH, FLAG, IMPLICIT…. */
  const classOf = (buf: Buffer, s: number, e: number, flags: number): number => {
    head = 0;
    if (flags !== 0 && (flags & 1 || highMayMatch)) return JUDGE_NOT;
    const len = e - s;
    if (len === 0 || len > longest) return NONE;
    let first = buf[s];
    if (first >= 65 && first <= 90) first += 32;
    const slot = (len << 7) | (first & 127);
    let c = slots[slot];
    if (c === -1) return NONE;
    for (; c < sorted.length; c++) {
      const entry = sorted[c];
      const key = entry.bytes;
      if (key.length !== len || key[0] !== first) return NONE;
      let i = 1;
      for (; i < len; i++) {
        let b = buf[s + i];
        if (b >= 65 && b <= 90) b += 32;
        if (b !== key[i]) break;
      }
      if (i === len) {
        head = entry.head;
        return entry.cls;
      }
    }
    return NONE;
  };

  /** The level a level key's value gives, 'unknown' (the normalizer then tries the next alias), or undefined (not judged). */
  const levelOf = (buf: Buffer, v: number, e: number, rank: number): Level | undefined => {
    const c = buf[v];
    if (c === QUOTE) {
      const s = v + 1;
      const len = e - 1 - s;
      const seen = seenLevels[rank];
      for (let k = 0; k < seen.length; k++) {
        const bytes = seen[k].bytes;
        if (bytes.length !== len) continue;
        let i = 0;
        while (i < len && buf[s + i] === bytes[i]) i++;
        if (i === len) return seen[k].level;
      }
      for (let j = s; j < e - 1; j++) if (buf[j] === BACKSLASH || buf[j] >= 128) return undefined;
      const level = parseLevel(buf.toString('latin1', s, e - 1), scales[rank]);
      if (seen.length < 16) seen.push({ bytes: Buffer.from(buf.subarray(s, e - 1)), level });
      return level;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const n = Number(buf.toString('latin1', v, e));
      return Number.isFinite(n) ? parseLevel(n, scales[rank]) : undefined;
    }
    // A level object (`{"name":"ERROR","no":40}`) is not judged; null is passed over by the
    // normalizer; true, false and arrays read as no level.
    return c === 123 ? undefined : 'unknown';
  };

  return (buf, start, end) => {
    if (buf[start] !== 123) return false;
    let seen = 0;
    let bestRank = Infinity;
    let best: Level = 'unknown';
    let anyLevelKey = false;
    let implicitSeen = 0;
    let fallbackSeen = false;
    let i = isSpace(buf[start + 1]) ? space(buf, start + 1, end) : start + 1;
    if (buf[i] === 125) return false;
    for (;;) {
      if (buf[i] !== QUOTE) return false;
      const keyEnd = keyStringEnd(buf, i, end);
      if (keyEnd === -1) return false;
      const cls = classOf(buf, i + 1, keyEnd - 1, keyFlags);
      if (cls === JUDGE_NOT || cls === FLAG) return false;
      if (cls === FALLBACK) fallbackSeen = true;
      if (cls <= IMPLICIT) {
        // Implicit levels go by the exact key, as the normalizer reads them.
        const n = IMPLICIT - cls;
        if (buf.compare(implicit[n].key, 0, implicit[n].key.length, i + 1, keyEnd - 1) === 0) implicitSeen |= 1 << n;
      }
      i = isSpace(buf[keyEnd]) ? space(buf, keyEnd, end) : keyEnd;
      if (buf[i] !== 58) return false;
      i = isSpace(buf[i + 1]) ? space(buf, i + 1, end) : i + 1;
      const v = i;
      // An object under a dotted alias's head may hold that alias (`{"log":{"level":…}}`).
      if (head !== 0 && buf[v] === 123) return false;
      if (head & LEVEL_HEAD) anyLevelKey = true;
      i = valueEnd(buf, i, end);
      if (i === -1) return false;
      if (cls >= 0) {
        // A key written twice (in any case) may hold the deciding value in either place.
        if (seen & (1 << cls)) return false;
        seen |= 1 << cls;
        anyLevelKey = true;
        if (buf[v] !== 110 /* null */) {
          const l = levelOf(buf, v, i, cls);
          if (l === undefined) return false;
          if (l !== 'unknown' && cls < bestRank) {
            bestRank = cls;
            best = l;
          }
        }
      } else if (cls === WATCH) {
        const c = buf[v];
        if (c === QUOTE) {
          for (let j = v + 1; j < i - 1; j++) if (buf[j] === BACKSLASH) return false;
          if (holdsWord(buf, v + 1, i - 1, word)) return false;
        } else if (c === 123 || c === 91) return false;
      }
      i = isSpace(buf[i]) ? space(buf, i, end) : i;
      const d = buf[i];
      if (d === 125) break;
      if (d !== 44) return false;
      i = isSpace(buf[i + 1]) ? space(buf, i + 1, end) : i + 1;
    }
    if (space(buf, i + 1, end) !== end) return false;
    let level = best;
    if (!anyLevelKey) {
      const n = implicit.findIndex((_, k) => implicitSeen & (1 << k));
      if (n !== -1) level = implicit[n].level;
      // No level key, no implicit level: the normalizer derives one from these keys' values.
      else if (fallbackSeen) return false;
    }
    // Skipped only when the reader would make exactly this one record of the line.
    return LEVEL_RANK[level] < minRank && isJsonObject(buf, start, end);
  };
}
