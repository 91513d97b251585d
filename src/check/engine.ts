import { dedupAnalysis } from '../analyze/dedup.js';
import { errorsAnalysis } from '../analyze/errors.js';
import { slowAnalysis, type Thresholds } from '../analyze/slow.js';
import { statsAnalysis } from '../analyze/stats.js';
import { matchWhere, parseWhere, type WhereClause } from '../filter.js';
import type { Baseline } from '../analyze/errors.js';
import type { Analysis, FileStats, LogRecord } from '../types.js';
import { METRICS, type MetricInputs } from './metrics.js';
import type { Rule } from './rules.js';
import { assess } from '../health/assess.js';
import { tallyOf } from '../health/tally.js';

/** A rule's verdict. */
export interface RuleResult {
  name: string;
  metric: string;
  value: number | null;
  max?: number;
  min?: number;
  passed: boolean;
  where: Rule['where'];
  /** Why the rule failed when its value is no answer (input where no level could be read, no data). */
  reason?: string;
}

/** Runs an analysis beside its state, so probes can hold any analysis. */
class Running<S, R> {
  readonly state: S;
  constructor(readonly analysis: Analysis<S, R>) {
    this.state = analysis.init();
  }
  add(r: LogRecord): void {
    this.analysis.add(this.state, r);
  }
  result(): R {
    return this.analysis.result(this.state);
  }
}

/** One rule's filter and the one analysis its metric needs. */
interface Probe {
  rule: Rule;
  where: WhereClause[];
  running?: Running<unknown, unknown>;
}

const OPS = ['!=', '>=', '<=', '>', '<', '~', '='];

/** `where` values may carry a `--where` operator (`"!=api"`, `">500"`, `"~^POST"`); otherwise equality. */
function clauses(where: Rule['where']): WhereClause[] {
  return Object.entries(where).map(([k, v]) => {
    const s = String(v);
    const op = OPS.find((o) => s.startsWith(o));
    return parseWhere(op ? `${k}${s}` : `${k}=${s}`);
  });
}

/** Context the analyses need: config thresholds and baselines. */
export interface CheckContext {
  thresholds: Thresholds;
  loadBaseline(file: string): Baseline;
}

/** Evaluates rules in one streaming pass: each rule feeds only the analysis its metric reads. */
export class CheckRun {
  private readonly probes: Probe[];

  constructor(rules: Rule[], ctx: CheckContext) {
    this.probes = rules.map((rule) => {
      const source = METRICS[rule.metric].source;
      const probe: Probe = { rule, where: clauses(rule.where) };
      if (source === 'stats') probe.running = new Running(statsAnalysis as Analysis<unknown, unknown>);
      if (source === 'slow') probe.running = new Running(slowAnalysis({ by: [], thresholds: ctx.thresholds }) as Analysis<unknown, unknown>);
      if (source === 'dedup') probe.running = new Running(dedupAnalysis() as Analysis<unknown, unknown>);
      if (source === 'errors') probe.running = new Running(errorsAnalysis({ baseline: rule.baseline ? ctx.loadBaseline(rule.baseline) : undefined }) as Analysis<unknown, unknown>);
      return probe;
    });
  }

  add(r: LogRecord): void {
    for (const p of this.probes) if (p.running && p.where.every((c) => matchWhere(r, c))) p.running.add(r);
  }

  results(files: FileStats[]): RuleResult[] {
    const { judged, total } = assess(files.map((f) => ({ source: f.source, tally: tallyOf(f) })));
    const unjudged = total.records === 0 ? 'could not judge: there are no records' : `could not judge: none of ${total.records} records has a recognisable level`;
    return this.probes.map(({ rule, running }) => {
      const def = METRICS[rule.metric];
      const inputs: MetricInputs = { files };
      const res = running?.result();
      if (def.source === 'slow') inputs.slow = (res as ReturnType<ReturnType<typeof slowAnalysis>['result']>).groups[0] ?? emptySlow();
      else if (def.source !== 'files') (inputs as unknown as Record<string, unknown>)[def.source] = res;
      if (def.source === 'dedup') inputs.dedup = { duplicate_events: (res as { duplicate_events: number }).duplicate_events, exact_records: (res as { exact_duplicates: { records: number } }).exact_duplicates.records };
      const value = def.value(inputs);
      const passed = value === null ? rule.min === undefined : (rule.max === undefined || value <= rule.max) && (rule.min === undefined || value >= rule.min);
      const base = { name: rule.name, metric: rule.metric, value, max: rule.max, min: rule.min, where: rule.where };
      // A count by level over input with no level read, or a rate over nothing, is no pass.
      if (def.needsLevels && !judged) return { ...base, passed: false, reason: unjudged };
      if (value === null && def.nullFails) return { ...base, passed: false, reason: `no data: ${def.nullFails}` };
      return { ...base, passed };
    });
  }
}

function emptySlow(): NonNullable<MetricInputs['slow']> {
  return { count: 0, mean_ms: null, p50_ms: null, p90_ms: null, p95_ms: null, p99_ms: null, max_ms: null, violations: 0 };
}
