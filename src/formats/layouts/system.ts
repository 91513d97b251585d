import type { Layout } from '../types.js';

/** System, web server and database layouts: syslog, access and error logs, … */
export const SYSTEM_LAYOUTS: Layout[] = [];
