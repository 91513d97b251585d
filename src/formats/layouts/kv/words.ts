import { LEVEL_NAMES } from '../../../normalize/aliases.js';

/** Level words that may also open an ordinary sentence (`Alert sent`, `Config loaded`): levels only in capitals. */
const CAPITALS_ONLY = new Set(['alert', 'config', 'fine', 'finer', 'finest', 'information', 'informational', 'verbose']);

/**
 * Whether `word` is a level word as text layouts write one after a time: a level name of at
 * least three letters in any case (`INFO`, `warning`, `Err`), or in capitals only for words
 * that also open sentences. Single letters (`I`, `E`) are not levels here.
 */
export function isLevelWord(word: string): boolean {
  if (word.length < 3 || word.length > 13) return false;
  const lower = word.toLowerCase();
  if (LEVEL_NAMES[lower] === undefined) return false;
  return !CAPITALS_ONLY.has(lower) || word === word.toUpperCase();
}

/** A level word with its bracket or colon, at the start of `text`: `[ERROR]`, `<warn>`, `(INFO)`, `ERROR:`, `INFO`. */
const LEADING_LEVEL = /^(?:\[([A-Za-z]{3,13})\]|<([A-Za-z]{3,13})>|\(([A-Za-z]{3,13})\)|([A-Za-z]{3,13})(?=[:\s|]|$))/;

/**
 * The level word opening `text` and where the message goes on after it (and a following
 * `:`); undefined when none. A capitalised word that opens a sentence (`Error connecting to
 * db`, no bracket, no colon) gives the level but stays in the message (`end` 0).
 */
export function leadingLevel(text: string): { level: string; end: number } | undefined {
  const m = LEADING_LEVEL.exec(text);
  if (!m) return undefined;
  const level = m[1] ?? m[2] ?? m[3] ?? m[4];
  if (!isLevelWord(level)) return undefined;
  let end = m[0].length;
  if (text.charCodeAt(end) === 58) end++;
  else if (m[4] !== undefined && text.charCodeAt(end) === 32 && /^[A-Z][a-z]+$/.test(level)) end = 0;
  return { level, end };
}

/**
 * The level of a message that carries no level field, by its first word: `error`, `failed`,
 * `failure`, `exception` → error; `fatal`, `panic`, `critical` → fatal; `warn`, `warning` →
 * warn; otherwise info. Used by layouts whose lines hold only a time and a message.
 */
export function levelOfMessage(msg: string): string {
  const m = /^[[(<]?([A-Za-z]+)/.exec(msg);
  const w = m ? m[1].toLowerCase() : '';
  switch (w) {
    case 'error':
    case 'err':
    case 'failed':
    case 'failure':
    case 'exception':
      return 'error';
    case 'fatal':
    case 'panic':
    case 'critical':
      return 'fatal';
    case 'warn':
    case 'warning':
      return 'warn';
    default:
      return 'info';
  }
}
