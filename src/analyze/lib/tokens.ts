/**
 * Token-level helpers of the template miner: splitting, ids, and how well a message fits a
 * template.
 */
import { createHash } from 'node:crypto';
import { WILDCARD } from './mask.js';

/** Stable cluster id for a template text. */
export function templateId(template: string): string {
  return createHash('sha1').update(template).digest('hex').slice(0, 12);
}

/** Whether a token is likely a value rather than a keyword, for tree routing. */
export function variableLike(token: string): boolean {
  return token.includes(WILDCARD) || /\d/.test(token);
}

/** Splits a masked message into tokens. */
export function tokenize(masked: string): string[] {
  const t = masked.trim();
  return t === '' ? [] : t.split(/\s+/);
}

const NONLETTER = /[^a-z]+/gi;

/**
 * Whether two tokens that both carry a masked value are different fields: their words differ
 * (`(uid=<*>)` and `LOGIN(uid=<*>)`, `user=<*>` and `uid=<*>`). Such a message is another
 * event, never a variant of the template.
 */
function otherField(t: string, tok: string): boolean {
  return tok.includes(WILDCARD) && t.includes(WILDCARD) && t.replace(NONLETTER, '') !== tok.replace(NONLETTER, '');
}

/** Share of the template's positions equal to the message (-1 if it cannot join), and how many are wildcards. */
export function similarity(template: string[], tokens: string[]): [number, number] {
  let same = 0;
  let wild = 0;
  for (let i = 0; i < template.length; i++) {
    const t = template[i];
    if (t === WILDCARD) wild++;
    else if (t === tokens[i]) same++;
    else if (otherField(t, tokens[i])) return [-1, 0];
  }
  return [template.length === 0 ? 1 : same / template.length, wild];
}

