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
    path: /^json\/lnav_edgecases_handwritten\/logfile_json_invalid\.json$/,
    waive: ['readable', 'level'],
    reason: "lnav's hand-written fixture of JSON lines cut off mid-object on purpose (the truncated line cannot be a record); it also uses `STATS`, a level its own lnav format test defines, not a severity any logger writes",
  },
  {
    path: /^json\/lnav_edgecases_handwritten\/logfile_invalid_json2?\.json$/,
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
    reason: "journal MESSAGE-style lines (`srv sshd[123]: …`) with no timestamp at all, cut from the journal for fail2ban's tests: a time-less `host prog[pid]:` layout would claim other formats' lines, so they stay unparsed",
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
  // Envelopes whose inner lines carry neither a level word nor a stream (README: Envelopes, the level rule).
  {
    path: /^formats\/fluent-bit\/docker_json_file_multiline_partials\.log$/,
    waive: ['level', 'time'],
    reason: "Fluent Bit's multiline test input: bare `{\"log\":…}` entries with neither Docker's `time` nor `stream`, and plain text with no level word",
  },
  {
    path: /^formats\/fluent-bit\/fluentbit_k8s_record_pretty\.json$/,
    waive: ['level', 'time'],
    reason: 'one Kubernetes record with no time or stream of its own whose `log` is a CRI dump with every space stripped (`…154291375ZstderrFat org…`): no time or level word can be read from it',
  },
  {
    path: /^formats\/grafana\/loki_query_range_streams_response\.json$/,
    waive: ['level'],
    reason: 'Grafana test lines (`log line error 1`, `log line info 2`) under stream labels with no level: a lower-case word outside brackets is prose, not a level, by the envelope level rule',
  },
  {
    path: /^formats\/lnav\/docker_compose_ansi_ts\.log$/,
    waive: ['level'],
    reason: "Flask's development server lines (` * Serving Flask app`, `Press CTRL+C to quit`) and Redis's `signal-handler` line carry no level, and compose's prefix names no stream",
  },
  {
    path: /^formats\/opentelemetry-collector\/debugexporter_detailed_(two_records|entity_refs)\.txt$/,
    reason: "the collector's debug exporter dump (`ResourceLog #0`, `LogRecord #0`, then `Timestamp:`, `SeverityText:`, `Body:` on lines of their own): a record's level and time come after the line that opens it, which a line-by-line layout cannot give the record; in a real collector log this dump follows the collector's own record as its continuation",
  },
  // OTLP records written without a severity (SEVERITY_NUMBER_UNSPECIFIED) and bodies with no level word.
  {
    path: /^(formats\/lnav\/otlp_json_lines_file_exporter\.jsonl|json\/lnav_edgecases_handwritten\/logfile_otel_collector\.jsonl|formats\/fluent-bit\/otlp_json_logs_pretty\.json)$/,
    waive: ['level'],
    reason: 'OTLP log records written with neither severityText nor severityNumber (UNSPECIFIED, as one body says) and bodies with no level word: there is no level to read',
  },
  // Search responses over documents that are not log records.
  {
    path: /^formats\/opensearch-datasource\/opensearch_msearch_raw_documents_response\.json$/,
    waive: ['level'],
    reason: "OpenSearch's sample flights data (FlightNum, Carrier, DestWeather…): documents with a `timestamp` but no severity of any kind",
  },
  {
    path: /^formats\/opensearch-datasource\/opensearch_ppl_web_logs_response\.json$/,
    waive: ['level'],
    reason: "OpenSearch's sample web logs as PPL rows: an access log's fields (`request`, `response`, `bytes`) with no severity; its status is a column of the row, not a layout that derives a level",
  },
  {
    path: /^formats\/opensearch-datasource\/opensearch_msearch_trace_spans_response\.json$/,
    waive: ['level', 'time'],
    reason: 'trace span documents (Data Prepper `otel-v1-apm-span`: `spanId`, `startTime`, `endTime`, `durationInNanos`), not log records: no severity, and the time is a span start',
  },
  {
    path: /^formats\/grafana\/elasticsearch_msearch_logs_response\.json$/,
    waive: ['time'],
    reason: "Grafana's test documents keep their time under `testtime`, a name their datasource is configured with: no general time field",
  },
  {
    path: /^formats\/ops-agent\/vault_audit_mixed_json\.log$/,
    waive: ['level'],
    reason: 'Vault audit device entries (`type: request|response`, `auth`, `request`/`response`): audit records, with no severity',
  },
  {
    path: /^formats\/fluent-bit\/java_stack_and_go_panic\.log$/,
    waive: ['readable', 'time'],
    reason: "Fluent Bit's multiline-parser test input: `single line...`/`another line...` filler lines of no layout, and a Go panic whose `panic:` line carries no time",
  },
  {
    path: /^formats\/request-log-analyzer\/sinatra_rack_common\.log$/,
    waive: ['readable'],
    reason: "Sinatra's start and stop banners (`== Sinatra/0.9.4 has taken the stage…`, `^C`, `== Sinatra has ended his set`): 3 of 99 lines, console output of no log layout",
  },
  {
    path: /^formats\/request-log-analyzer\/merb_framework\.log$/,
    waive: ['time'],
    reason: 'Merb writes a time only on its `Started request handling:` lines: the startup lines before the first request have none',
  },
  {
    path: /^formats\/lnav\/mysql_general_query\.log$/,
    waive: ['time'],
    reason: "MySQL's general-log header (`/usr/sbin/mysqld, Version: …`) carries no time: 1 of 15 records",
  },
  {
    path: /^formats\/loki\/journald_messages_mixed\.log$/,
    waive: ['readable'],
    reason: 'journald MESSAGE values with the journal fields stripped: the kernel AVC/apparmor and dhclient lines carry neither time nor level (the journal held them), 25% of lines',
  },
  {
    path: /^formats\/opentelemetry-operations-go\/(gcl_logentries_span_trace_id|otlp_logs_span_trace_id)\.json$/,
    waive: ['level'],
    reason: 'span-correlation test entries: Cloud Logging entries / OTLP log records with trace and span ids but no severity (DEFAULT / UNSPECIFIED) and no level word in their payload',
  },
  // Test fixtures that enumerate edge cases of level and time fields: records with a deliberately
  // missing, unknown or malformed level or time are the point of the file.
  {
    path: /^json\/bunyan_corpus\/all\.log$/,
    reason: "bunyan's whole test corpus concatenated: it ends with its bogus-input section ('not a JSON line', and `{\"hi\": \"there\"}` with neither time nor level)",
  },
  {
    path: /^json\/fblog\/sample_mixed_prefix\.log$/,
    reason: "fblog's fixture of prefixed and broken lines: a bare word (`test`), a prefix before a cut-off object, a level `xyz`, a timestamp prefixed with `<>` on purpose",
  },
  {
    path: /^json\/humanlog_cases\/0000[12]-(json|logfmt)\.log$/,
    waive: ['level', 'time'],
    reason: "humanlog's test cases for key spellings, one key per line: lines with only a time (`{\"ts\":…,\"msg\":\"hello\"}`), only a level (`{\"lvl\":\"fatal\"}`), `level=\"some unknown level\"`, or neither (`msg=\"i like turtle\" key=value1`)",
  },
  {
    path: /^json\/lnav_edgecases_handwritten\/logfile_json\.json$/,
    waive: ['level', 'time'],
    reason: "lnav's hand-written fixture: a `STATS` level that only lnav's own test format defines, and a time written as `\"xxx\"` on purpose",
  },
  {
    path: /^json\/lnav_edgecases_handwritten\/logfile_mixed_json2\.json$/,
    waive: ['level', 'time'],
    reason: "lnav's hand-written fixture: a `STATS` level that only lnav's own test format defines, and a Go `panic:` header mixed in, which carries no time",
  },
  {
    path: /^json\/lnav_edgecases_handwritten\/logfile_nested_json\.json$/,
    waive: ['level'],
    reason: "lnav's hand-written fixture: a `STATS` level that only lnav's own test format defines",
  },
  {
    path: /^json\/lnav_edgecases_handwritten\/logfile_json_subsec\.json$/,
    waive: ['level'],
    reason: "lnav's fixture of log4j2 `instant` times: its two records carry a time and a message only, no level",
  },
  {
    path: /^formats\/fluent-bit\/stackdriver_severity\.jsonl$/,
    waive: ['level', 'time'],
    reason: "Fluent Bit's Stackdriver test input: no record has a time (the collector stamps it), and half have no `severity` on purpose (to test the DEFAULT severity)",
  },
  {
    path: /^formats\/ops-agent\/gcp_structured_special_fields\.jsonl$/,
    waive: ['time'],
    reason: "Ops Agent's test of Cloud Logging special keys: the record carries no time (the agent stamps it on ingestion)",
  },
  {
    path: /^formats\/ops-agent\/gcp_trace_spanid_fields\.jsonl$/,
    waive: ['level', 'time'],
    reason: "Ops Agent's test of `trace`/`spanId` fields: records with neither severity nor time (the agent gives DEFAULT and the ingestion time)",
  },
  {
    path: /^formats\/ops-agent\/elasticsearch_json_wrapped\.log$/,
    waive: ['level', 'time'],
    reason: "Ops Agent's Elasticsearch parser test: one record has level `UNKNOWN` on purpose, and two repeat `timestamp` with `not-a-timestamp` (the last key wins in JSON)",
  },
];

/** The first rule whose path matches, if any. */
export function ruleFor<R extends PathRule>(rules: readonly R[], rel: string): R | undefined {
  return rules.find((r) => r.path.test(rel));
}
