import type { Layout } from '../types.js';

/** Application logger layouts (logfmt, Python, Java, glog/klog, Go, Rails, Monolog, …). */
export const APP_LAYOUTS: Layout[] = [];

/** Generic shapes tried after every specific layout (`<time> <LEVEL> <rest>`, Go's standard log). */
export const FALLBACK_LAYOUTS: Layout[] = [];
