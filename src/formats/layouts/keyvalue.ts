import type { Layout } from '../types.js';

/** Key=value and Go-ecosystem layouts: logfmt, glog/klog, hclog, zap console, … */
export const KEYVALUE_LAYOUTS: Layout[] = [];
