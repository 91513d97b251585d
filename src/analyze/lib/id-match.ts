import { isHexId } from '../../read/needle.js';

/** ASCII letters to lower case and nothing else, so lengths and offsets are kept. */
function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

/**
 * Whether `value` contains `id` on token boundaries (`abc` in `projects/p/traces/abc`, not in
 * `abcd`); hexadecimal ids (`isHexId`) match in any case.
 */
export function idMatches(value: string, id: string): boolean {
  return idMatcher(id)(value);
}

/** `idMatches` for one id, with its case rule decided once. */
export function idMatcher(id: string): (value: string) => boolean {
  if (!isHexId(id)) return (value) => tokenMatch(value, id);
  const lower = asciiLower(id);
  return (value) => tokenMatch(asciiLower(value), lower);
}

function tokenMatch(value: string, id: string): boolean {
  let at = value.indexOf(id);
  while (at !== -1) {
    const before = at === 0 ? '' : value[at - 1];
    const after = value[at + id.length] ?? '';
    if (!/[A-Za-z0-9]/.test(before) && !/[A-Za-z0-9]/.test(after)) return true;
    at = value.indexOf(id, at + 1);
  }
  return false;
}
