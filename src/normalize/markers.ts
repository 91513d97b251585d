import type { Level } from '../types.js';
import { IMPLICIT_LEVELS, type Alias, type AliasField } from './aliases.js';
import { aliasesOf } from './normalize.js';
import type { FieldOverride } from './overrides.js';
import { skipProbe, type LineProbe } from './probe.js';

/**
 * A test a raw line must pass to possibly be a record at `min` level or above, in any form the
 * alias table reads: level words and abbreviations in any case, pino/bunyan numbers, syslog
 * priorities and OpenTelemetry severity numbers under their keys. Lines that fail are not
 * parsed; lines that pass are parsed and checked properly, so a word that also occurs
 * elsewhere (`stderr`) costs time, never correctness.
 */
export function levelLineTest(min: Level): RegExp {
  const words = ['err', 'eror', 'fatal', 'ftl', 'crit', 'emerg', 'alert', 'panic', 'severe', '"[ef]"'];
  let pino = '[56]\\d';
  let syslog = '[0-3]';
  let otel = '1[7-9]|2[0-4]';
  if (min === 'warn' || min === 'info' || min === 'debug' || min === 'trace' || min === 'unknown') {
    words.push('warn', 'wrn', '"w"');
    pino = '[4-6]\\d';
    syslog = '[0-4]';
    otel = '1[3-9]|2[0-4]';
  }
  if (min === 'fatal') {
    words.splice(0, 2);
    pino = '6\\d';
    syslog = '[0-2]';
    otel = '2[1-4]';
  }
  // Keys may be escaped: a Docker json-file line holds the record as a string (`\"level\":50`).
  const key = (k: string) => `"${k}\\\\?"\\s*:\\s*(?:\\\\?")?`;
  const numeric = `${key('(?:level|lvl)')}(?:${pino}|${syslog})\\b|${key('severitynumber')}(?:${otel})\\b|${key('priority')}${syslog}\\b`;
  return new RegExp(`${words.join('|')}|${numeric}`, 'i');
}

/** The lines `errors` must parse: possible errors, circuit-breaker events and cascade flags. */
export function errorsLineTest(min: Level): RegExp {
  return new RegExp(`${levelLineTest(min).source}|circuit|cascade_prevented`, 'i');
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
  });
}

/** How `errors` picks the lines it parses: a byte probe that skips records below `min`, then a marker test. */
export function errorsLineFilters(overrides: FieldOverride[], min: Level): { lineSkip: LineProbe; lineTest: RegExp } {
  return { lineSkip: errorsLineSkip((field) => aliasesOf(field, overrides), min), lineTest: errorsLineTest(min) };
}
