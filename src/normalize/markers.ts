import { PREFIX_LEVEL_WORDS } from '../read/prefix.js';
import { LEVEL_RANK, type Level } from '../types.js';
import { ALIASES, IMPLICIT_LEVELS, LEVEL_NAMES, LEVEL_OBJECT_KEYS, NESTED_RECORD_KEYS, SHAPE_RULES, STATUS_LEVEL_KEYS, type Alias, type AliasField } from './aliases.js';
import { parseLevel } from './level.js';
import { aliasesOf } from './normalize.js';
import type { FieldOverride } from './overrides.js';
import { skipProbe, type LineProbe } from './probe.js';

/** Keys a level is derived from when a record has none: shape rules' level keys and HTTP status keys. */
const FALLBACK_LEVEL_KEYS = [...SHAPE_RULES.map((r) => r.level), ...STATUS_LEVEL_KEYS];

/** Regex text of `s` with its special characters escaped. */
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `i` also stands for `İ`, which lower-cases to `i` plus a combining dot (parseLevel keeps the `i`). */
const letter = (c: string) => (c === 'i' ? '[iİ]' : c);
/** Between the letters of a level name inside a string: anything but letters and quotes, and JSON escapes (`\n`, or `\\n` inside a Docker line). */
const FILL = '(?:[^a-z"\\\\]|\\\\+[/bfnrt])*';

/** Integers below 100 that read as `min` or above on some scale (syslog 0–7, pino 10–99, OpenTelemetry 1–24). */
function qualifyingIntegers(min: Level): number[] {
  const out: number[] = [];
  for (let n = 0; n < 100; n++) {
    const levels = [parseLevel(n), parseLevel(n, 'otel'), parseLevel(n, 'syslog')];
    if (levels.some((l) => l !== 'unknown' && LEVEL_RANK[l] >= LEVEL_RANK[min])) out.push(n);
  }
  return out;
}

/**
 * A test a raw line must pass to possibly be a record at `min` level or above, in every form
 * the normalizer reads a level: a string whose letters (parseLevel drops the rest) spell a level
 * name, a level word in a text prefix, and a number under a level key (any scale: syslog,
 * pino, OpenTelemetry; fractions and exponents always pass), or a number under a key a level is
 * derived from (an HTTP status, a shape rule's level key), escaped as deep as envelopes nest
 * (`\\\"level\\\":60`). Lines holding a `\u` escape pass,
 * since an escape can spell anything. Lines that fail are not parsed; lines that pass are
 * parsed and checked properly, so a false pass costs time, never correctness. Below `warn`
 * no marker can tell (an info record carries nothing special): the test then passes every line.
 */
export function levelLineTest(min: Level, levelKeys: readonly string[] = ALIASES.level.map((a) => a.key)): RegExp {
  if (LEVEL_RANK[min] < LEVEL_RANK.warn) return /(?:)/;
  const wanted = (name: string) => LEVEL_RANK[parseLevel(name)] >= LEVEL_RANK[min];
  const names = Object.keys(LEVEL_NAMES).filter(wanted);
  const quoted = names.map((n) => [...n].map(letter).join(FILL));
  const prefixWords = PREFIX_LEVEL_WORDS.filter(wanted);
  const keys = [...new Set(levelKeys.map((k) => k.toLowerCase().split('.').pop()!))].map((k) => [...literal(k)].map(letter).join(''));
  const ints = qualifyingIntegers(min).sort((a, b) => b - a).join('|');
  const number = `-?0*(?:\\d{3,}|\\d*[.e]|(?:${ints})(?!\\d))`;
  // Keys a level is derived from, whole (a short key such as `s` must not match the end of `ms`).
  const fallback = [...new Set(FALLBACK_LEVEL_KEYS.map((k) => k.toLowerCase().split('.').pop()!))].map((k) => [...literal(k)].map(letter).join(''));
  return new RegExp(
    [
      '\\\\u',
      `\\b(?:${prefixWords.join('|')})\\b`,
      `"${FILL}(?:${quoted.join('|')})${FILL}\\\\*"`,
      `(?:${keys.join('|')})\\\\*"\\s*:\\s*(?:\\\\*"\\s*)?${number}`,
      `"(?:${fallback.join('|')})\\\\*"\\s*:\\s*(?:\\\\*"\\s*)?${number}`,
    ].join('|'),
    'i',
  );
}

/** The lines `errors` must parse at `min`: possible errors, circuit-breaker events and cascade flags. */
export function errorsLineTest(min: Level, levelKeys?: readonly string[]): RegExp {
  return new RegExp(`${levelLineTest(min, levelKeys).source}|circuit|cascade_prevented`, 'i');
}

/**
 * The lines `errors` may skip unread: records below `min` (judged from their bytes, exactly as
 * the normalizer reads levels) that are not circuit-breaker events (no message or event type
 * mentioning a circuit) and carry no `cascade_prevented` flag. Lines it cannot judge are left
 * to `errorsLineTest`.
 */
function errorsLineSkip(aliases: (field: AliasField) => readonly Alias[], min: Level): LineProbe {
  return skipProbe({
    levelAliases: aliases('level'),
    implicitLevels: IMPLICIT_LEVELS,
    min,
    watch: [...aliases('message'), ...aliases('eventType')].map((a) => a.key),
    word: 'circuit',
    flags: ['cascade_prevented'],
    nested: NESTED_RECORD_KEYS,
    fallbackLevels: FALLBACK_LEVEL_KEYS,
  });
}

/** How `errors` picks the lines it parses: a byte probe that skips records below `min`, then a marker test. */
export function errorsLineFilters(overrides: FieldOverride[], min: Level): { lineSkip: LineProbe; lineTest: RegExp | undefined } {
  const aliases = (field: AliasField) => aliasesOf(field, overrides);
  // Below warn every line may hold a wanted record: a marker test would only drop records.
  // The keys of level objects (`{"level":{"no":40}}`) may hold a level number too.
  const lineTest = LEVEL_RANK[min] >= LEVEL_RANK.warn ? errorsLineTest(min, [...aliases('level').map((a) => a.key), ...LEVEL_OBJECT_KEYS]) : undefined;
  return { lineSkip: errorsLineSkip(aliases, min), lineTest };
}
