/** Normalized severity. `unknown` is a record whose level could not be recognised. */
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'unknown';

/** Severity order used by `--level <min>` filters; `unknown` ranks below everything. */
export const LEVEL_RANK: Record<Level, number> = {
  unknown: -1,
  trace: 0,
  debug: 1,
  info: 2,
  warn: 3,
  error: 4,
  fatal: 5,
};

/** A JSON object as parsed from a log line. */
export type JsonObject = Record<string, unknown>;

/** One log record: the original object plus the normalized view every analysis works on. */
export interface LogRecord {
  /** `<path>:<line>`: the path as the user named it, 1-based line in the decompressed text. */
  source: string;
  file: string;
  line: number;
  /** Position of the record in the whole run (input order); used to keep sorts stable. */
  seq: number;
  /** The original object (for Docker-wrapped lines: the inner object). */
  raw: JsonObject;
  /** The top-level keys of `raw`, in order, when the normalizer knows them: records of one shape share the array. */
  keys?: readonly string[];
  /** The original line text, exactly as read (without the line terminator). */
  text: string;
  /** Epoch milliseconds (fractional allowed), or undefined when the record has no usable time. */
  time: number | undefined;
  level: Level;
  message: string | undefined;
  /** Every value found in any id field, in alias order, de-duplicated. */
  ids: string[];
  durationMs: number | undefined;
  operation: string | undefined;
  service: string | undefined;
  component: string | undefined;
  eventType: string | undefined;
  errorType: string | undefined;
  errorMessage: string | undefined;
  stack: string | undefined;
  /** Lines that followed the record and were attached to it (tracebacks, stack frames). */
  continuation: string[];
}

/** Line accounting for one input: lines = records + continuation_lines + unparsed_lines. */
export interface FileStats {
  source: string;
  lines: number;
  records: number;
  continuation_lines: number;
  unparsed_lines: number;
  /** Lines skipped unread by a command's byte prefilter (e.g. trace's id search). */
  skipped_lines: number;
  bytes: number;
  format: 'lines' | 'json-array' | 'emergency-bundle';
  /** Records whose level could not be recognised (counted before any filter). */
  unknown_levels: number;
  /**
   * Records beyond the first that one physical line or document yielded (an OTLP batch, an
   * Elasticsearch or Loki response): lines = records - expanded_records + continuation_lines +
   * unparsed_lines + skipped_lines.
   */
  expanded_records: number;
  /** Records per layout they were read with (`json`, `logfmt`, `docker/json`, `cri/python`, …). */
  layouts: Record<string, number>;
  /** Set when the input could only be read in part (e.g. truncated gzip). */
  error?: string;
  /** Set when the input was not UTF-8 (decoded from UTF-16); `encoding_guessed`: it had no BOM. */
  encoding?: 'utf-16le' | 'utf-16be';
  encoding_guessed?: boolean;
  /** Records nested too deep to process (counted as unparsed lines), and where the first was. */
  too_deep?: number;
  too_deep_at?: string;
}

/**
 * A pure, incremental analysis: no I/O, no clock, no colours.
 * `result` may be called mid-stream (the dashboard does, on a timer).
 */
export interface Analysis<State, Result> {
  init(): State;
  add(state: State, record: LogRecord): void;
  result(state: State): Result;
  merge?(a: State, b: State): State;
}
