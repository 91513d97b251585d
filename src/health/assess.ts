import { detectedLayout, describeLayouts } from '../formats/detected.js';
import { MAX_NESTING } from '../read/assemble.js';
import { sumTallies, type InputTally, type WindowTally } from './tally.js';

/**
 * More than half the lines looked at are neither records nor continuations: the input is
 * mostly in a layout logtool does not read, so any answer speaks for the minority of it.
 */
export const UNPARSED_RATE_LIMIT = 0.5;
/**
 * More than half the records have no recognisable level: counts per level, error patterns and
 * error rates describe less than half the input, and "no errors" means little.
 */
export const UNKNOWN_LEVEL_RATE_LIMIT = 0.5;
/** A follower (tail) judges the levels once, after this many records: enough to tell a layout, early enough to matter. */
export const WATCH_RECORDS = 100;

/** What was found wrong with an input; the words are the CLI's (src/cli/health.ts). */
export type HealthCode = 'no_records' | 'mostly_unparsed' | 'mostly_unknown_levels' | 'outside_window' | 'too_deep' | 'guessed_encoding';

/** One finding: its code, the input it is about (undefined: the whole run) and its figures. */
export interface Finding {
  code: HealthCode;
  file?: string;
  figures: Record<string, number | string | null>;
  /** The layout most records were read with, and all of them described (`logfmt 93%, json 7%`). */
  layout?: string;
  layouts?: string;
}

/** The verdict on a run's inputs. */
export interface Assessment {
  findings: Finding[];
  /**
   * Whether levels could be read at all: false when there are no records, or when every record
   * has an unknown level. An error count over such input is not an answer.
   */
  judged: boolean;
  /** The run's figures added up. */
  total: InputTally;
}

const rate = (n: number, of: number) => (of > 0 ? n / of : 0);
const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Assesses the inputs of one run: per input, mostly unparsed lines or mostly unknown levels; for
 * the run, no records at all, or every record outside `--since/--until`. Pure: figures in, findings out.
 */
export function assess(inputs: { source: string; tally: InputTally }[], window?: WindowTally): Assessment {
  const findings: Finding[] = [];
  for (const { source, tally: t } of inputs) {
    if (t.guessed_encoding) findings.push({ code: 'guessed_encoding', file: source, figures: { encoding: t.guessed_encoding } });
    const layouts = describeLayouts(t.layouts);
    const layout = detectedLayout(t.layouts);
    if (t.lines > 0 && rate(t.unparsed_lines, t.lines) > UNPARSED_RATE_LIMIT) {
      findings.push({
        code: 'mostly_unparsed',
        file: source,
        figures: { lines: t.lines, unparsed_lines: t.unparsed_lines, records: t.records, unparsed_rate: round(rate(t.unparsed_lines, t.lines)) },
        layout,
        layouts,
      });
    } else if (t.records > 0 && rate(t.unknown_levels, t.records) > UNKNOWN_LEVEL_RATE_LIMIT) {
      findings.push({
        code: 'mostly_unknown_levels',
        file: source,
        figures: { records: t.records, unknown_levels: t.unknown_levels, unknown_level_rate: round(rate(t.unknown_levels, t.records)) },
        layout,
        layouts,
      });
    }
  }
  const total = sumTallies(inputs.map((i) => i.tally));
  // Records too deep to process are said once for the run: how many, and where the first was.
  if (total.too_deep) findings.push({ code: 'too_deep', figures: { records: total.too_deep, limit: MAX_NESTING, first: total.too_deep_at ?? null } });
  // Lines with no record at all are already said per input; this is for an input with no lines
  // (empty) — unless a prefilter skipped every line, which is the command's own answer (trace).
  if (total.records === 0 && total.skipped_lines === 0 && !findings.some((f) => f.code === 'mostly_unparsed')) {
    findings.push({ code: 'no_records', figures: { inputs: inputs.length, lines: total.lines, records: 0 } });
  }
  if (window && window.inside === 0 && window.outside > 0) {
    findings.push({
      code: 'outside_window',
      figures: {
        records: window.outside,
        without_time: window.without_time,
        since: window.since ?? null,
        until: window.until ?? null,
        first: window.first ?? null,
        last: window.last ?? null,
      },
    });
  }
  return { findings, judged: total.records - total.unknown_levels > 0, total };
}

/** The share of records without a level, or null without records. */
export function unknownLevelRate(t: InputTally): number | null {
  return t.records > 0 ? t.unknown_levels / t.records : null;
}

/** The share of lines looked at that are neither records nor continuations, or null without lines. */
export function unparsedRate(t: InputTally): number | null {
  return t.lines > 0 ? t.unparsed_lines / t.lines : null;
}
