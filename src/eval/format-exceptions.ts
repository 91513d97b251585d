/**
 * What the format evaluation (`eval:formats`) does not hold to the bar, as data, each with its
 * reason. Paths are relative to the data folder (`json/…`, `formats/…`, `loghub/…`), with `/`.
 *
 * - NOT_LOGS: files that are not logs at all (provenance notes, licences, ground-truth tables,
 *   rendered requests). They are listed, never read.
 * - ANNOTATIONS: lines a test suite interleaved with real log lines. They are taken out before
 *   reading and counted in their own column; the rest of the file is held to the bar.
 * - EXCEPTIONS: logs that legitimately cannot meet the bar. With `waive`, only the figures named
 *   there are not judged (a log that carries no time at all still has its lines and levels
 *   judged); without it, the whole file is read and shown in its own section, not judged.
 */

/** A rule matching files by their relative path. */
export interface PathRule {
  /** Tested against the relative path (`formats/fail2ban/sshd_auth_annotated.log`). */
  path: RegExp;
  reason: string;
}

/** Lines of matching files that are annotations, not log lines. */
export interface AnnotationRule extends PathRule {
  line: RegExp;
}

export const NOT_LOGS: readonly PathRule[] = [
  { path: /(^|\/)SOURCE\.txt$/, reason: 'provenance note (origin, commit, line counts) of the samples beside it' },
  { path: /(^|\/)LICENSE[^/]*$/, reason: 'licence text of the samples beside it' },
  { path: /(^|\/)README[^/]*$/, reason: 'description of the samples' },
  { path: /\.md$/, reason: 'documentation' },
  { path: /\.csv$/, reason: 'ground-truth table (Loghub structured/templates CSV), not a log' },
  { path: /\.ya?ml$/, reason: 'a request rendered as YAML (expected output of a collector test), not a log' },
  { path: /^loghub\/log_formats\.json$/, reason: "Loghub's description of its datasets' line formats, not a log" },
  // Loghub: only the 2k samples are logs; the folder holds their ground truth besides.
  { path: /^loghub\/(?!.*_2k\.log$)[^/]+\/.+$/, reason: 'Loghub support file (only *_2k.log files are logs)' },
];

export const ANNOTATIONS: readonly AnnotationRule[] = [
  {
    path: /^formats\/fail2ban\//,
    line: /^#/,
    reason: "fail2ban's test annotations (`# failJSON: {…}` expected matches, `# filterOptions:`, numbered notes) interleaved with the log lines",
  },
  {
    path: /^json\/bunyan_corpus\//,
    line: /^# /,
    reason: "bunyan's test-corpus section comments (`# levels`, `# extra fields`)",
  },
];

/** The figures a file is judged on. */
export type Figure = 'readable' | 'level' | 'time';

/** A log excepted from the bar, wholly or for some figures. */
export interface ExceptionRule extends PathRule {
  waive?: readonly Figure[];
}

export const EXCEPTIONS: readonly ExceptionRule[] = [
  // Test fixtures written to hold invalid input: their broken lines are the point of the file.
  {
    path: /^json\/bunyan_corpus\/bogus\.log$/,
    reason: "bunyan's test of bogus input: one line is deliberately not a record ('not a JSON line'), the other an object with neither time nor level",
  },
  {
    path: /^json\/hl_edgecases_handwritten\/mixed_valid_invalid\.log$/,
    waive: ['readable', 'level'],
    reason: "hl's hand-written fixture: one of its three lines is deliberately invalid, and its records carry no level at all",
  },
  {
    path: /^json\/lnav_edgecases_handwritten\/(logfile_invalid_json2?|logfile_json_invalid)\.json$/,
    waive: ['readable'],
    reason: "lnav's hand-written fixture of JSON lines cut off mid-object on purpose (the truncated line cannot be a record)",
  },
  // Logs whose producer writes no time, or no severity: the figure does not exist to be read.
  {
    path: /^formats\/angle-grinder\/logfmt_no_timestamp\.log$/,
    waive: ['time'],
    reason: 'logfmt written without a timestamp (as the file name says): there is no time to read',
  },
  {
    path: /^formats\/fail2ban\/sshd_journal_messages_annotated\.log$/,
    waive: ['time'],
    reason: 'journal MESSAGE-style lines (`srv sshd[123]: …`) with no timestamp at all',
  },
  {
    path: /^json\/fblog\/sample_nested\.jsonl$/,
    waive: ['time'],
    reason: "fblog's fixture prefixes every timestamp with `<>` on purpose (`\"<>2017-07-06T15:21:16…\"`): not a time",
  },
  {
    path: /^json\/lnav\/gharchive_events\.jsonl$/,
    waive: ['level'],
    reason: 'GitHub Archive events (PushEvent, ForkEvent…): activity records with a time but no severity of any kind',
  },
];

/** The first rule whose path matches, if any. */
export function ruleFor<R extends PathRule>(rules: readonly R[], rel: string): R | undefined {
  return rules.find((r) => r.path.test(rel));
}
