import type { Level } from '../types.js';

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
