import type { FileStats } from '../types.js';
import { unknownLevelRate, unparsedRate } from '../health/assess.js';
import { sumTallies, tallyOf } from '../health/tally.js';

/** Which analysis a metric is read from. */
export type MetricSource = 'stats' | 'slow' | 'errors' | 'dedup' | 'files';

/** Results a metric may read; each is present when a rule needs it. */
export interface MetricInputs {
  stats?: { records: number; levels: Record<string, number>; without_id: number };
  slow?: { count: number; mean_ms: number | null; p50_ms: number | null; p90_ms: number | null; p95_ms: number | null; p99_ms: number | null; max_ms: number | null; violations: number };
  errors?: { clusters: { new?: boolean }[] };
  dedup?: { duplicate_events: number; exact_records: number };
  files: FileStats[];
}

/** A metric: where it comes from and how its value is read. `null` means "no data". */
export interface MetricDef {
  source: MetricSource;
  unit: 'count' | 'ratio' | 'ms';
  value(m: MetricInputs): number | null;
  description: string;
  /**
   * The metric counts records by level (errors, error patterns): over input where no level could
   * be read it is no answer, and a rule on it fails with the reason.
   */
  needsLevels?: boolean;
  /** Why a rule on this metric fails when its value is null (no data is not a pass), or undefined when null passes a max. */
  nullFails?: string;
}

/** The run's figures from its files (lines skipped unread by a prefilter are not counted). */
const filesTally = (m: MetricInputs) => sumTallies(m.files.map(tallyOf));

const slow = (k: keyof NonNullable<MetricInputs['slow']>, description: string): MetricDef => ({
  source: 'slow',
  unit: k === 'count' || k === 'violations' ? 'count' : 'ms',
  value: (m) => m.slow![k],
  description,
});

/** Every metric a rule can name, as data: adding one is one entry here. */
export const METRICS: Record<string, MetricDef> = {
  records: { source: 'stats', unit: 'count', value: (m) => m.stats!.records, description: 'records read (after `where`)' },
  errors: { source: 'stats', unit: 'count', value: (m) => m.stats!.levels.error + m.stats!.levels.fatal, description: 'records at error or fatal', needsLevels: true },
  error_rate: {
    source: 'stats',
    unit: 'ratio',
    value: (m) => (m.stats!.records ? (m.stats!.levels.error + m.stats!.levels.fatal) / m.stats!.records : 0),
    description: 'errors / records',
    needsLevels: true,
  },
  warnings: { source: 'stats', unit: 'count', value: (m) => m.stats!.levels.warn, description: 'records at warn', needsLevels: true },
  without_id: { source: 'stats', unit: 'count', value: (m) => m.stats!.without_id, description: 'records with no correlation/request/trace id' },
  count: slow('count', 'records with a duration'),
  mean_ms: slow('mean_ms', 'mean duration'),
  p50_ms: slow('p50_ms', 'median duration'),
  p90_ms: slow('p90_ms', '90th percentile duration'),
  p95_ms: slow('p95_ms', '95th percentile duration'),
  p99_ms: slow('p99_ms', '99th percentile duration'),
  max_ms: slow('max_ms', 'longest duration'),
  violations: slow('violations', 'performance violations (flagged, or over a threshold)'),
  duplicate_events: { source: 'dedup', unit: 'count', value: (m) => m.dedup!.duplicate_events, description: 'extra copies of lifecycle events (as `dedup`)' },
  exact_duplicates: { source: 'dedup', unit: 'count', value: (m) => m.dedup!.exact_records, description: 'extra byte-identical copies of records (as `dedup`)' },
  error_clusters: { source: 'errors', unit: 'count', value: (m) => m.errors!.clusters.length, description: 'error patterns (as `errors`)', needsLevels: true },
  new_error_clusters: {
    source: 'errors',
    unit: 'count',
    value: (m) => m.errors!.clusters.filter((c) => c.new).length,
    description: 'error patterns not in the rule\'s baseline',
    needsLevels: true,
  },
  unparsed_lines: { source: 'files', unit: 'count', value: (m) => m.files.reduce((a, f) => a + f.unparsed_lines, 0), description: 'lines that are neither records nor continuation' },
  unparsed_rate: {
    source: 'files',
    unit: 'ratio',
    value: (m) => unparsedRate(filesTally(m)),
    description: 'unparsed lines / lines read (every input; `where` does not apply)',
    nullFails: 'no lines were read',
  },
  unknown_level_rate: {
    source: 'files',
    unit: 'ratio',
    value: (m) => unknownLevelRate(filesTally(m)),
    description: 'records with no recognisable level / records (every input; `where` does not apply)',
    nullFails: 'no records were read',
  },
};
