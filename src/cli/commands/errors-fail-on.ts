import type { ErrorsResult } from '../../analyze/errors.js';
import { UsageError } from '../../errors.js';
import { warn } from '../../render/output.js';

const EXPR = /^(?:(.+):)?(count|total|clusters|new)\s*(>=|<=|>|<|=)\s*(\d+(?:\.\d+)?)$/;

type Check = (res: ErrorsResult) => string[];

function compare(v: number, op: string, limit: number): boolean {
  switch (op) {
    case '>': return v > limit;
    case '<': return v < limit;
    case '>=': return v >= limit;
    case '<=': return v <= limit;
    default: return v === limit;
  }
}

/**
 * Parses `errors --fail-on` expressions: `new` (patterns absent from the baseline),
 * `count>100` (any pattern), `<id or template text>:count>5`, `total>500`, `clusters>10`,
 * `new>2`. Returns a function that reports the limits broken (and prints why).
 */
export function errorsFailOn(exprs: string[], hasBaseline: boolean): (res: ErrorsResult) => boolean {
  const checks: Check[] = exprs.map((raw) => {
    const e = raw.trim();
    const m: (string | undefined)[] | null = e === 'new' ? [e, undefined, 'new', '>', '0'] : EXPR.exec(e);
    if (!m) throw new UsageError(`--fail-on '${raw}': expected new, count>N, total>N, clusters>N or <pattern>:count>N`);
    const [, scope, metric, op = '>', num] = m;
    const limit = Number(num);
    if (metric === 'new' && !hasBaseline) throw new UsageError(`--fail-on '${raw}': needs --baseline <an earlier errors --json output>`);
    if (scope !== undefined && metric !== 'count') throw new UsageError(`--fail-on '${raw}': only count can be scoped to a pattern`);
    return (res) => {
      if (metric === 'total') return compare(res.total, op, limit) ? [`total ${res.total} ${op} ${limit}`] : [];
      if (metric === 'clusters') return compare(res.clusters.length, op, limit) ? [`clusters ${res.clusters.length} ${op} ${limit}`] : [];
      if (metric === 'new') {
        const fresh = res.clusters.filter((k) => k.new);
        return compare(fresh.length, op, limit) ? [`${fresh.length} new patterns: ${fresh.slice(0, 3).map((k) => `${k.id} "${k.template}"`).join(', ')}`] : [];
      }
      const scoped = scope === undefined ? res.clusters : res.clusters.filter((k) => k.id === scope || k.template.includes(scope));
      return scoped.filter((k) => compare(k.count, op, limit)).map((k) => `${k.id} "${k.template}": count ${k.count} ${op} ${limit}`);
    };
  });
  return (res) => {
    const broken = checks.flatMap((c) => c(res));
    for (const b of broken) warn(`fail-on: ${b}`);
    return broken.length > 0;
  };
}
