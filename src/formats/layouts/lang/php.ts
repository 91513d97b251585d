import { appTime } from '../../lang-time.js';
import type { Layout } from '../../types.js';
import type { JsonObject } from '../../../types.js';

const MONOLOG = /^\[(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)\] ([\w.\-]+)\.(DEBUG|INFO|NOTICE|WARNING|ERROR|CRITICAL|ALERT|EMERGENCY): (.*)$/s;

/** The context and extra JSON at the end of a Monolog line (`… {"user":1} []`); undefined when absent or cut. */
function tail(rest: string): { msg: string; context?: JsonObject; extra?: JsonObject } {
  const m = / (\{.*\}|\[\]|\[.*\]) (\{.*\}|\[\]|\[.*\])$/s.exec(rest);
  if (m) {
    try {
      const context = JSON.parse(m[1]!) as unknown;
      const extra = JSON.parse(m[2]!) as unknown;
      const out: { msg: string; context?: JsonObject; extra?: JsonObject } = { msg: rest.slice(0, m.index) };
      if (context && typeof context === 'object' && !Array.isArray(context)) out.context = context as JsonObject;
      if (extra && typeof extra === 'object' && !Array.isArray(extra)) out.extra = extra as JsonObject;
      return out;
    } catch {
      // not JSON: the whole rest is the message
    }
  }
  return { msg: rest };
}

/**
 * PHP Monolog's LineFormatter (Laravel): `[2024-01-15 10:30:45] production.ERROR: msg {"context":…} []`.
 * The channel is the logger; context/extra objects become fields (`context.userId`). A
 * Laravel exception's `[stacktrace]` and `#0 /path…` frames attach as continuation.
 */
export const monolog: Layout = {
  name: 'monolog',
  title: 'PHP Monolog / Laravel',
  continuation: 'any',
  parse(line) {
    if (line.charCodeAt(0) !== 91) return undefined;
    const m = MONOLOG.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: appTime(m[1]!)!, logger: m[2]!, level: m[3]! };
    const t = tail(m[4]!);
    out.msg = t.msg;
    if (t.context) out.context = t.context;
    if (t.extra) out.extra = t.extra;
    return out;
  },
  samples: [
    { line: '[2024-01-15 10:30:45] production.ERROR: Payment gateway timeout {"order_id":42,"userId":7} []', fields: { time: '2024-01-15T10:30:45', logger: 'production', level: 'ERROR', msg: 'Payment gateway timeout', context: { order_id: 42, userId: 7 } } },
    { line: '[2024-01-15T10:30:45.123456+00:00] app.WARNING: Slow query [] {"uid":"5f2a"}', fields: { time: '2024-01-15T10:30:45.123456+00:00', level: 'WARNING', msg: 'Slow query', extra: { uid: '5f2a' } } },
    { line: '[2024-01-15 10:30:45] local.ERROR: Call to undefined method {"exception":"[object] (Error(code: 0): Call to undefined method at /var/www/app.php:12)', fields: { level: 'ERROR' } },
  ],
};

export const PHP_LAYOUTS: Layout[] = [monolog];
