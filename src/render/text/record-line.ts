import type { ChalkInstance } from 'chalk';
import type { LogRecord } from '../../types.js';
import { levelTag } from './level.js';
import { visible } from './sanitize.js';
import { extras } from './trace.js';
import { clockOver } from './format.js';
import { displayWidth, shorten } from './layout.js';

const LIVE_CLOCK = clockOver([], 'ms');

/** The message is not cut below this many columns (its start and its end, often the cause, stay). */
const MESSAGE_ROOM = 30;
/** A service name wider than this loses its middle when lines are fitted. */
const WHO_ROOM = 24;
/** An id cut in its middle is shown only in at least this many columns. */
const ID_ROOM = 12;

/** Extras that give way first, least useful first: whole items, never cut. */
const DROPPED_FIRST = [/^op=/, /^event=/, /^(retry_count|retryCount|retries|attempt)=/, /^error_message=/];
/** The extras kept longest, most useful first. */
const KEPT = [/^id=/, /^error=/, /^status=/, /^took=/];

const joined = (items: readonly string[]) => displayWidth(items.join(' '));

/**
 * The extras and the message fitted to `room` columns: the least useful extras are dropped whole
 * first (op=, event=, retries, error_message), then the message loses its middle down to
 * MESSAGE_ROOM columns, then the remaining extras (id=, error=, status=, took=) give way, the
 * least useful first; an id that alone does not fit loses its middle.
 */
export function fitMessage(msg: string, items: readonly string[], room: number): { msg: string; extras: string } {
  const need = (m: number, ex: readonly string[]) => m + (ex.length ? 2 + joined(ex) : 0);
  let ex = [...items];
  const msgWidth = displayWidth(msg);
  for (const re of DROPPED_FIRST) {
    if (need(msgWidth, ex) <= room) break;
    ex = ex.filter((x) => !re.test(x));
  }
  // Anything not named by either list is as expendable as the first group: it goes next.
  if (need(msgWidth, ex) > room) ex = ex.filter((x) => KEPT.some((re) => re.test(x)));
  const msgFloor = Math.min(msgWidth, MESSAGE_ROOM);
  for (const re of [...KEPT].reverse()) {
    if (need(msgFloor, ex) <= room) break;
    const rest = ex.filter((x) => !re.test(x));
    if (rest.length === 0 && /^id=/.test(ex[0] ?? '')) {
      // The id alone: cut in its middle if that leaves enough of it to trace.
      const idRoom = room - msgFloor - 2;
      ex = idRoom >= ID_ROOM ? [shorten(ex[0], idRoom, 'middle')] : [];
      break;
    }
    ex = rest;
  }
  const exText = ex.join(' ');
  const msgRoom = Math.max(1, room - (exText ? displayWidth(exText) + 2 : 0));
  return { msg: displayWidth(msg) > msgRoom ? shorten(msg, msgRoom, 'middle') : msg, extras: exText };
}

/**
 * One record in the pretty one-line form `tail` and the dashboard's stream use. With `width`,
 * every line fits it: the least useful extras are dropped whole first, then the message loses its
 * middle (down to MESSAGE_ROOM columns), then the most useful extras (id=, error=, status=, took=)
 * give way; continuation lines are cut. Without, lines are whole (a piped stream stays greppable).
 */
export function recordLine(r: LogRecord, c: ChalkInstance, opts: { continuation?: boolean; width?: number; clock?: (t: number | undefined) => string } = {}): string {
  // A stream's span is not known in advance: dated unless the caller knows the records' span.
  const time = r.time === undefined ? '--:--:--.---' : (opts.clock ?? LIVE_CLOCK)(r.time);
  const width = opts.width;
  let who = visible(r.service ?? r.component ?? '-');
  let msg = visible(r.message ?? r.eventType ?? '');
  const items = [...extras(r), ...(r.ids[0] ? [`id=${r.ids[0]}`] : [])].map(visible);
  let ex = items.join(' ');
  const tag = levelTag(r.level, c);
  if (width !== undefined) {
    const whoRoom = Math.min(WHO_ROOM, Math.max(8, Math.floor(width / 5)));
    if (displayWidth(who) > whoRoom) who = shorten(who, whoRoom, 'middle');
    const room = width - displayWidth(`${time} ${tag} ${who} `);
    ({ msg, extras: ex } = fitMessage(msg, items, room));
  }
  const paint = r.level === 'error' || r.level === 'fatal' ? c.red : r.level === 'warn' ? c.yellow : (s: string) => s;
  let line = `${c.dim(time)} ${tag} ${c.cyan(who)} ${paint(msg)}${ex ? '  ' + c.dim(ex) : ''}`;
  if (width !== undefined) line = shorten(line, width);
  if (opts.continuation !== false) {
    for (const l of r.continuation) {
      const text = `    ${visible(l)}`;
      line += '\n' + c.dim(width === undefined ? text : shorten(text, width));
    }
  }
  return line;
}
