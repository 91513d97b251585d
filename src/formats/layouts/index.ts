import type { Layout } from '../types.js';
import { APP_LAYOUTS, FALLBACK_LAYOUTS } from './app.js';
import { SYSTEM_LAYOUTS } from './system.js';

/**
 * Every text layout, in the order a line is tried when its file has no layout yet: specific
 * layouts first, the generic `<time> <LEVEL> <rest>` shapes last.
 */
export const LAYOUTS: readonly Layout[] = [...APP_LAYOUTS, ...SYSTEM_LAYOUTS, ...FALLBACK_LAYOUTS];

/** The layout of a name (for `--format`); undefined when none has it. */
export function layoutNamed(name: string): Layout | undefined {
  return LAYOUTS.find((l) => l.name === name.toLowerCase());
}
