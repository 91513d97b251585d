/**
 * Patterns of failures: a record's message is mined by one miner and the cause in its error
 * attributes (when its message does not already say it) by another, so a generic message with
 * four different causes is four patterns, while variables inside a cause (an address, a count)
 * are still masked and mined. Mining the cause apart keeps its words from ever being
 * generalised against message words.
 */
import type { LogRecord } from '../../types.js';
import { causeText, type ErrorFacts } from './error-cause.js';
import { createMiner, templateId, type Cluster, type MinerOptions } from './miner.js';

/** Separates the message and the cause inside a pattern key (replaced inside either part). */
const SEP = '\u0000';

const clean = (t: string) => (t.includes(SEP) ? t.replaceAll(SEP, '\uFFFD') : t);

/**
 * The key a record is clustered by: its message, and after a NUL its cause (`Type: message`)
 * when it has one its message does not say; a record without a message is keyed by its cause,
 * else its event type.
 */
export function patternKey(r: LogRecord, facts: ErrorFacts): string {
  const cause = causeText(r, facts);
  if (r.message === undefined) return clean(cause ?? r.eventType ?? '(no message)');
  return cause === undefined ? clean(r.message) : `${clean(r.message)}${SEP}${clean(cause)}`;
}

function splitKey(key: string): [string, string | undefined] {
  const at = key.indexOf(SEP);
  return at < 0 ? [key, undefined] : [key.slice(0, at), key.slice(at + 1)];
}

/** A final pattern: its id and template, and the miner clusters of its two parts. */
export interface Pattern {
  id: string;
  template: string;
  /** The cause part of the template, when there is one. */
  errorTemplate?: string;
  message: Cluster;
  cause?: Cluster;
}

/** Handles of a key's message and cause clusters (-1: no cause). */
export interface PatternHandles {
  message: number;
  cause: number;
}

/** Mines pattern keys (see `patternKey`). */
export interface PatternMiner {
  add(key: string): PatternHandles;
  /** The final pattern of a key already added, without changing anything (for `--annotate`). */
  match(key: string): { id: string; template: string } | undefined;
  resolve(h: PatternHandles): Pattern;
  /** Messages and causes that arrived after a miner's cluster cap and went to `<other>`. */
  readonly overflow: number;
}

/** The pattern of a message cluster and an optional cause cluster: `<message> [error: <cause>]`. */
function patternOf(message: Cluster, cause: Cluster | undefined): Pattern {
  if (!cause) return { id: message.id, template: message.template, message };
  const template = `${message.template} [error: ${cause.template}]`;
  return { id: templateId(template), template, errorTemplate: cause.template, message, cause };
}

/** Creates a pattern miner; both miners take the same options (masks, caps). */
export function createPatternMiner(opts?: MinerOptions): PatternMiner {
  const messages = createMiner(opts);
  const causes = createMiner(opts);
  return {
    add(key) {
      const [text, cause] = splitKey(key);
      return { message: messages.add(text).cluster, cause: cause === undefined ? -1 : causes.add(cause).cluster };
    },
    match(key) {
      const [text, cause] = splitKey(key);
      const m = messages.match(text);
      if (!m) return undefined;
      if (cause === undefined) return patternOf(m, undefined);
      const c = causes.match(cause);
      return c && patternOf(m, c);
    },
    resolve: (h) => patternOf(messages.resolve(h.message), h.cause < 0 ? undefined : causes.resolve(h.cause)),
    get overflow() {
      return messages.overflow + causes.overflow;
    },
  };
}
