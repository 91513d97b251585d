import type { Layout } from '../types.js';

/** System and web server layouts (syslog, access and error logs, …). */
export const SYSTEM_LAYOUTS: Layout[] = [];
