import { UsageError } from '../../errors.js';
import { parseDurationArg } from '../../normalize/duration.js';

/** Comparison operators of a limit. */
export type Op = '>' | '>=' | '<' | '<=' | '=' | '!=';

/** How a command's metric reads: its unit (durations take `2s`, `500ms`) and its result field. */
export interface MetricSpec {
  unit: 'duration' | 'number';
  field: string;
}

/** A parsed `--fail-on` expression: `[scope:]metric op limit`. */
export interface FailOn {
  raw: string;
  scope?: string;
  metric: string;
  op: Op;
  limit: number;
}

const EXPR = /^(?:(.*):)?\s*([A-Za-z][\w]*)\s*(>=|<=|!=|>|<|=)\s*(\S.*)$/;

/** Parses one expression against a command's metric table; a bad one is a usage error saying why. */
export function parseFailOn(raw: string, metrics: Record<string, MetricSpec>, flag = '--fail-on'): FailOn {
  const m = EXPR.exec(raw.trim());
  const names = Object.keys(metrics).join(', ');
  if (!m) throw new UsageError(`${flag} '${raw}': expected [group:]metric>limit, e.g. p95>2s or 'checkout:p99>500ms' (metrics: ${names})`);
  const [, scope, metric, op, value] = m;
  const spec = metrics[metric.toLowerCase()];
  if (!spec) throw new UsageError(`${flag} '${raw}': unknown metric "${metric}" (expected one of ${names})`);
  if (/^[<>=!]/.test(value)) throw new UsageError(`${flag} '${raw}': malformed comparison "${op}${value.match(/^[<>=!]+/)![0]}" (expected one of >, >=, <, <=, =, !=)`);
  const limit = spec.unit === 'duration' ? parseDurationArg(value) : /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(value.trim()) ? Number(value.trim()) : undefined;
  if (limit === undefined || !Number.isFinite(limit)) {
    throw new UsageError(`${flag} '${raw}': "${value}" is not ${spec.unit === 'duration' ? 'a duration (e.g. 2s, 500ms)' : 'a number'}`);
  }
  return { raw, scope: scope?.trim() || undefined, metric: metric.toLowerCase(), op: op as Op, limit };
}

/** Whether `value op limit` holds. */
export function compare(value: number, op: Op, limit: number): boolean {
  switch (op) {
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '=':
      return value === limit;
    default:
      return value !== limit;
  }
}

/** A group as the evaluator sees it: a display name, the values it can be scoped by, its metrics. */
export interface FailOnGroup {
  name: string;
  keys: string[];
  values: Record<string, number | null>;
}

/** One limit broken by one group. */
export interface Breach {
  expr: FailOn;
  group: string;
  value: number;
}

/**
 * Evaluates expressions over groups. A scoped expression applies to groups whose name or any
 * key value equals the scope; a scope matching no group is reported too, since a gate that
 * silently checks nothing is worse than none.
 */
export function evaluateFailOn(exprs: FailOn[], groups: FailOnGroup[], metrics: Record<string, MetricSpec>): { breaches: Breach[]; unmatched: FailOn[] } {
  const breaches: Breach[] = [];
  const unmatched: FailOn[] = [];
  for (const e of exprs) {
    const field = metrics[e.metric].field;
    const scoped = e.scope === undefined ? groups : groups.filter((g) => g.name === e.scope || g.keys.includes(e.scope!));
    if (e.scope !== undefined && scoped.length === 0) unmatched.push(e);
    for (const g of scoped) {
      const v = g.values[field];
      if (v !== null && v !== undefined && compare(v, e.op, e.limit)) breaches.push({ expr: e, group: g.name, value: v });
    }
  }
  return { breaches, unmatched };
}
