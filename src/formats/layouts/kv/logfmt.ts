import type { JsonObject } from '../../../types.js';

/**
 * A hand-written logfmt scanner (no regex per pair: it runs once per line of files of
 * gigabytes). Grammar, as go-logfmt, logrus' TextFormatter, go-kit and klog v2 write it:
 * pairs separated by spaces; a key is a run of characters other than space, `=` and `"`; a
 * value is bare (up to the next space) or double-quoted with backslash escapes (`\"`, `\\`,
 * `\n`, `\t`, `\r`, `\uXXXX`); `key=` is an empty value; a key without `=` (a bare key) is
 * `true`. A bare value that opens a bracket (`{`, `(`, `[`) runs to its matching close even
 * across spaces: Go's `%v` of a struct (`conn=&Typha{Addr:"", IP:""}`) stays one value. When
 * a key repeats, its first value is kept.
 */

/** How the last `scanPairs` went: key=value pairs read and bare keys read. */
export const scanned = { pairs: 0, bare: 0 };

const SP = 32;
const TAB = 9;
const EQ = 61;
const QUOTE = 34;
const BACKSLASH = 92;

/** How many keys, by position in the line, are remembered from one line to the next. */
const MAX_CACHED = 63;
const lastKeys: (string | undefined)[] = new Array(MAX_CACHED + 1).fill(undefined);

/** Reads pairs from `line` at `start` into `out`; the counts are left in `scanned`. */
export function scanPairs(line: string, start: number, out: JsonObject): void {
  const n = line.length;
  let i = start;
  let pairs = 0;
  let bare = 0;
  let k = 0;
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c === SP || c === TAB) {
      i++;
      continue;
    }
    const ks = i;
    while (i < n) {
      c = line.charCodeAt(i);
      if (c === EQ || c === SP || c === TAB || c === QUOTE) break;
      i++;
    }
    if (i === ks) {
      // A token that opens with `=` or `"`: not a key; skipped as a bare word.
      i = skipWord(line, i);
      bare++;
      continue;
    }
    // Lines of one file repeat their keys in the same order: the key read at this position
    // last time is reused when it matches, which spares a string and its interning.
    const cached = lastKeys[k];
    const key = cached !== undefined && cached.length === i - ks && line.startsWith(cached, ks) ? cached : (lastKeys[k] = line.slice(ks, i));
    if (k < MAX_CACHED) k++;
    if (i < n && c === EQ) {
      i++;
      let value: string;
      if (i < n && line.charCodeAt(i) === QUOTE) {
        const end = closingQuote(line, i + 1);
        if (end === -1) {
          value = line.slice(i + 1);
          i = n;
        } else {
          value = unescaped ? unquote(line, i + 1, end) : line.slice(i + 1, end);
          i = end + 1;
        }
      } else {
        const vs = i;
        i = bareEnd(line, i);
        value = line.slice(vs, i);
      }
      pairs++;
      if (out[key] === undefined) out[key] = value;
    } else {
      if (i < n && c === QUOTE) i = skipWord(line, i);
      bare++;
      if (out[key] === undefined) out[key] = true;
    }
  }
  scanned.pairs = pairs;
  scanned.bare = bare;
}

/** Whether the quoted text just measured by `closingQuote` held a backslash. */
let unescaped = false;

/** Index of the quote closing a string whose text starts at `i`; -1 when unterminated. */
function closingQuote(line: string, i: number): number {
  unescaped = false;
  const n = line.length;
  for (; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c === BACKSLASH) {
      unescaped = true;
      i++;
    }
  }
  return -1;
}

/** End of a bare value: the next space outside brackets (and outside quotes within brackets). */
function bareEnd(line: string, i: number): number {
  const n = line.length;
  let depth = 0;
  for (; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c === SP || c === TAB) {
      if (depth === 0) return i;
    } else if (c === 123 || c === 40 || c === 91) depth++;
    else if ((c === 125 || c === 41 || c === 93) && depth > 0) depth--;
    else if (c === QUOTE && depth > 0) {
      const q = closingQuote(line, i + 1);
      if (q === -1) return n;
      i = q;
    }
  }
  return n;
}

/** Skips a word that is not a pair (to the next space; a quoted word as a whole). */
function skipWord(line: string, i: number): number {
  if (line.charCodeAt(i) === QUOTE) {
    const q = closingQuote(line, i + 1);
    return q === -1 ? line.length : q + 1;
  }
  return bareEnd(line, i);
}

/** The text of a quoted string between `from` and `to` with its escapes resolved. */
export function unquote(line: string, from: number, to: number): string {
  let out = '';
  let run = from;
  for (let i = from; i < to; i++) {
    if (line.charCodeAt(i) !== BACKSLASH) continue;
    out += line.slice(run, i);
    const e = line[i + 1];
    i++;
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'u': {
        const hex = line.slice(i + 1, i + 5);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else out += 'u';
        break;
      }
      case 'x': {
        const hex = line.slice(i + 1, i + 3);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 2;
        } else out += 'x';
        break;
      }
      default:
        // `\"`, `\\`, `\/` and any other escaped character stand for themselves.
        if (e !== undefined) out += e;
    }
    run = i + 1;
  }
  return out + line.slice(run, to);
}

/** Index of the quote closing the string opened by the quote at `open`; -1 when unterminated. */
export function quoteEnd(line: string, open: number): number {
  return closingQuote(line, open + 1);
}

/**
 * Where trailing `key=value` pairs begin in free text (`Pong sent to Typha connID=0x0 type=""`):
 * the start of the first word after a space that is an identifier followed by `=`, from
 * which every later word is also a pair. -1 when the text ends with no pairs.
 */
export function trailingPairsStart(text: string, from = 0): number {
  const n = text.length;
  let i = from;
  while (i < n) {
    // the start of a word
    if (i === from || text.charCodeAt(i - 1) === SP) {
      const k = keyEnd(text, i);
      if (k > i && text.charCodeAt(k) === EQ && allPairs(text, i)) return i;
    }
    const sp = text.indexOf(' ', i);
    if (sp === -1) return -1;
    i = sp + 1;
  }
  return -1;
}

/** End of an identifier-like key at `i` (letters, digits, `_`, `.`, `-`, `/`, `@`; a letter, `_` or `@` first). */
function keyEnd(text: string, i: number): number {
  const c0 = text.charCodeAt(i);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95 || c0 === 64)) return i;
  let j = i + 1;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 47 || c === 64)) break;
  }
  return j;
}

/** Whether every word from `i` on is a `key=value` pair (values as the scanner reads them). */
function allPairs(text: string, i: number): boolean {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === SP || c === TAB) {
      i++;
      continue;
    }
    const k = keyEnd(text, i);
    if (k === i || text.charCodeAt(k) !== EQ) return false;
    i = k + 1;
    if (text.charCodeAt(i) === QUOTE) {
      const q = closingQuote(text, i + 1);
      if (q === -1) return false;
      i = q + 1;
    } else i = bareEnd(text, i);
  }
  return true;
}

/** Whether `text` from `i` is only `key=value` pairs (at least one). */
export function onlyPairs(text: string, i = 0): boolean {
  while (i < text.length && text.charCodeAt(i) === SP) i++;
  return i < text.length && allPairs(text, i);
}
