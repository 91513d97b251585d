import { appTime } from '../../lang-time.js';
import type { Layout } from '../../types.js';

/** .NET layouts: Serilog's console and file sink defaults, NLog's default. Exceptions attach as continuation. */

const SERILOG_FILE = /^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?: ?(?:Z|[+-]\d\d:?\d\d))?) \[(VRB|DBG|INF|WRN|ERR|FTL)\] (.*)$/s;
const SERILOG_CONSOLE = /^\[(\d\d:\d\d:\d\d) (VRB|DBG|INF|WRN|ERR|FTL)\] (.*)$/s;

/**
 * Serilog: the file sink `2024-01-15 10:30:45.123 +00:00 [INF] msg` and the console sink
 * `[10:30:45 INF] msg`. The console form holds only a clock time (kept as `clock`): its
 * records have no date, so no `time`.
 */
export const serilog: Layout = {
  name: 'serilog',
  title: '.NET Serilog text',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c === 91) {
      const m = SERILOG_CONSOLE.exec(line);
      return m ? { clock: m[1]!, level: m[2]!, msg: m[3]! } : undefined;
    }
    if (c < 48 || c > 57) return undefined;
    const m = SERILOG_FILE.exec(line);
    return m ? { time: appTime(m[1]!)!, level: m[2]!, msg: m[3]! } : undefined;
  },
  samples: [
    { line: '2024-01-15 10:30:45.123 +00:00 [ERR] Unhandled exception in request /api/orders', fields: { time: '2024-01-15T10:30:45.123+00:00', level: 'ERR', msg: 'Unhandled exception in request /api/orders' } },
    { line: '[10:30:45 WRN] Cache miss ratio 0.42', fields: { clock: '10:30:45', level: 'WRN', time: null } },
  ],
};

const NLOG = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{1,7})\|(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\|([^|]*)\|(.*)$/s;

/** NLog's default `${longdate}|${level:uppercase=true}|${logger}|${message}`: `2024-01-15 10:30:45.1234|INFO|App.Worker|msg`. */
export const nlog: Layout = {
  name: 'nlog',
  title: '.NET NLog default',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57) return undefined;
    const m = NLOG.exec(line);
    return m ? { time: appTime(m[1]!)!, level: m[2]!, logger: m[3]!, msg: m[4]! } : undefined;
  },
  samples: [{ line: '2024-01-15 10:30:45.1234|WARN|Shop.Checkout.Worker|Retry 2 of 5', fields: { time: '2024-01-15T10:30:45.1234', level: 'WARN', logger: 'Shop.Checkout.Worker', msg: 'Retry 2 of 5' } }],
};

export const DOTNET_LAYOUTS: Layout[] = [serilog, nlog];
