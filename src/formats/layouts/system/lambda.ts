import type { JsonObject } from '../../../types.js';
import type { Layout } from '../../types.js';

const ISO = '(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d))';
const LEVELS = 'TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL';
const PYTHON = new RegExp(`^\\[(${LEVELS})\\]\\t${ISO}\\t([^\\t]*)\\t(.*)$`);
const NODE = new RegExp(`^${ISO}\\t([^\\t]*)\\t(?:(${LEVELS})\\t)?(.*)$`);

/** A request id as the runtimes write it; `undefined`/`None` (logged outside an invocation) is none. */
function requestId(out: JsonObject, id: string): void {
  if (id !== '' && id !== 'undefined' && id !== 'None' && id !== 'null') out.request_id = id;
}

/**
 * AWS Lambda's Python runtime (its default text format, `[%(levelname)s]\t%(asctime)s\t
 * %(aws_request_id)s\t%(message)s`): `[ERROR]\t2024-03-01T10:00:00.123Z\t<request id>\tmsg`.
 * The level, time and `request_id` are read; the rest of a multi-line message (a traceback)
 * is continuation.
 */
export const LAMBDA_PYTHON: Layout = {
  name: 'lambda-python',
  title: 'AWS Lambda Python runtime ([LEVEL]\\ttime\\trequest id\\tmsg)',
  continuation: 'any',
  parse(line) {
    if (line.charCodeAt(0) !== 91) return undefined;
    const m = PYTHON.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: m[2], level: m[1] };
    requestId(out, m[3]);
    out.msg = m[4];
    return out;
  },
  samples: [
    {
      line: '[ERROR]\t2024-03-01T10:00:00.123Z\t6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b\tpayment provider timed out after 3 retries',
      fields: { time: '2024-03-01T10:00:00.123Z', level: 'ERROR', request_id: '6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', msg: 'payment provider timed out after 3 retries' },
    },
    { line: '[INFO]\t2024-03-01T10:00:00.001Z\tNone\tloading model', fields: { level: 'INFO', request_id: null, msg: 'loading model' } },
  ],
};

/**
 * AWS Lambda's Node.js runtime (`console.*` in its text format):
 * `2024-03-01T10:00:00.123Z\t<request id>\tERROR\tmsg` (INFO, WARN, DEBUG, TRACE, FATAL);
 * runtimes before Node 12 write no level (`time\tid\tmsg`): the level is then unknown. The rest
 * of a multi-line message (an error's stack) is continuation.
 */
export const LAMBDA_NODE: Layout = {
  name: 'lambda-node',
  title: 'AWS Lambda Node.js runtime (time\\trequest id\\tLEVEL\\tmsg)',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57 || line.indexOf('\t') === -1) return undefined;
    const m = NODE.exec(line);
    if (!m) return undefined;
    const id = m[2];
    // The second column is a request id (a UUID, or `undefined` during init), never free text.
    if (!/^(?:[0-9a-fA-F-]{8,}|undefined|null)$/.test(id)) return undefined;
    const out: JsonObject = { time: m[1] };
    if (m[3]) out.level = m[3];
    requestId(out, id);
    out.msg = m[4];
    return out;
  },
  samples: [
    {
      line: '2024-03-01T10:00:00.123Z\t6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b\tWARN\tinventory cache miss for sku 1142',
      fields: { time: '2024-03-01T10:00:00.123Z', level: 'WARN', request_id: '6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', msg: 'inventory cache miss for sku 1142' },
    },
    { line: '2024-03-01T09:59:59.900Z\tundefined\tINFO\tconnecting to the database', fields: { level: 'INFO', request_id: null, msg: 'connecting to the database' } },
    { line: '2024-03-01T10:00:00.500Z\t6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b\tTask timed out after 3.00 seconds', fields: { level: null, request_id: '6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b' } },
  ],
};

const PLATFORM = /^(START|END|REPORT|INIT_START|INIT_REPORT|INIT_RUNTIME_DONE|RESTORE_START|RESTORE_REPORT|EXTENSION|TELEMETRY|LOGS) /;
const FIELD = /([A-Za-z][\w ]*?): ([^\t]*?)(?=\t|$)/g;
/** REPORT fields that are measurements, to a number. */
const MS = /^(-?\d+(?:\.\d+)?) ms$/;

/**
 * AWS Lambda's platform lines: `START RequestId: <id> Version: $LATEST`, `END RequestId: <id>`,
 * `REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax
 * Memory Used: 70 MB` (with `Init Duration`, `XRAY TraceId`, `Status` when present), `INIT_START
 * Runtime Version: …`, `INIT_REPORT`, `EXTENSION`/`TELEMETRY` registrations. `RequestId` →
 * `request_id`, `Duration` → `duration_ms`, `XRAY TraceId` → `trace_id`, `Status` → `lambda_status`. They carry no time
 * (the CloudWatch event's is used) and no level word: `info`, or `error` when a `Status` is
 * `error` or `timeout`.
 */
export const LAMBDA_PLATFORM: Layout = {
  name: 'lambda-platform',
  title: 'AWS Lambda platform lines (START / END / REPORT RequestId, INIT_START)',
  continuation: 'default',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 65 || c > 90) return undefined;
    const m = PLATFORM.exec(line);
    if (!m) return undefined;
    const kind = m[1];
    const rest = line.slice(m[0].length);
    const out: JsonObject = { event: kind };
    if (kind === 'START' || kind === 'END' || kind === 'REPORT') {
      const id = /^RequestId: ([0-9a-fA-F-]{8,})/.exec(rest);
      if (!id) return undefined;
      out.request_id = id[1];
      if (kind === 'START') {
        const v = /Version: (\S+)/.exec(rest);
        if (v) out.version = v[1];
      }
    } else if (!/^[A-Za-z][\w ]*: /.test(rest)) return undefined;
    let failed = false;
    if (kind !== 'START' && kind !== 'END') {
      for (const f of rest.matchAll(FIELD)) {
        const key = f[1];
        const value = f[2].trim();
        if (key === 'RequestId') continue;
        const ms = MS.exec(value);
        if (key === 'Duration' && ms) out.duration_ms = Number(ms[1]);
        else if (key === 'Billed Duration' && ms) out.billed_duration_ms = Number(ms[1]);
        else if (key === 'Init Duration' && ms) out.init_duration_ms = Number(ms[1]);
        else if (key === 'Memory Size') out.memory_size_mb = parseInt(value, 10);
        else if (key === 'Max Memory Used') out.max_memory_used_mb = parseInt(value, 10);
        else if (key === 'XRAY TraceId') out.trace_id = value;
        else if (key === 'SegmentId') out.span_id = value;
        else if (key === 'Status') out.lambda_status = value;
        else out[key.toLowerCase().replace(/ /g, '_')] = value;
        if (key === 'Status' && (value === 'error' || value === 'timeout')) failed = true;
      }
    }
    out.level = failed ? 'error' : 'info';
    out.msg = line;
    return out;
  },
  samples: [
    { line: 'START RequestId: 6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b Version: $LATEST', fields: { event: 'START', request_id: '6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', version: '$LATEST', level: 'info' } },
    { line: 'END RequestId: 6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', fields: { event: 'END', request_id: '6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', level: 'info' } },
    {
      line: 'REPORT RequestId: 6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b\tDuration: 812.47 ms\tBilled Duration: 813 ms\tMemory Size: 256 MB\tMax Memory Used: 91 MB\tInit Duration: 402.18 ms\t',
      fields: { request_id: '6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', duration_ms: 812.47, billed_duration_ms: 813, memory_size_mb: 256, max_memory_used_mb: 91, init_duration_ms: 402.18, level: 'info' },
    },
    {
      line: 'REPORT RequestId: 0b8e4c1d-9a2f-4d6e-b7c3-5e1f2a3b4c5d\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tStatus: timeout',
      fields: { duration_ms: 3000, lambda_status: 'timeout', level: 'error' },
    },
    {
      line: 'INIT_START Runtime Version: python:3.12.v18\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:0b2d5e8f',
      fields: { event: 'INIT_START', runtime_version: 'python:3.12.v18', level: 'info' },
    },
  ],
};

/** The AWS Lambda runtime layouts: the Python and Node.js runtimes' text formats and the platform lines. */
export const LAMBDA_LAYOUTS: Layout[] = [LAMBDA_PYTHON, LAMBDA_NODE, LAMBDA_PLATFORM];
