import type { JsonObject } from '../types.js';

/**
 * Format knowledge as data. A text layout turns one line into a plain object with the
 * canonical keys below; the record then takes the same normalizer (alias table) as a JSON
 * line, so text records feed every analysis exactly as JSON records do, and `--where`/`--by`
 * reach every field a layout extracts.
 *
 * Canonical keys a layout may set (all optional; any other key is kept as a record field):
 * - `time`: a string the time parser reads (ISO 8601 with `T` or space, `,`/`.` fractions,
 *   optional zone; a zone-less time is read in `--tz`), or epoch milliseconds as a number.
 *   Layouts convert their own time forms (`Jan 15 10:30:45`, `15/Jan/2024:10:30:45 +0000`,
 *   glog's `0115 10:30:45.123456`) with `formats/text-time.ts`.
 * - `level`: the level as written (`ERROR`, `E`, `warning`, `<3>`→ give `err`); a layout
 *   whose records carry no level word derives one (an access log: 5xx → `error`, 4xx → `warn`,
 *   else `info`) and says so in its doc comment.
 * - `msg`: the message. `logger` (→ component), `service` (a program or app name: syslog's
 *   `sshd`), `host`, `pid`, `thread`.
 * - Access logs: `method`, `path`, `status` (number), `duration_ms` (number, when the line
 *   carries a request time), `client`, `bytes`, `user_agent`, `referer`.
 * - Ids found in the text under their own names (`trace_id`, `request_id`, …) are read as ids.
 */
export interface Layout {
  /** Short stable name: shown by `stats`, accepted by `--format`. Lower case, `-` separated. */
  name: string;
  /** What it reads, for `--help` and the README (`Python logging`, `syslog RFC 3164`). */
  title: string;
  /**
   * Parses one line that opens a record; undefined when the line is not this layout. Must be
   * cheap to reject (anchor regexes at `^`, test a first character before a long regex).
   */
  parse(line: string, ctx: LayoutContext): JsonObject | undefined;
  /**
   * How lines that do not open a record attach to the record before them: `any` (every such
   * line is a continuation: multi-line messages, Java and Python stack traces, SQL bodies) or
   * `default` (only indented lines, stack frames and exception lines, as after a JSON record).
   */
  continuation: 'any' | 'default';
  /**
   * Whether a line is one of this layout's metadata lines (W3C `#Fields:`, Zeek `#separator`):
   * never a record, read only for the layout's own state. Such a line counts as a continuation
   * line (of the record before it, or of none at the start of a file), not as unparsed.
   */
  directive?(line: string, ctx: LayoutContext): boolean;
  /**
   * Whether the layout reads earlier lines of its input to read a line (a header's column
   * list, a time written on a line of its own), kept in `LayoutContext.memory`. Such inputs are
   * never split across worker threads: a range without its header would read differently.
   */
  stateful?: boolean;
  /** Real-shaped lines this layout must read, with fields the result must contain (tested at load). */
  samples: LayoutSample[];
}

/** A sample line and a subset of the fields its parse must produce (`null`: must be absent). */
export interface LayoutSample {
  line: string;
  fields: Record<string, unknown>;
}

/** What a layout may need besides the line: the year to give times written without one. */
export interface LayoutContext {
  /** The year for year-less times (syslog, glog); a time more than a day ahead of now goes to the year before. */
  year: number;
  /** Now, in epoch milliseconds (for the rule above). */
  now: number;
  /**
   * What layouts remember from earlier lines of this input, each under its own name (a W3C
   * `#Fields:` list, a slow-log `# Time:`): one object per input, so that files read one after
   * another, or side by side when followed, never see each other's headers.
   */
  memory: Record<string, unknown>;
}

/**
 * One application line taken out of an envelope, with the envelope's own fields. The inner
 * line is parsed again (JSON, or a text layout); `object` is given instead when the envelope
 * holds the record already structured (OTLP, Google Cloud `jsonPayload`, Elasticsearch `_source`).
 */
export interface Unwrapped {
  line?: string;
  object?: JsonObject;
  /**
   * The wrapper's fields, kept on the record: the inner record's fields win over them, and the
   * normalized view falls back to them field by field (time, level, ids, service…). Put a
   * service derived from the workload (pod name without its hash suffix, else container name,
   * else an `app` label) under `service` when the envelope can tell one.
   */
  context: JsonObject;
  /** The line continues in the next entry (CRI `P`, a Docker line without its newline): joined before parsing. */
  partial?: boolean;
  /**
   * Where the record was first read (`<path>:<line>`), when the envelope kept it (an emergency
   * bundle): the record's source instead of the envelope's line; the object is read as the record.
   */
  source?: string;
  /** With `source`: the lines that continued the record where it was first read (a traceback). */
  continuation?: string[];
}

/** An envelope recognised on a parsed JSON object (Docker json-file, Fluent Bit, journald, OTLP, …). */
export interface Envelope {
  name: string;
  title: string;
  /** Whether the object is this envelope; by shape, never by key count. Cheap: called on every JSON record. */
  match(obj: JsonObject): boolean;
  /** The records inside: one for most envelopes, many for an OTLP batch or a search response. */
  open(obj: JsonObject): Unwrapped[];
  samples: EnvelopeSample[];
}

/** An envelope recognised on a raw text line (CRI, Fluent Bit's `[time, {record}]`). */
export interface LineEnvelope {
  name: string;
  title: string;
  /** Undefined when the line is not this envelope. */
  open(line: string): Unwrapped | undefined;
  samples: { line: string; expect: Unwrapped }[];
}

/** An envelope sample: the wrapped input (a JSON text) and the unwrapped entries it must give (subset match). */
export interface EnvelopeSample {
  input: string;
  expect: Partial<Unwrapped>[];
}
