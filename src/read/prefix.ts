/** A time at the start of a text prefix: ISO-like, optionally with fraction and zone. */
const PREFIX_TIME = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)/;
/** The level words a text prefix may carry (matched whole, in any case). */
export const PREFIX_LEVEL_WORDS = ['TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'WARNING', 'ERROR', 'ERR', 'CRITICAL', 'CRIT', 'FATAL', 'PANIC', 'EMERG', 'ALERT'];
/** A level word inside a text prefix. */
const PREFIX_LEVEL = new RegExp(`\\b(${PREFIX_LEVEL_WORDS.join('|')})\\b`, 'i');

/** What a text prefix before a JSON object says about the record, as fallbacks. */
export interface PrefixHints {
  time?: string;
  level?: string;
}

/** Reads the time and level out of a prefix like `2024-01-15 10:30:45 INFO ` or a CRI prefix. */
export function prefixHints(prefix: string): PrefixHints {
  const hints: PrefixHints = {};
  const t = PREFIX_TIME.exec(prefix);
  if (t) hints.time = t[1];
  const l = PREFIX_LEVEL.exec(prefix);
  if (l) hints.level = l[1];
  return hints;
}
