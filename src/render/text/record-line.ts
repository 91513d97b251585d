import type { ChalkInstance } from 'chalk';
import type { LogRecord } from '../../types.js';
import { levelTag } from './level.js';
import { visible } from './sanitize.js';
import { extras } from './trace.js';
import { clockOver } from './format.js';
import { displayWidth, shorten } from './layout.js';

const LIVE_CLOCK = clockOver([], 'ms');

/** The message keeps at least this many columns before the extras are cut. */
const MESSAGE_ROOM = 40;
/** A service name wider than this loses its middle when lines are fitted. */
const WHO_ROOM = 24;

/**
 * One record in the pretty one-line form `tail` and the dashboard's stream use. With `width`,
 * every line fits it: the extras give way first, then the message is cut at its end, and
 * continuation lines are cut; without, lines are whole (a piped stream stays greppable).
 */
export function recordLine(r: LogRecord, c: ChalkInstance, opts: { continuation?: boolean; width?: number; clock?: (t: number | undefined) => string } = {}): string {
  // A stream's span is not known in advance: dated unless the caller knows the records' span.
  const time = r.time === undefined ? '--:--:--.---' : (opts.clock ?? LIVE_CLOCK)(r.time);
  const width = opts.width;
  let who = visible(r.service ?? r.component ?? '-');
  let msg = visible(r.message ?? r.eventType ?? '');
  let ex = [...extras(r), ...(r.ids[0] ? [`id=${r.ids[0]}`] : [])].map(visible).join(' ');
  const tag = levelTag(r.level, c);
  if (width !== undefined) {
    const whoRoom = Math.min(WHO_ROOM, Math.max(8, Math.floor(width / 5)));
    if (displayWidth(who) > whoRoom) who = shorten(who, whoRoom, 'middle');
    const room = width - displayWidth(`${time} ${tag} ${who} `);
    const exRoom = Math.max(0, room - Math.min(displayWidth(msg), MESSAGE_ROOM) - 2);
    ex = exRoom >= 8 ? shorten(ex, exRoom) : '';
    msg = shorten(msg, Math.max(1, room - (ex ? displayWidth(ex) + 2 : 0)));
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
