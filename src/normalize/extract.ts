import { UsageError } from '../errors.js';
import type { JsonObject } from '../types.js';

/**
 * A field taken from a record's text by a regular expression (`--extract 'name=regex'`, or
 * `extract` in the config file): plain data, so worker threads build the same extractors.
 */
export interface ExtractSpec {
  name: string;
  pattern: string;
}

/** A field name: letters, digits, `_`, `-`, `.` and `@`, starting with a letter, `_` or `@`, not ending with a dot. */
const FIELD_NAME = /^[A-Za-z_@][A-Za-z0-9_@.-]*$/;

/** How many capture groups a regular expression has (named ones included). */
function groupCount(re: RegExp): number {
  // An alternative that matches the empty string makes every pattern match '': the result has one slot per group.
  return new RegExp(`${re.source}|`, re.flags.replace(/[gy]/g, '')).exec('')!.length - 1;
}

/**
 * Checks one extraction: the name must be a field name, the pattern must compile and have
 * exactly one capture group (the value). Errors are one line naming where the value came from.
 */
export function checkExtract(spec: ExtractSpec, origin: string): ExtractSpec {
  const shown = `${spec.name}=${spec.pattern}`;
  if (!FIELD_NAME.test(spec.name) || spec.name.endsWith('.')) {
    throw new UsageError(`${origin} '${shown}': '${spec.name}' is not a field name (letters, digits, _ - . @; e.g. user_id=user=(\\w+))`);
  }
  if (spec.pattern === '') throw new UsageError(`${origin} '${shown}': the regular expression is empty`);
  let re: RegExp;
  try {
    re = new RegExp(spec.pattern);
  } catch (e) {
    throw new UsageError(`${origin} '${shown}': invalid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  const n = groupCount(re);
  if (n !== 1) {
    throw new UsageError(`${origin} '${shown}': the regular expression must have exactly one capture group (the value), it has ${n}; use (?:…) for other groups`);
  }
  return { name: spec.name, pattern: spec.pattern };
}

/** Parses `name=regex` (the first `=` ends the name; the regex may hold more). */
export function parseExtract(text: string, origin = '--extract'): ExtractSpec {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${origin} '${text}': expected <name>=<regex with one capture group>, e.g. user_id='user=(\\w+)'`);
  return checkExtract({ name: text.slice(0, eq).trim(), pattern: text.slice(eq + 1) }, origin);
}

/**
 * The config file's `extract`: an object of name → regex, or a list of `name=regex` strings.
 * Anything else is a usage error naming the file.
 */
export function extractsFromConfig(value: unknown, file = 'config'): ExtractSpec[] {
  if (value === undefined) return [];
  const origin = `${file} extract`;
  if (Array.isArray(value)) {
    return value.map((v) => {
      if (typeof v !== 'string') throw new UsageError(`${origin}: expected "name=regex" strings, got ${JSON.stringify(v)}`);
      return parseExtract(v, origin);
    });
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([name, pattern]) => {
      if (typeof pattern !== 'string') throw new UsageError(`${origin} '${name}': expected a regular expression string, got ${JSON.stringify(pattern)}`);
      return checkExtract({ name, pattern }, origin);
    });
  }
  throw new UsageError(`${origin}: expected an object of name: regex (or a list of "name=regex")`);
}

/** Extractions compiled once. */
export interface Extractor {
  name: string;
  re: RegExp;
}

export function compileExtractors(specs: readonly ExtractSpec[] = []): Extractor[] {
  return specs.map((s) => ({ name: s.name, re: new RegExp(s.pattern) }));
}

/**
 * Adds the extracted fields to a record's object: each regex is tried on the message first,
 * then on the whole line as read; the first match's group is the value (a string, as in the
 * text). A field the record already has is kept as it is; a regex that does not match, or
 * whose group took no part in the match, adds nothing. True when a field was added.
 */
export function extractInto(obj: JsonObject, message: string | undefined, line: string | undefined, extractors: readonly Extractor[]): boolean {
  let added = false;
  for (const x of extractors) {
    if (obj[x.name] !== undefined) continue;
    let m = message === undefined ? null : x.re.exec(message);
    if ((m === null || m[1] === undefined) && line !== undefined && line !== message) m = x.re.exec(line);
    if (m === null || m[1] === undefined) continue;
    obj[x.name] = m[1];
    added = true;
  }
  return added;
}
