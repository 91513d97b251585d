/**
 * Masking of the variable parts of a log message, before template mining.
 *
 * The rules are data: an ordered list of named regexes, each replacing what it matches. Order
 * matters — wider shapes (URLs, emails, paths, timestamps) run before the pieces they contain
 * (IPs, numbers), so a URL becomes one placeholder rather than a handful.
 */

/** Placeholder every mask writes; the miner treats it as a variable position. */
export const WILDCARD = '<*>';

/** One masking rule: `pattern` (global) is replaced by `replacement` (default `<*>`). */
export interface MaskRule {
  name: string;
  pattern: RegExp;
  replacement?: string;
}

// Characters that may border a masked value: anything that is not part of a word, so that
// `user=42`, `(42)` and `id:42` are masked but `ssh2` and `ext4` are left alone.
const L = String.raw`(?<![\w.\-/\\])`;
const R = String.raw`(?![\w\-/\\])`;
const UNITS = String.raw`(?:ns|us|µs|ms|s|sec|secs|m|min|mins|h|hr|hrs|d|b|kb|mb|gb|tb|kib|mib|gib|tib|bytes|%)`;
const TLDS =
  'com|net|org|edu|gov|mil|int|info|biz|io|co|us|uk|de|fr|jp|cn|hk|tw|kr|ru|br|in|it|nl|au|ca|es|se|ch|pl|be|at|dk|no|fi|cz|local|localdomain|internal|lan|arpa';
const HTTP_METHODS = 'GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS|CONNECT|TRACE';

function rule(name: string, source: string, replacement = WILDCARD, flags = 'gi'): MaskRule {
  return { name, pattern: new RegExp(source, flags), replacement };
}

/** The built-in rules, in the order they are applied. */
export const DEFAULT_MASK_RULES: readonly MaskRule[] = [
  rule('url', String.raw`\b[a-z][a-z0-9+.\-]*://[^\s"'<>()\[\]{}]+`),
  rule('email', String.raw`\b[\w.%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}\b`),
  rule('uuid', String.raw`\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`),
  // ISO 8601 and syslog-style date-times, with optional fraction and zone.
  rule(
    'timestamp',
    String.raw`\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)?(?:Z|[+\-]\d{2}:?\d{2})?(?![\w:])`,
  ),
  // ctime / syslog style: `Fri Jun 17 07:07:00 2005`, `Jun 17 07:07:00`.
  rule(
    'ctime',
    String.raw`\b(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{1,2},?\s+(?:\d{4}\s+)?\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:\s+(?:[A-Z]{3,4}\s+)?\d{4}\b)?`,
  ),
  rule('time', String.raw`(?<![\w:.])\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+\-]\d{2}:?\d{2})?(?![\w:])`),
  rule('date', String.raw`(?<![\w/.\-])\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}(?![\w/.\-])`),
  // IPv6 before IPv4 so `::ffff:10.0.0.1` is one value; both take an optional port.
  rule(
    'ipv6',
    String.raw`(?<![\w:])\[?(?=[0-9a-f:]*::|(?:[0-9a-f]{1,4}:){7})(?=[0-9a-f:]*\d)(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:%\w+)?\]?(?::\d{1,5})?(?![\w:])`,
  ),
  // MAC addresses (six or more colon- or dash-separated hex pairs) and other hex-pair ids.
  rule('mac', String.raw`(?<![\w:\-])[0-9a-f]{2}(?:([:\-])[0-9a-f]{2})(?:\1[0-9a-f]{2}){4,}(?![\w:\-])`),
  rule('ipv4', String.raw`(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?![\w.])`),
  // Host names: dotted labels ending in a top-level domain, so Java class names stay words.
  rule(
    'hostname',
    String.raw`(?<![\w.\-])[a-z0-9](?:[\w\-]*[a-z0-9])?(?:\.[a-z0-9](?:[\w\-]*[a-z0-9])?)*\.(?:${TLDS})(?::\d{1,5})?(?![\w\-]|\.\w)`,
  ),
  rule('windows_path', String.raw`(?<![\w])[a-z]:\\(?:[^\\\s"'<>|:*?]+\\?)*`),
  // A unix path needs two segments (`/var/log`) or a leading `./`, `~/`, so `a/b` prose and
  // lone `/` separators stay words.
  rule('unix_path', String.raw`(?<![\w<>*:/.\-])(?:~|\.{1,2})?(?:/[\w.\-@%+~,:=]+){2,}/?`),
  // An access-log request line keeps its method, which tells templates apart.
  rule('http_request', String.raw`"(${HTTP_METHODS}) [^"\s]+ HTTP/[\d.]+"`, `"$1 ${WILDCARD} HTTP/${WILDCARD}"`, 'g'),
  rule('quoted', String.raw`(?<![\w])"(?!(?:${HTTP_METHODS}) )[^"\n]{1,200}"|(?<![\w])'[^'\n]{1,200}'(?![\w])`, `"${WILDCARD}"`),
  rule('hex', String.raw`${L}(?:0x[0-9a-f]+|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,})${R}`),
  // Prefixed ids: ch_9f3a, SKU-1234, blk_-562, ord_123, appattempt_1445_0020_01.
  rule(
    'id',
    String.raw`\b[a-z][a-z0-9]*(?:[_\-][a-z0-9]*)*?[_\-]-?(?=[a-z0-9]*\d)[a-z0-9]+(?:[_\-][a-z0-9]+)*${R}`,
  ),
  rule('number', String.raw`(?<![\w.])[-+]?\d+(?:[.,]\d+)*(?:\s?${UNITS})?(?![\w])`),
  // A dotted name one of whose labels was masked (`<*>.dsl.example.om`, a host under an
  // unlisted domain) is one value, not a half-masked word.
  rule('dotted', String.raw`(?<![\w.\-])(?=[\w.\-<>*]*<\*>)(?:<\*>|[a-z0-9][\w\-]*)(?:\.(?:<\*>|[a-z0-9][\w\-]*))+(?![\w\-<>*])`),
];

/** Turns a message into its masked form. */
export type Masker = (message: string) => string;

/**
 * Parses `name=regex` (as given to `--mask`) into a rule; the regex is case-insensitive and
 * replaced by `<*>`.
 */
export function parseMaskRule(spec: string): MaskRule {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) throw new Error(`invalid mask "${spec}": expected name=regex`);
  const name = spec.slice(0, eq).trim();
  const source = spec.slice(eq + 1);
  try {
    return { name, pattern: new RegExp(source, 'gi'), replacement: WILDCARD };
  } catch (err) {
    throw new Error(`invalid mask "${name}": ${(err as Error).message}`);
  }
}

/**
 * Builds a masker from the built-in rules plus `extra` rules, which run first so a user's
 * domain-specific shapes win over the generic ones.
 */
export function createMasker(extra: readonly MaskRule[] = [], base: readonly MaskRule[] = DEFAULT_MASK_RULES): Masker {
  const rules = [...extra, ...base].map((r) => ({
    // A rule without the g flag would only replace the first match.
    pattern: r.pattern.global ? r.pattern : new RegExp(r.pattern.source, r.pattern.flags + 'g'),
    replacement: r.replacement ?? WILDCARD,
  }));
  return (message: string): string => {
    let out = message;
    for (const r of rules) out = out.replace(r.pattern, r.replacement);
    return out;
  };
}
