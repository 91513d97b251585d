import { isHexId } from '../../read/needle.js';

/**
 * Whether a character code is an id character (`[A-Za-z0-9_-]`): an id found in text counts
 * only when neither neighbour is one, so `abc` is found in `TraceID: abc`, `[req=abc]` and
 * `traceID=abc,` but not in `abcd`, `xabc`, `abc_2` or `abc-2`.
 */
function isIdChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

/** Escapes a text for use inside a regular expression. */
function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/**
 * A test for one id occurring as a whole token anywhere in a text (a message, a raw line):
 * not preceded nor followed by an id character. Hexadecimal ids (`isHexId`: trace ids, UUIDs)
 * match in any ASCII case, as the byte prefilter finds them (`Needle.forId`); other ids exactly.
 */
export function textMatcher(id: string): (text: string) => boolean {
  if (id === '') return () => false;
  if (isHexId(id)) {
    // ASCII-only case folding (no `u` flag): offsets and lengths stay those of the text.
    const re = new RegExp(escapeRegex(id), 'gi');
    return (text) => {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (bounded(text, m.index, id.length)) return true;
        re.lastIndex = m.index + 1;
      }
      return false;
    };
  }
  return (text) => {
    for (let at = text.indexOf(id); at !== -1; at = text.indexOf(id, at + 1)) {
      if (bounded(text, at, id.length)) return true;
    }
    return false;
  };
}

/** Whether the occurrence at `at` of `len` characters has no id character on either side. */
function bounded(text: string, at: number, len: number): boolean {
  if (at > 0 && isIdChar(text.charCodeAt(at - 1))) return false;
  const after = at + len;
  return after >= text.length || !isIdChar(text.charCodeAt(after));
}

/** Whether `id` occurs as a whole token in `text` (see `textMatcher`). */
export function textMatches(text: string, id: string): boolean {
  return textMatcher(id)(text);
}
