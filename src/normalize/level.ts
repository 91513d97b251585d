import type { Level } from '../types.js';
import { LEVEL_NAMES, LEVEL_OBJECT_KEYS } from './aliases.js';

/** pino/bunyan: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
function pinoLevel(n: number): Level {
  if (n >= 60) return 'fatal';
  if (n >= 50) return 'error';
  if (n >= 40) return 'warn';
  if (n >= 30) return 'info';
  if (n >= 20) return 'debug';
  return 'trace';
}

/** OpenTelemetry SeverityNumber: 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error, 21–24 fatal. */
export function otelLevel(n: number): Level {
  if (n < 1 || n > 24) return 'unknown';
  return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[Math.floor((n - 1) / 4)];
}

/** Syslog priority: 0–2 emergency/alert/critical, 3 error, 4 warning, 5–6 notice/info, 7 debug. */
function syslogLevel(n: number): Level {
  if (n < 0 || n > 7) return 'unknown';
  if (n <= 2) return 'fatal';
  if (n === 3) return 'error';
  if (n === 4) return 'warn';
  if (n <= 6) return 'info';
  return 'debug';
}

/**
 * Reads a level value: a name in any case (`WARNING`, `Err`, `[error]`), a pino/bunyan number,
 * an OpenTelemetry SeverityNumber or a syslog priority (small numbers are syslog, as GELF and
 * journald write them). Anything else is `unknown`, never silently info.
 */
export function parseLevel(value: unknown, scale?: 'otel' | 'syslog'): Level {
  if (typeof value === 'number') return numericLevel(value, scale);
  if (typeof value !== 'string') return value !== null && typeof value === 'object' && !Array.isArray(value) ? objectLevel(value as Record<string, unknown>, scale) : 'unknown';
  const s = value.trim().toLowerCase();
  const named = LEVEL_NAMES[s];
  if (named) return named;
  if (/^-?\d+$/.test(s)) return numericLevel(Number(s), scale);
  const word = s.replace(/[^a-z]/g, '');
  return LEVEL_NAMES[word] ?? 'unknown';
}

function numericLevel(n: number, scale?: 'otel' | 'syslog'): Level {
  if (!Number.isFinite(n)) return 'unknown';
  if (scale === 'otel') return otelLevel(n);
  if (scale === 'syslog' || (n >= 0 && n <= 7 && Number.isInteger(n))) return syslogLevel(n);
  return n >= 10 ? pinoLevel(n) : 'unknown';
}

/** A level object (`{"name":"INFO","no":20}`): the first of `LEVEL_OBJECT_KEYS`, in any case, that reads as a level. */
function objectLevel(obj: Record<string, unknown>, scale?: 'otel' | 'syslog'): Level {
  const lower = new Map<string, unknown>();
  for (const k in obj) if (!lower.has(k.toLowerCase())) lower.set(k.toLowerCase(), obj[k]);
  for (const k of LEVEL_OBJECT_KEYS) {
    const v = lower.get(k);
    // One level deep only: a level object inside a level object is not a level.
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    const l = parseLevel(v, scale);
    if (l !== 'unknown') return l;
  }
  return 'unknown';
}
