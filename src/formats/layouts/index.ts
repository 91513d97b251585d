import type { Layout } from '../types.js';
import { FALLBACK_LAYOUTS } from './generic.js';
import { KEYVALUE_LAYOUTS } from './keyvalue.js';
import { LANGUAGE_LAYOUTS } from './languages.js';
import { SYSTEM_LAYOUTS } from './system.js';

/**
 * Every text layout, in the order a line is tried when its file has no layout yet: specific
 * layouts first, the generic `<time> <LEVEL> <rest>` shapes last.
 */
export const LAYOUTS: readonly Layout[] = [...LANGUAGE_LAYOUTS, ...SYSTEM_LAYOUTS, ...KEYVALUE_LAYOUTS, ...FALLBACK_LAYOUTS];

/** The layout of a name (for `--format`); undefined when none has it. */
export function layoutNamed(name: string): Layout | undefined {
  return LAYOUTS.find((l) => l.name === name.toLowerCase());
}
