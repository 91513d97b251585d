import type { ChalkInstance } from 'chalk';
import type { ErrorCluster, ErrorSample } from '../../analyze/errors.js';
import type { Level } from '../../types.js';
import { formatCount } from './format.js';
import { displayWidth, shorten } from './layout.js';
import { levelTag } from './level.js';
import { visible } from './sanitize.js';

/** Slots shown per pattern in the human view. */
const SLOT_LINES = 4;

/** `<*>` in magenta: applied after a template is cut, so the cut never splits a colour. */
export function paintSlots(text: string, c: ChalkInstance): string {
  return text.split('<*>').join(c.magenta('<*>'));
}




/**
 * What `errors` clustered, counted: `404 error records`, `12 warn and error records`, `3 fatal
 * records`, `9 records at info or above`; with no count, what none were found of (`no warn or
 * error records`).
 */
export function recordsAt(n: number | undefined, level: Level = 'error'): string {
  const words = level === 'fatal' || level === 'error' ? level : level === 'warn' ? (n === undefined ? 'warn or error' : 'warn and error') : undefined;
  const count = n === undefined ? 'no' : formatCount(n);
  const records = n === 1 ? 'record' : 'records';
  return words ? `${count} ${words} ${records}` : `${count} ${records} at ${level} or above`;
}

/** The pattern's level, and the count of each level when it mixes several (`FATAL 3,030 · ERROR 8,181`). */
export function levelsText(k: ErrorCluster, c: ChalkInstance): string {
  const entries = Object.entries(k.levels) as [Level, number][];
  if (entries.length < 2) return levelTag(k.level, c);
  // The tag's padding sits inside its colour codes: trimmed before them.
  const tag = (l: Level) => levelTag(l, c).replace(/ +((?:\x1b\[[0-9;]*m)*)$/, '$1');
  return entries.map(([l, n]) => `${tag(l)} ${formatCount(n)}`).join(c.dim(' · '));
}

/**
 * One line per `<*>`: `<*> = SearchTool 14, MailTool 10, … (7 distinct)`, with as many values as
 * the width holds. A slot whose most frequent value occurs once (a timestamp, a charge id) says
 * nothing a sample does not; it is left to `--json`.
 */
export function slotLines(k: ErrorCluster, c: ChalkInstance, width = Infinity): string[] {
  const many = k.template.split('<*>').length > 2;
  return k.slots
    .filter((s) => s.values.length > 0 && s.values[0].count > 1)
    .slice(0, SLOT_LINES)
    .map((s) => {
      const name = many ? `<*>#${s.position + 1}` : '<*>';
      const lead = `   ${name} = `;
      const tail = ` (${formatCount(s.distinct)} distinct)`;
      const room = width - displayWidth(lead) - displayWidth(tail);
      const values = s.values.map((v) => `${visible(v.value)} ${formatCount(v.count)}`);
      let shown = values.length;
      const text = (k: number) => [...values.slice(0, k), ...(s.distinct > k ? ['…'] : [])].join(', ');
      while (shown > 1 && displayWidth(text(shown)) > room) shown--;
      let list = text(shown);
      if (displayWidth(list) > room) {
        // Even one value is too long: its middle goes, its count stays.
        const v = s.values[0];
        const rest = `${v.count > 0 ? ' ' + formatCount(v.count) : ''}${s.distinct > 1 ? ', …' : ''}`;
        list = shorten(visible(v.value), Math.max(1, room - displayWidth(rest)), 'middle') + rest;
      }
      return `   ${c.magenta(name)} = ${list} ${c.dim(`(${formatCount(s.distinct)} distinct)`)}`;
    });
}

/**
 * A sample: its message and source (both ends of the message and the end of the source stay),
 * then its error attributes on one line unless the template already says them all.
 */
export function sampleLines(s: ErrorSample, k: ErrorCluster, c: ChalkInstance, width = Infinity): string[] {
  const lead = '   e.g. ';
  const message = visible(s.message).split(/\r?\n/)[0];
  const source = visible(s.source);
  const room = width - displayWidth(lead) - 2;
  let msg = message;
  let src = source;
  if (displayWidth(message) + displayWidth(source) > room) {
    // The source keeps up to 30% of the room (its end: the file name and line); the message the rest.
    const srcRoom = Math.min(displayWidth(source), Math.max(room - displayWidth(message), 16, Math.floor(room * 0.3)));
    src = shorten(source, srcRoom, 'start');
    msg = shorten(message, Math.max(1, room - displayWidth(src)), 'middle');
  }
  const L = [c.dim(`${lead}${msg}  ${src}`)];
  const error = s.error_type && s.error_message && !s.error_message.startsWith(s.error_type) ? `${s.error_type}: ${s.error_message}` : (s.error_message ?? s.error_type);
  const indent = '        ';
  const errText = error !== undefined && error !== s.message && error !== k.error_template ? visible(error.split(/\r?\n/)[0]) : undefined;
  const frame = s.stack_frame ? visible(s.stack_frame) : undefined;
  const avail = width - indent.length;
  if (errText !== undefined || frame !== undefined) {
    let e = errText ?? '';
    let f = frame ?? '';
    const gap = errText !== undefined && frame !== undefined ? 2 : 0;
    if (displayWidth(e) + gap + displayWidth(f) > avail) {
      // The error comes first; the frame (its function and file: both ends) gets what is left, if enough.
      const frameRoom = f ? Math.min(displayWidth(f), Math.max(0, avail - gap - Math.min(displayWidth(e), Math.floor(avail * 0.6)))) : 0;
      f = frameRoom >= 16 ? shorten(f, frameRoom, 'middle') : '';
      e = shorten(e, Math.max(1, avail - (f ? gap + displayWidth(f) : 0)), 'end');
    }
    const parts: string[] = [];
    if (e) parts.push(c.red(e));
    if (f) parts.push(c.dim(f));
    if (parts.length) L.push(`${indent}${parts.join(c.dim('  '))}`);
  }
  return L;
}
