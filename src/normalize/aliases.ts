/** Units a duration can be given in. */
export type DurationUnit = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h';

/** An alias with an optional unit (durations) or interpretation (levels, times). */
export interface Alias {
  key: string;
  unit?: DurationUnit | 'default';
  /** How a numeric level is read: pino/bunyan, OpenTelemetry SeverityNumber, or syslog priority. */
  levelScale?: 'otel' | 'syslog';
}

/** Normalized fields with aliases. */
export type AliasField =
  | 'time' | 'level' | 'message' | 'id' | 'duration' | 'operation' | 'service' | 'component'
  | 'eventType' | 'errorType' | 'errorMessage' | 'stack';

const a = (...keys: string[]): Alias[] => keys.map((key) => ({ key }));

/**
 * The alias table (spec §2): for each normalized field the keys tried in order. Names match
 * regardless of case; a dotted name matches a nested path or a literal dotted key.
 */
export const ALIASES: Record<AliasField, Alias[]> = {
  time: [
    ...a('timestamp', '@timestamp', 'time', 'ts', 't', '@t', 'datetime', 'date', 'asctime', 'timeUnixNano', 'observedTimestamp', 'eventTime', 'time_local'),
    // Kubernetes audit events: the stage's time, else when the request came in.
    ...a('stageTimestamp', 'requestReceivedTimestamp'),
    { key: '__REALTIME_TIMESTAMP', unit: 'us' },
    // log4j2 JsonLayout: `instant` ({epochSecond, nanoOfSecond}, 2.11+) or `timeMillis` (before).
    // Google Cloud structured logs: `timestampSeconds` (with `timestampNanos`, read as its fraction).
    ...a('instant', 'timeMillis', 'timestampSeconds'),
    // Request logs that write when the request started and nothing else: a generic `started_at`
    // (epoch or ISO), Cloudflare Logpush's `EdgeStartTimestamp` (ns epoch, epoch s or RFC 3339).
    ...a('started_at', 'EdgeStartTimestamp'),
    // Event records (GitHub events, webhooks) that say when the event was created and nothing
    // else; last, so that a record's own time always comes first.
    ...a('created_at'),
  ],
  level: [
    ...a('level', 'levelname', 'severity', 'severityText'),
    { key: 'severityNumber', levelScale: 'otel' },
    ...a('lvl', 'log.level', '@l', 'level_name', 'loglevel'),
    { key: 'PRIORITY', levelScale: 'syslog' },
    // Google Cloud Logging's special key in structured (JSON) payloads written to stdout.
    ...a('logging.googleapis.com/severity'),
  ],
  message: a('message', 'msg', '@m', '@message', 'body', 'short_message', 'event', 'log', '@mt'),
  id: a(
    'correlation_id', 'correlationId', 'correlation-id', 'x-correlation-id', 'request_id', 'requestId', 'req_id', 'reqId', 'req.id',
    'trace_id', 'traceId', 'trace.id', 'transaction.id', 'transactionId', 'x-request-id', 'logging.googleapis.com/trace', '@tr',
    // Kubernetes audit events.
    'auditID',
  ),
  duration: [
    { key: 'duration_ms', unit: 'ms' },
    { key: 'durationMs', unit: 'ms' },
    { key: 'elapsed_ms', unit: 'ms' },
    { key: 'latency_ms', unit: 'ms' },
    { key: 'response_time_ms', unit: 'ms' },
    { key: 'responseTime', unit: 'ms' },
    { key: 'took', unit: 'ms' },
    { key: 'duration_seconds', unit: 's' },
    { key: 'duration_s', unit: 's' },
    { key: 'duration_sec', unit: 's' },
    { key: 'elapsed_seconds', unit: 's' },
    { key: 'duration_us', unit: 'us' },
    { key: 'duration_ns', unit: 'ns' },
    { key: 'event.duration', unit: 'ns' },
    { key: 'duration', unit: 'default' },
    { key: 'elapsed', unit: 'default' },
    { key: 'latency', unit: 'default' },
  ],
  operation: a('operation', 'op', 'operation_name', 'span_name', 'tool_name', 'event.action', 'route', 'endpoint'),
  service: a('service', 'service.name', 'service_name', 'app', 'application', 'name'),
  component: a('component', 'layer', 'logger', 'logger_name', 'module'),
  eventType: a('event_type', 'eventType', 'event.type'),
  // `exception_name`: AWS Lambda Powertools (Python).
  errorType: a('error_type', 'error.type', 'err.type', 'exception.type', 'error.kind', 'error.name', 'err.name', 'exc_type', 'exception_name'),
  // `exception.value`: the exception's text beside `exception.type` (loguru's serialized
  // record, Sentry-style events).
  // A plain-string `error`/`err` is the error of Go loggers (zap, logrus, zerolog: `error`; slog: `err`);
  // as objects they are read through the dotted names before them.
  errorMessage: a('error.message', 'err.message', 'exception.message', 'exception.value', 'error_message', 'error', 'err'),
  // A plain-string `exception` is a .NET exception's ToString() (Serilog `Exception`) or a Python
  // traceback (structlog, Powertools); `exc_info` is python-json-logger's traceback.
  stack: a('error.stack', 'err.stack', 'exception.traceback', 'exception.stacktrace', 'error.stack_trace', 'stack_trace', 'stacktrace', 'stack', '@x', 'exception', 'exc_info'),
};

/** Method and path pairs from which an operation is built when no operation field exists. */
export const OPERATION_FALLBACK: [method: string, paths: string[]][] = [
  ['method', ['path', 'url', 'route']],
  ['req.method', ['req.url', 'req.path']],
  ['http.request.method', ['url.path', 'url.original']],
  ['http.method', ['http.route', 'http.target', 'http.url']],
  ['request.method', ['request.path', 'request.url']],
  // Kubernetes audit events: `get /api/v1/namespaces/default/pods`.
  ['verb', ['requestURI']],
];

/**
 * Level names and abbreviations, lower-cased (Serilog, log4j, syslog, Python, Go, npm/winston,
 * loguru). npm's `http` sits between info and verbose, so it reads as debug; `silly` is the
 * lowest. `verbose` stays trace (spec §2: Serilog's Verbose is below Debug), although winston
 * places it just above debug: both read below info either way.
 */
export const LEVEL_NAMES: Record<string, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  trace: 'trace', trc: 'trace', verbose: 'trace', vrb: 'trace', finest: 'trace', finer: 'trace', silly: 'trace', t: 'trace',
  debug: 'debug', dbg: 'debug', fine: 'debug', http: 'debug', d: 'debug',
  info: 'info', inf: 'info', information: 'info', informational: 'info', notice: 'info', config: 'info', success: 'info', i: 'info',
  warn: 'warn', warning: 'warn', wrn: 'warn', w: 'warn',
  // Elasticsearch's JSON logs write deprecation warnings at their own level, `DEPRECATION`.
  deprecation: 'warn',
  error: 'error', err: 'error', eror: 'error', severe: 'error', e: 'error',
  fatal: 'fatal', ftl: 'fatal', critical: 'fatal', crit: 'fatal', emergency: 'fatal', emerg: 'fatal', alert: 'fatal', panic: 'fatal', dpanic: 'fatal', f: 'fatal',
};

/**
 * Formats whose records carry no level when it is the default: a record with this key and no
 * level field gets this level. CLEF (Serilog/Seq) omits `@l` for Information.
 */
export const IMPLICIT_LEVELS: { key: string; level: 'info' }[] = [{ key: '@t', level: 'info' }];

/**
 * A level written as an object (`{"level":{"name":"INFO","no":20}}`: loguru; `{"label":"info",
 * "value":30}`: custom pino and winston formatters): the keys tried in order, names before
 * numbers. Keys match regardless of case.
 */
export const LEVEL_OBJECT_KEYS = ['name', 'label', 'text', 'levelname', 'value', 'severity', 'level', 'no', 'number', 'num'];

/**
 * A time written as an object: loguru's `{"repr":"2024-01-15 10:30:45.123456+01:00",
 * "timestamp":1705311045.123456}`, MongoDB's `{"$date":"…"}` (or `{"$date":{"$numberLong":"…"}}`).
 * The keys tried in order; an epoch number comes before its rendering. Before them, a pair of
 * whole seconds and nanoseconds is read as one time: `TIME_OBJECT_PAIRS`.
 */
export const TIME_OBJECT_KEYS = ['timestamp', '$date', '$numberLong', 'repr', 'iso', 'value', 'epoch'];

/**
 * Keys under which a whole record may be nested one level deep (loguru's `serialize=True` writes
 * `{"text":"…","record":{"level":{…},"message":…,"time":{…},"extra":{…}}}`). A record with no
 * level and no message key of its own whose value under one of these keys is an object is read
 * from that object, as if flat; the object's `extra` (bound context such as a request id) is
 * read as part of it, and the outer object's fields fill what the inner one lacks. `@fields` is
 * the field container of logstash's v0 event schema, as some JSON loggers write it
 * (`{"ts":…,"@fields":{"lvl":"INFO","msg":…}}`).
 */
export const NESTED_RECORD_KEYS = ['record', '@fields'];

/** Keys inside a nested record whose object holds more of its fields (loguru's `bind()` context). */
export const NESTED_EXTRA_KEYS = ['extra'];

/**
 * Times written as whole epoch seconds plus nanoseconds, in an object (log4j2 JsonLayout's
 * `instant`: `{"epochSecond":…,"nanoOfSecond":…}`; protobuf Timestamp JSON as Google Cloud writes
 * it: `{"seconds":…,"nanos":…}`) or beside each other at the top of a record (Google Cloud's
 * `timestampSeconds` and `timestampNanos`). Keys match regardless of case.
 */
export const TIME_OBJECT_PAIRS: [seconds: string, nanos: string][] = [
  ['epochSecond', 'nanoOfSecond'],
  ['seconds', 'nanos'],
];
export const TIME_FIELD_PAIRS: [seconds: string, nanos: string][] = [['timestampSeconds', 'timestampNanos']];

/**
 * Records whose level and component sit under short keys that are read only on their logger's
 * exact shape. MongoDB 4.4+ structured logs: `{"t":{"$date":…},"s":"I","c":"NETWORK","id":…,
 * "ctx":…,"msg":…,"attr":{…}}`, severity `s` (F, E, W, I, D1–D5), component `c`. A rule
 * applies only to a record holding all of `keys` (exactly so written) and no level alias.
 */
export const SHAPE_RULES: { keys: string[]; level: string; component?: string }[] = [
  { keys: ['t', 's', 'c', 'msg'], level: 's', component: 'c' },
];

/**
 * The access-log convention, for records that carry an HTTP status but no level field: 5xx
 * reads as error, 4xx as warn, any other status (100–399) as info. Keys tried in order (any
 * case; dotted names reach nested objects); a value counts only as an integer 100–599 (a number
 * or a string of digits).
 */
export const STATUS_LEVEL_KEYS = [
  'status', 'status_code', 'statusCode', 'http_status', 'response.status', 'response.status_code', 'res.statusCode',
  'http.status_code', 'http.response.status_code', 'httpRequest.status', 'EdgeResponseStatus', 'OriginResponseStatus',
];
