import { ISO, appTime } from '../../lang-time.js';
import type { Layout } from '../../types.js';
import { GO_CALLER } from './java.js';
import type { JsonObject } from '../../../types.js';

/**
 * Python logging layouts (the `logging` module's default and common `format=` strings, vdsm,
 * gunicorn, celery, loguru). Tracebacks and multi-line messages attach as continuation (`any`:
 * every line that opens no record belongs to the record before it).
 */

const PY_LEVEL = '(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|NOTSET)';

/** `%(levelname)s:%(name)s:%(message)s` (logging.basicConfig's default): no time. */
export const pythonDefault: Layout = {
  name: 'python-default',
  title: 'Python logging default (LEVEL:name:message, no time)',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 65 || c > 90) return undefined;
    const m = /^(DEBUG|INFO|WARNING|ERROR|CRITICAL):([\w.\-<>]*):(.*)$/s.exec(line);
    return m ? { level: m[1]!, logger: m[2]!, msg: m[3]! } : undefined;
  },
  samples: [{ line: 'WARNING:urllib3.connectionpool:Retrying (Retry(total=2)) after connection broken', fields: { level: 'WARNING', logger: 'urllib3.connectionpool', msg: 'Retrying (Retry(total=2)) after connection broken', time: null } }],
};

const DASH = new RegExp(String.raw`^(${ISO}) - (\S+) - ${PY_LEVEL} - (.*)$`, 's');

/** `%(asctime)s - %(name)s - %(levelname)s - %(message)s` (the logging cookbook's format). */
export const pythonDash: Layout = {
  name: 'python-dash',
  title: 'Python logging "asctime - name - levelname - message"',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57) return undefined;
    const m = DASH.exec(line);
    return m ? { time: appTime(m[1]!)!, logger: m[2]!, level: m[3]!, msg: m[4]! } : undefined;
  },
  samples: [{ line: '2024-01-15 10:30:45,123 - payments.worker - ERROR - charge failed for order 42', fields: { time: '2024-01-15T10:30:45.123', logger: 'payments.worker', level: 'ERROR', msg: 'charge failed for order 42' } }],
};

const VDSM = new RegExp(String.raw`^([\w.\-]+)::${PY_LEVEL}::(${ISO})::([\w.\-]+)::(\d+)::([\w.\-]+)::(?:\((\w+)\) )?(.*)$`, 's');

/** vdsm/oVirt: `Thread::LEVEL::time::module::lineno::logger::(func) msg`. */
export const vdsm: Layout = {
  name: 'python-vdsm',
  title: 'Python vdsm "::"-separated layout',
  continuation: 'any',
  parse(line) {
    if (line.indexOf('::') < 0) return undefined;
    const m = VDSM.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { thread: m[1]!, level: m[2]!, time: appTime(m[3]!)!, module: m[4]!, line: Number(m[5]), logger: m[6]! };
    if (m[7]) out.function = m[7];
    out.msg = m[8]!;
    return out;
  },
  samples: [{ line: 'MainThread::ERROR::2011-12-05 07:04:56,300::vdsm::74::vds::(run) Traceback (most recent call last):', fields: { thread: 'MainThread', level: 'ERROR', time: '2011-12-05T07:04:56.300', logger: 'vds', function: 'run', msg: 'Traceback (most recent call last):' } }],
};

const LOGURU = new RegExp(String.raw`^(${ISO}) \| (TRACE|DEBUG|INFO|SUCCESS|WARNING|ERROR|CRITICAL|[A-Z]+) *\| ([^:\s]+):([^:\s]+):(\d+) - (.*)$`, 's');

/** loguru's default: `2024-01-15 10:30:45.123 | INFO     | module:func:12 - msg` (`SUCCESS` is read as info). */
export const loguru: Layout = {
  name: 'loguru',
  title: 'Python loguru default',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    if (c < 48 || c > 57) return undefined;
    const m = LOGURU.exec(line);
    if (!m) return undefined;
    return { time: appTime(m[1]!)!, level: m[2] === 'SUCCESS' ? 'info' : m[2]!, logger: m[3]!, function: m[4]!, line: Number(m[5]), msg: m[6]! };
  },
  samples: [
    { line: '2024-01-15 10:30:45.123 | WARNING  | app.sync:pull:88 - upstream slow, 2.3 s', fields: { time: '2024-01-15T10:30:45.123', level: 'WARNING', logger: 'app.sync', function: 'pull', line: 88, msg: 'upstream slow, 2.3 s' } },
    { line: '2024-01-15 10:30:46.001 | SUCCESS  | __main__:main:12 - done', fields: { level: 'info' } },
  ],
};

const GUNICORN = new RegExp(String.raw`^\[(${ISO})\] \[(\d+)\] \[(DEBUG|INFO|WARNING|ERROR|CRITICAL)\] (.*)$`, 's');

/** gunicorn's error log: `[2024-01-15 10:30:45 +0000] [12345] [INFO] Booting worker with pid: 12346`. */
export const gunicorn: Layout = {
  name: 'gunicorn',
  title: 'gunicorn error log',
  continuation: 'any',
  parse(line) {
    if (line.charCodeAt(0) !== 91) return undefined;
    const m = GUNICORN.exec(line);
    return m ? { time: appTime(m[1]!)!, pid: Number(m[2]), level: m[3]!, msg: m[4]!, service: 'gunicorn' } : undefined;
  },
  samples: [{ line: '[2024-01-15 10:30:45 +0000] [12345] [CRITICAL] WORKER TIMEOUT (pid:12350)', fields: { time: '2024-01-15T10:30:45+00:00', pid: 12345, level: 'CRITICAL', msg: 'WORKER TIMEOUT (pid:12350)' } }],
};

const CELERY = new RegExp(String.raw`^\[(${ISO}): (DEBUG|INFO|WARNING|ERROR|CRITICAL)/([\w.\-]+)\] (.*)$`, 's');

/** celery: `[2024-01-15 10:30:45,123: INFO/MainProcess] msg`, task lines `Task tasks.add[<id>] succeeded in 0.01s`. */
export const celery: Layout = {
  name: 'celery',
  title: 'Celery worker log',
  continuation: 'any',
  parse(line) {
    if (line.charCodeAt(0) !== 91) return undefined;
    const m = CELERY.exec(line);
    if (!m) return undefined;
    const out: JsonObject = { time: appTime(m[1]!)!, level: m[2]!, thread: m[3]!, msg: m[4]! };
    const t = /\bTask ([\w.]+)\[([0-9a-f-]{8,})\]/.exec(m[4]!);
    if (t) {
      out.task = t[1]!;
      out.task_id = t[2]!;
    }
    const d = / succeeded in (\d+(?:\.\d+)?)s\b/.exec(m[4]!);
    if (d) out.duration_ms = Math.round(Number(d[1]) * 1e6) / 1e3;
    return out;
  },
  samples: [
    {
      line: '[2024-01-15 10:30:45,123: INFO/ForkPoolWorker-2] Task tasks.resize[8c6b2f1e-2a7c-4c1b-9a55-0d6f3e1b2c4d] succeeded in 0.25s: None',
      fields: { time: '2024-01-15T10:30:45.123', level: 'INFO', thread: 'ForkPoolWorker-2', task: 'tasks.resize', task_id: '8c6b2f1e-2a7c-4c1b-9a55-0d6f3e1b2c4d', duration_ms: 250 },
    },
  ],
};

const PY_TIME_LEVEL = new RegExp(String.raw`^(${ISO})\s+${PY_LEVEL}\s+(.*)$`, 's');
const PY_BRACKET = new RegExp(String.raw`^\[(${ISO})\]\s+\[?${PY_LEVEL}\]?\s+(.*)$`, 's');

/**
 * Python layouts with the time first: `%(asctime)s %(levelname)s %(name)s: %(message)s`,
 * `%(asctime)s %(levelname)s %(message)s`, `[%(asctime)s] %(levelname)s [%(name)s] %(message)s`
 * (also `[name:lineno]`). Lines with log4j's level words are read by the log4j layout first;
 * within a file the layout of its previous line is tried first, so a Python file stays here.
 */
export const python: Layout = {
  name: 'python',
  title: 'Python logging with asctime',
  continuation: 'any',
  parse(line) {
    const c = line.charCodeAt(0);
    let m: RegExpExecArray | null = null;
    if (c === 91) m = PY_BRACKET.exec(line);
    else if (c >= 48 && c <= 57) m = PY_TIME_LEVEL.exec(line);
    if (!m || GO_CALLER.test(m[3]!) || m[3]!.charCodeAt(0) === 123) return undefined;
    const out: JsonObject = { time: appTime(m[1]!)!, level: m[2]! };
    const rest = m[3]!;
    let r = /^\[([\w.\-<>]+)(?::(\d+))?\]\s+(.*)$/s.exec(rest);
    if (r) {
      out.logger = r[1]!;
      if (r[2]) out.line = Number(r[2]);
      out.msg = r[3]!;
      return out;
    }
    r = /^([\w.\-<>]+):\s(.*)$/s.exec(rest);
    // A logger name has a separator (`app.cache`, `my_module`) or is `root`/`__main__`; `error: x` is a message.
    if (r && (/[.\-_]/.test(r[1]!) || r[1] === 'root')) {
      out.logger = r[1]!;
      out.msg = r[2]!;
      return out;
    }
    out.msg = rest;
    return out;
  },
  samples: [
    { line: '2024-01-15 10:30:45,123 WARNING app.cache: eviction storm, 1200 keys', fields: { time: '2024-01-15T10:30:45.123', level: 'WARNING', logger: 'app.cache', msg: 'eviction storm, 1200 keys' } },
    { line: '2024-01-15 10:30:45,385 CRITICAL database unreachable', fields: { level: 'CRITICAL', msg: 'database unreachable', logger: null } },
    { line: '[2024-01-15 10:30:45,061] INFO [connect.client:69] Full request text:', fields: { level: 'INFO', logger: 'connect.client', line: 69, msg: 'Full request text:' } },
  ],
};

/** Python layouts whose shape is their own (tried before the Java ones). */
export const PYTHON_SPECIFIC: Layout[] = [vdsm, loguru, gunicorn, celery, pythonDash, pythonDefault];
/** Python layouts sharing the `<time> <LEVEL>` shape with log4j (tried after the Java ones). */
export const PYTHON_GENERAL: Layout[] = [python];
