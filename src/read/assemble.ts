import type { FileStats, JsonObject, Level, LogRecord } from '../types.js';
import { fastPathsEnabled } from '../fast-paths.js';
import { isBlank, isContinuation } from './continuation.js';
import { idNeedles, type Needle } from './needle.js';
import { prefixHints } from './prefix.js';

/** The normalized fields a reader fills in from a parsed object. */
export type NormalizedFields = Pick<
  LogRecord,
  'time' | 'level' | 'message' | 'ids' | 'durationMs' | 'operation' | 'service' | 'component' | 'eventType' | 'errorType' | 'errorMessage' | 'stack' | 'keys'
>;

/** Format knowledge the reader needs, supplied by `normalize/`. */
export interface Normalizer {
  fields(obj: JsonObject): NormalizedFields;
  time(value: unknown): number | undefined;
  level(value: unknown): Level;
}

/** Options shared by every reader. */
export interface AssembleOptions {
  normalizer: Normalizer;
  /** Called for each complete record (continuation attached) that passes `filter`. */
  onRecord: (record: LogRecord) => void;
  filter?: (record: LogRecord) => boolean;
  /** Ids of which a line must contain one to be decoded (`trace`); hex ids in any case (`Needle.forId`). */
  mustContain?: Buffer[];
  /** A test a decoded record line must pass to be parsed (e.g. a level marker for `errors`). */
  lineTest?: RegExp;
  /**
   * A test on a line's bytes, before any decoding: true when the line certainly holds a record
   * the command does not need (e.g. below `errors`' level); it is counted as skipped, unread.
   */
  lineSkip?: (buf: Buffer, start: number, end: number) => boolean;
  /** Shared counter giving every record its input-order position. */
  seq: { next: number };
}

const BOM = '\uFEFF';
/** How long a pretty-printed object may run before its lines are given up as unparsed. */
const MULTI_MAX_LINES = 500;
const MULTI_MAX_BYTES = 1 << 20;

/**
 * Turns the lines of one input into records: JSON objects, text-prefixed objects and Docker
 * json-file wrappers become records; lines that continue a record (tracebacks) are attached
 * to it; everything else is counted as unparsed. Every line lands in exactly one count.
 */
export class RecordAssembler {
  readonly stats: FileStats;
  private lineNo = 0;
  private open: LogRecord | undefined;
  /** Blank lines seen after a record: continuation if more continuation follows, else unparsed. */
  private blanks = 0;
  /** Lines of a pretty-printed object still waiting for its closing brace. */
  private multi: { lines: string[]; no: number; size: number } | undefined;
  private readonly hits: NeedleFinder;
  /** The wanted byte strings (`mustContain`) as searched, shared with whole-chunk skipping. */
  readonly needles: Needle[];

  private readonly opts: AssembleOptions;

  constructor(
    private readonly name: string,
    opts: AssembleOptions,
  ) {
    // Every reader (files, threads, follow) builds its records here: with fast paths off, no
    // line is skipped unread, so the line prefilters are dropped in this one place.
    this.opts = fastPathsEnabled() ? opts : { ...opts, mustContain: undefined, lineTest: undefined, lineSkip: undefined };
    this.needles = idNeedles(this.opts.mustContain ?? []);
    this.hits = new NeedleFinder(this.needles);
    this.stats = { source: name, lines: 0, records: 0, continuation_lines: 0, unparsed_lines: 0, skipped_lines: 0, bytes: 0, format: 'lines', unknown_levels: 0, expanded_records: 0, layouts: {} };
  }

  /** Starts numbering after `n` lines that were skipped unread (following a file from its tail). */
  skipLines(n: number): void {
    this.lineNo += n;
  }

  /** Counts `n` whole lines that were skipped unread (a chunk without any wanted bytes). */
  skipWhole(n: number, bytes: number): void {
    this.lineNo += n;
    this.stats.lines += n;
    this.stats.skipped_lines += n;
    this.stats.bytes += bytes;
  }

  /** Whether a record is held, waiting for possible continuation lines. */
  get holding(): boolean {
    return this.open !== undefined || this.multi !== undefined;
  }

  /** Handles one line given as a byte range (terminator excluded). */
  line(buf: Buffer, start: number, end: number): void {
    const no = ++this.lineNo;
    this.stats.lines++;
    this.stats.bytes += end - start + 1;
    if (end > start && buf[end - 1] === 13) end--;
    // No prefilter applies inside a pretty-printed object: its lines are the object's.
    if (!this.multi) {
      if (this.opts.mustContain && !this.hits.contains(buf, start, end) && this.maySkip(buf, start, end)) return this.skip();
      if (this.opts.lineSkip && this.opts.lineSkip(buf, start, end)) return this.skip();
    }
    if (isBlank(buf, start, end)) {
      if (this.multi) this.multi.lines.push('');
      else if (this.open) this.blanks++;
      else this.stats.unparsed_lines++;
      return;
    }
    let text = buf.toString('utf8', start, end);
    if (no === 1 && text.startsWith(BOM)) text = text.slice(1);
    if (this.opts.lineTest && !this.multi && !this.opts.lineTest.test(text) && this.maySkip(buf, start, end, text)) return this.skip();
    this.text(text, no);
  }

  /**
   * Whether a line a prefilter rejected can be skipped unread without changing any wanted
   * record: it must be a record line that cannot open a pretty-printed object (`{` first, `}`
   * last), nor continue one (`[`, or digits not followed by a letter, as a `404Error:` line
   * would), nor, while a record is open, be a Docker line carrying that record's next
   * traceback line. Anything else is read as usual.
   */
  private maySkip(buf: Buffer, start: number, end: number, text?: string): boolean {
    let i = start;
    while (i < end && (buf[i] === 32 || buf[i] === 9 || buf[i] === 0xef || buf[i] === 0xbb || buf[i] === 0xbf)) i++;
    const first = buf[i];
    if (first === 0x7b) {
      let j = end - 1;
      while (j > i && (buf[j] === 32 || buf[j] === 9)) j--;
      if (buf[j] !== 0x7d) return false;
    } else if (first >= 0x30 && first <= 0x39) {
      while (i < end && buf[i] >= 0x30 && buf[i] <= 0x39) i++;
      const b = buf[i] | 32;
      if ((b >= 0x61 && b <= 0x7a) || buf[i] === 0x5f || buf[i] === 0x24) return false;
    } else if (first !== 0x5b) return false;
    if (!this.open) return true;
    // Once per wanted record at most: the skip closes it.
    const t = text ?? buf.toString('utf8', start, end);
    const brace = t.indexOf('{');
    const obj = brace === -1 ? undefined : parseObject(t, brace);
    return !(obj && isDockerWrapper(obj));
  }

  /** Counts a line skipped unread; the record before it is complete. */
  private skip(): void {
    this.closeOpen();
    this.stats.skipped_lines++;
  }

  /** Handles one line already decoded (used by readers that produce strings). */
  text(text: string, no: number): void {
    if (this.multi && this.extendMulti(text)) return;
    const brace = text.indexOf('{');
    if (brace !== -1) {
      const parsed = parseObject(text, brace);
      if (parsed) {
        this.record(parsed, text, no, brace > 0 ? text.slice(0, brace) : undefined);
        return;
      }
      if (brace === 0 && text.trimEnd().charCodeAt(text.trimEnd().length - 1) !== 125) {
        // An object that opens but does not close on this line may be pretty-printed JSON.
        this.closeOpen();
        this.multi = { lines: [text], no, size: text.length };
        return;
      }
    }
    if (this.open && isContinuation(text, this.open.continuation.length > 0)) {
      this.continuation(text);
      return;
    }
    this.unparsed();
  }

  /** Handles one object element of a JSON array document that starts on line `no`. */
  element(obj: JsonObject, no: number): void {
    this.lineNo = no;
    this.record(obj, JSON.stringify(obj), no, undefined);
  }

  /** Emits the record still open (end of input, or a pause in a followed file). */
  flush(): void {
    this.dropMulti();
    this.closeOpen();
  }

  /**
   * Adds a line to a pending multi-line object; true when the line was taken. A line that
   * cannot be inside pretty-printed JSON, or too long a wait, gives up: the pending lines are unparsed.
   */
  private extendMulti(text: string): boolean {
    const m = this.multi!;
    const c = text.charCodeAt(0);
    // Inside pretty-printed JSON, lines are indented or start with a quote or a closing bracket.
    if (!(c === 32 || c === 9 || c === 34 || c === 125 || c === 93)) {
      this.dropMulti();
      return false;
    }
    m.lines.push(text);
    m.size += text.length;
    const end = text.trimEnd();
    if (end.charCodeAt(end.length - 1) === 125) {
      const joined = m.lines.join('\n');
      const obj = parseObject(joined, 0);
      if (obj) {
        this.multi = undefined;
        this.record(obj, joined, m.no, undefined);
        this.stats.continuation_lines += m.lines.length - 1;
        return true;
      }
    }
    if (m.lines.length >= MULTI_MAX_LINES || m.size >= MULTI_MAX_BYTES) this.dropMulti();
    return true;
  }

  private dropMulti(): void {
    if (!this.multi) return;
    this.stats.unparsed_lines += this.multi.lines.length;
    this.multi = undefined;
  }

  private record(obj: JsonObject, text: string, no: number, prefix: string | undefined): void {
    let raw = obj;
    let fallbackTime: unknown;
    if (isDockerWrapper(obj)) {
      const inner = (obj.log as string).replace(/\r?\n$/, '');
      fallbackTime = obj.time;
      const innerBrace = inner.indexOf('{');
      const innerObj = innerBrace !== -1 ? parseObject(inner, innerBrace) : undefined;
      if (innerObj) {
        raw = innerObj;
        if (innerBrace > 0) prefix = inner.slice(0, innerBrace);
      } else if (this.open && inner.trim() !== '' && isContinuation(inner, this.open.continuation.length > 0)) {
        this.continuation(inner);
        return;
      }
    }
    this.closeOpen();
    this.stats.records++;
    const f = this.opts.normalizer.fields(raw);
    if (f.time === undefined && fallbackTime !== undefined) f.time = this.opts.normalizer.time(fallbackTime);
    if (prefix !== undefined) {
      const hints = prefixHints(prefix);
      if (f.time === undefined && hints.time) f.time = this.opts.normalizer.time(hints.time);
      if (f.level === 'unknown' && hints.level) f.level = this.opts.normalizer.level(hints.level);
    }
    // Fields set one by one (not spread): this runs once per record of inputs of gigabytes.
    const r = f as LogRecord;
    r.source = `${this.name}:${no}`;
    r.file = this.name;
    r.line = no;
    r.seq = this.opts.seq.next++;
    r.raw = raw;
    r.text = text;
    r.continuation = [];
    this.open = r;
  }

  private continuation(text: string): void {
    const open = this.open!;
    for (; this.blanks > 0; this.blanks--) {
      open.continuation.push('');
      this.stats.continuation_lines++;
    }
    open.continuation.push(text);
    this.stats.continuation_lines++;
  }

  private unparsed(): void {
    this.closeOpen();
    this.stats.unparsed_lines++;
  }

  private closeOpen(): void {
    this.stats.unparsed_lines += this.blanks;
    this.blanks = 0;
    const r = this.open;
    if (!r) return;
    this.open = undefined;
    if (r.stack === undefined && r.continuation.length > 0) r.stack = r.continuation.join('\n');
    if (this.opts.filter && !this.opts.filter(r)) return;
    this.opts.onRecord(r);
  }

  /** Counts a line that was too long to hold (it is skipped). */
  overlong(): void {
    this.lineNo++;
    this.stats.lines++;
    this.unparsed();
  }
}

/** Parses the JSON object starting at `brace`; undefined when the text is not one object. */
function parseObject(text: string, brace: number): JsonObject | undefined {
  const body = brace === 0 ? text : text.slice(brace);
  const last = body.charCodeAt(body.length - 1);
  // Cheap rejection: an object line ends with `}` (possibly followed by spaces).
  if (last !== 125 && body.trimEnd().charCodeAt(body.trimEnd().length - 1) !== 125) return undefined;
  try {
    const v: unknown = JSON.parse(body);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

function isDockerWrapper(obj: JsonObject): boolean {
  return typeof obj.log === 'string' && (typeof obj.stream === 'string' || typeof obj.time === 'string') && Object.keys(obj).length <= 4;
}

/**
 * Finds whether a line contains any needle. Each needle's next occurrence in the current
 * buffer is remembered, so a chunk is searched once per needle rather than once per line.
 */
class NeedleFinder {
  private buf: Buffer | undefined;
  private next: number[];
  constructor(private readonly needles: Needle[]) {
    this.next = needles.map(() => -2);
  }

  contains(buf: Buffer, start: number, end: number): boolean {
    if (buf !== this.buf) {
      this.buf = buf;
      this.next.fill(-2);
    }
    for (let i = 0; i < this.needles.length; i++) {
      let at = this.next[i];
      if (at === -2 || (at !== -1 && at < start)) {
        at = this.needles[i].indexIn(buf, start);
        this.next[i] = at;
      }
      if (at !== -1 && at + this.needles[i].bytes.length <= end) return true;
    }
    return false;
  }
}
