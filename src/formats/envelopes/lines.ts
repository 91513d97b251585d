import type { LineEnvelope, Unwrapped } from '../types.js';
import { isObj } from './common.js';

const CRI = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)) (stdout|stderr) ([FP])(?::\S*)?(?: (.*))?$/;

/**
 * Kubernetes CRI container log lines (containerd, CRI-O): `<RFC3339Nano> stdout|stderr F|P <line>`.
 * `P` marks a part of a line the runtime split: the parts are joined with the final `F` part.
 */
export const cri: LineEnvelope = {
  name: 'cri',
  title: 'Kubernetes CRI (<time> stdout|stderr F|P <line>)',
  open(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57 || line.charCodeAt(4) !== 45) return undefined;
    const m = CRI.exec(line);
    if (!m) return undefined;
    return { line: m[4] ?? '', context: { time: m[1], stream: m[2] }, partial: m[3] === 'P' };
  },
  samples: [
    {
      line: '2024-03-01T10:00:00.123456789Z stderr F {"level":"error","msg":"db down"}',
      expect: { line: '{"level":"error","msg":"db down"}', context: { time: '2024-03-01T10:00:00.123456789Z', stream: 'stderr' }, partial: false },
    },
    {
      line: '2024-03-01T10:00:00.123456789+00:00 stdout P first part of a long ',
      expect: { line: 'first part of a long ', context: { stream: 'stdout' }, partial: true },
    },
  ],
};

/**
 * Fluent Bit's `stdout` output: `[<epoch seconds>, {record}]` (and `[[<epoch>, {metadata}],
 * {record}]` since Fluent Bit 2.1). The record is read again: a container or journald record is
 * itself unwrapped; the event time is the fallback time.
 */
export const fluentBitStdout: LineEnvelope = {
  name: 'fluent-bit',
  title: 'Fluent Bit stdout ([time, {record}])',
  open(line) {
    if (line.charCodeAt(0) !== 91) return undefined;
    const c = line.charCodeAt(1);
    if (!((c >= 48 && c <= 57) || c === 91)) return undefined;
    const end = line.trimEnd();
    if (end.charCodeAt(end.length - 1) !== 93) return undefined;
    let v: unknown;
    try {
      v = JSON.parse(end);
    } catch {
      return undefined;
    }
    if (!Array.isArray(v) || v.length !== 2 || !isObj(v[1])) return undefined;
    const head: unknown = Array.isArray(v[0]) ? v[0][0] : v[0];
    if (typeof head !== 'number') return undefined;
    const u: Unwrapped = { line: JSON.stringify(v[1]), context: { time: Math.round(head * 1e6) / 1e3 } };
    return u;
  },
  samples: [
    {
      line: '[1709287200.123456, {"log":"ready\\n","stream":"stdout","kubernetes":{"pod_name":"api-0"}}]',
      expect: { line: '{"log":"ready\\n","stream":"stdout","kubernetes":{"pod_name":"api-0"}}', context: { time: 1709287200123.456 } },
    },
    {
      line: '[[1709287200.5, {}], {"message":"hello"}]',
      expect: { line: '{"message":"hello"}', context: { time: 1709287200500 } },
    },
  ],
};

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const COMPOSE = /^([A-Za-z0-9][\w.-]*?)(?:[-_](\d+))? +\| ?(.*)$/;
const COMPOSE_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ?/;
/** Words that open `LEVEL | message` lines, never a compose service column. */
const NOT_SERVICES = /^(?:trace|debug|info|notice|warn|warning|error|err|fatal|critical|crit)$/i;

/**
 * `docker compose logs` / `docker compose up` lines: `<service>-<n>  | <line>` (v1: `<project>_<service>_<n>`),
 * with the ANSI colours compose adds, and the time `--timestamps` puts first. The service
 * column (without the replica number) is the record's service.
 */
export const compose: LineEnvelope = {
  name: 'compose',
  title: 'docker compose (service-1  | line)',
  open(line) {
    if (line.indexOf(' |') === -1) return undefined;
    const plain = line.charCodeAt(0) === 27 || line.includes('\x1b[') ? line.replace(ANSI, '') : line;
    const m = COMPOSE.exec(plain);
    if (!m || NOT_SERVICES.test(m[1])) return undefined;
    let rest = m[3];
    const context: Record<string, unknown> = { service: m[1], container: m[2] ? `${m[1]}-${m[2]}` : m[1] };
    const t = COMPOSE_TIME.exec(rest);
    if (t) {
      context.time = t[1];
      rest = rest.slice(t[0].length);
    }
    return { line: rest, context };
  },
  samples: [
    {
      line: '\x1b[36mcheckout-1  |\x1b[0m {"level":"error","msg":"payment failed"}',
      expect: { line: '{"level":"error","msg":"payment failed"}', context: { service: 'checkout', container: 'checkout-1' } },
    },
    {
      line: 'web-2  | 2024-03-01T10:00:00.123456789Z GET /health 200',
      expect: { line: 'GET /health 200', context: { service: 'web', time: '2024-03-01T10:00:00.123456789Z' } },
    },
  ],
};
