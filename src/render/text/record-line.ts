import type { ChalkInstance } from 'chalk';
import type { LogRecord } from '../../types.js';
import { levelTag } from './level.js';
import { visible } from './sanitize.js';
import { extras } from './trace.js';
import { clockOver } from './format.js';

const LIVE_CLOCK = clockOver([], 'ms');

/** One record in the pretty one-line form `tail` and the dashboard's stream use. */
export function recordLine(r: LogRecord, c: ChalkInstance, opts: { continuation?: boolean; width?: number; clock?: (t: number | undefined) => string } = {}): string {
  // A stream's span is not known in advance: dated unless the caller knows the records' span.
  const time = r.time === undefined ? '--:--:--.---' : (opts.clock ?? LIVE_CLOCK)(r.time);
  const who = visible(r.service ?? r.component ?? '-');
  const msg = visible(r.message ?? r.eventType ?? '');
  const paint = r.level === 'error' || r.level === 'fatal' ? c.red : r.level === 'warn' ? c.yellow : (s: string) => s;
  const ex = [...extras(r), ...(r.ids[0] ? [`id=${r.ids[0]}`] : [])].map(visible).join(' ');
  let line = `${c.dim(time)} ${levelTag(r.level, c)} ${c.cyan(who)} ${paint(msg)}${ex ? '  ' + c.dim(ex) : ''}`;
  if (opts.continuation !== false) for (const l of r.continuation) line += '\n' + c.dim(`    ${visible(l)}`);
  return line;
}
