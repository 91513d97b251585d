import type { Layout } from '../types.js';

/** Generic shapes tried after every specific layout: `<time> <LEVEL> <rest>` and its variants, Go's standard log. */
export const FALLBACK_LAYOUTS: Layout[] = [];
