import type { ChalkInstance } from 'chalk';
import type { Level } from '../../types.js';

const TAGS: Record<Level, string> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR', fatal: 'FATAL', unknown: '?    ' };

/** A fixed-width, coloured level tag. */
export function levelTag(level: Level, c: ChalkInstance): string {
  const t = TAGS[level];
  switch (level) {
    case 'fatal':
      return c.bgRed.white(t);
    case 'error':
      return c.red(t);
    case 'warn':
      return c.yellow(t);
    case 'info':
      return c.green(t);
    default:
      return c.dim(t);
  }
}
