import type { JsonObject } from '../../types.js';

/** Keys whose values are secrets, at any depth. */
export const SECRET_KEY = /(?:^|[_.-])(?:pass(?:word|wd)?|pwd|token|secret|authorization|auth[_-]?token|api[_-]?key|apikey|cookie|set[_-]cookie|private[_-]?key|access[_-]?key|client[_-]?secret|credentials?)$|^(?:authorization|cookie|set-cookie|password|token|secret)$/i;

/** Card-number-shaped runs: 13–19 digits with optional single spaces or dashes. */
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
/** Bearer and basic credentials inside text. */
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/** Luhn check: only card-shaped numbers that pass it are treated as card numbers. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Counts what was redacted. */
export interface RedactCounter {
  values: number;
}

function redactText(s: string, n: RedactCounter): string {
  let out = s;
  if (/\d{4}/.test(out)) {
    out = out.replace(CARD, (m) => {
      const digits = m.replace(/[ -]/g, '');
      if (digits.length < 13 || !luhn(digits)) return m;
      n.values++;
      return '[REDACTED-CARD]';
    });
  }
  if (out.includes('Bearer') || out.includes('Basic')) {
    out = out.replace(BEARER, (_m, kind: string) => {
      n.values++;
      return `${kind} [REDACTED]`;
    });
  }
  return out;
}

/**
 * A copy of a value with secrets replaced: values under secret-looking keys, card numbers
 * (Luhn-valid) and bearer credentials inside strings. Unchanged parts are shared, not copied.
 */
export function redact(value: unknown, n: RedactCounter): unknown {
  if (typeof value === 'string') return redactText(value, n);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const r = redact(v, n);
      if (r !== v) changed = true;
      return r;
    });
    return changed ? out : value;
  }
  if (value === null || typeof value !== 'object') return value;
  let out: JsonObject | undefined;
  for (const [k, v] of Object.entries(value as JsonObject)) {
    let r: unknown;
    if (SECRET_KEY.test(k) && v !== null && v !== '' && typeof v !== 'object') {
      n.values++;
      r = '[REDACTED]';
    } else r = redact(v, n);
    if (r !== v) {
      out ??= { ...(value as JsonObject) };
      out[k] = r;
    }
  }
  return out ?? value;
}
