import type { FileStats, JsonObject, Level, LogRecord } from '../types.js';
import { fastPathsEnabled } from '../fast-paths.js';
import { isBlank, isContinuation } from './continuation.js';
import { idNeedles, type Needle } from './needle.js';
import { fillFrom } from './fields.js';
import { prefixHints } from './prefix.js';
import { sourceLine } from '../formats/envelopes/bundle.js';
import { ENVELOPE_KEYS, ENVELOPES, LINE_ENVELOPES } from '../formats/envelopes/index.js';
import type { Envelope, Unwrapped } from '../formats/types.js';
import { LayoutChooser, type LayoutHit } from './layout-chooser.js';
import { levelWord, streamLevel } from '../formats/level-words.js';
import { isJsonObject } from '../normalize/probe.js';

/** The normalized fields a reader fills in from a parsed object. */
export type NormalizedFields = Pick<
  LogRecord,
  'time' | 'level' | 'message' | 'ids' | 'durationMs' | 'operation' | 'service' | 'component' | 'eventType' | 'errorType' | 'errorMessage' | 'stack' | 'keys'
>;

/** Format knowledge the reader needs, supplied by `normalize/`. */
export interface Normalizer {
  /** The text layout `--format` forces (`json`: none); undefined to detect per line. */
  format?: string;
  /** `text`: the record's line as read (for fields extracted from it); absent for an envelope's context. */
  fields(obj: JsonObject, text?: string): NormalizedFields;
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
  /** The text layout to try first (a range of a text file read by a worker thread: the file's). */
  layout?: string;
  /**
   * The input is read from a cut inside a file (a worker's range) with no layout given: which
   * text layout the lines before the cut chose is unknown, so a text line that layouts read
   * differently depending on it ends the read with an error (the caller reads on one thread).
   */
  cut?: boolean;
}

const BOM = '\uFEFF';
/** How long a pretty-printed object may run before its lines are given up as unparsed. */
const MULTI_MAX_BYTES = 16 << 20;
/**
 * How deep a record's JSON may nest (objects and arrays, the record itself is 1). Deeper ones
 * are counted as unparsed with a warning: the code that walks a record (normalizing, hashing,
 * redacting, rendering) recurses, and crashed past about 1,400 levels; 256 leaves a wide margin
 * and no real log comes near it.
 */
export const MAX_NESTING = 256;
/** What parseObject answers for a line nested deeper than MAX_NESTING. */
const TOO_DEEP = Symbol('too deep');

/** How deep envelopes may nest (a CRI line inside a Fluent Bit record inside `[time, {…}]`). */
const MAX_DEPTH = 3;

/** The envelope a line came out of: its name, its fields, and whether it held this line alone. */
interface Env {
  name: string;
  context: JsonObject;
  alone: boolean;
}

/** A line an envelope marked partial, waiting for the rest of its text. */
interface Partial {
  line: string;
  context: JsonObject;
  name: string;
  no: number;
  text: string;
}

/**
 * Turns the lines of one input into records: JSON objects, text-prefixed objects and Docker
 * json-file wrappers become records; lines that continue a record (tracebacks) are attached
 * to it; everything else is counted as unparsed. Every line lands in exactly one count.
 */
export class RecordAssembler {
  readonly stats: FileStats;
  private lineNo = 0;
  private open: LogRecord | undefined;
  /** The envelope the open record came out of (undefined: none). */
  private openEnv: string | undefined;
  /** Blank lines seen after a record: continuation if more continuation follows, else unparsed. */
  private blanks = 0;
  /** Lines of a pretty-printed object still waiting for its closing brace. */
  private multi: { lines: string[]; no: number; size: number } | undefined;
  private readonly hits: NeedleFinder;
  private readonly layouts: LayoutChooser | undefined;
  /** Layout (continuation rule) of the record held open. */
  private openRule: 'any' | 'default' = 'default';
  private partial: Partial | undefined;
  /**
   * Whether a text layout or a line envelope has read a record of this input: then whole read
   * chunks are not skipped, since a record opened by a text line in a skipped chunk could
   * continue into the next one (only JSON objects are one line each).
   */
  sawText = false;
  /** The envelope of the line `maySkip` last judged skippable (undefined: none). */
  private skippedEnv: string | undefined;
  /** The record a skipped line stands for while lines may continue it: never emitted. */
  private readonly unread = { continuation: [] as string[] } as unknown as LogRecord;
  /** Records made from the physical line (or document) being handled. */
  private made = 0;
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
    const format = opts.normalizer.format;
    this.layouts = format === 'json' ? undefined : new LayoutChooser(format, Date.now(), opts.layout, opts.cut === true && opts.layout === undefined);
    this.stats = { source: name, lines: 0, records: 0, continuation_lines: 0, unparsed_lines: 0, skipped_lines: 0, bytes: 0, format: 'lines', unknown_levels: 0, expanded_records: 0, layouts: {} };
  }

  /**
   * What a line read next could depend on: the text layout tried first, and whether a
   * pretty-printed object or a split line is pending. A range read from a cut after this point
   * reads as this reader would only when it started from the same state.
   */
  get cutState(): { layout?: string; pending: boolean } {
    return { layout: this.layouts?.last?.name, pending: this.multi !== undefined || this.partial !== undefined };
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
    return (this.open !== undefined && this.open !== this.unread) || this.multi !== undefined || this.partial !== undefined;
  }

  /** Handles one line given as a byte range (terminator excluded). */
  line(buf: Buffer, start: number, end: number): void {
    const no = ++this.lineNo;
    this.stats.lines++;
    this.stats.bytes += end - start + 1;
    // The `\r`s of a `\r\n` end (`\r\r\n` from a file converted twice) are not the line's.
    while (end > start && buf[end - 1] === 13) end--;
    // No prefilter applies inside a pretty-printed object: its lines are the object's.
    if (!this.multi) {
      if (this.opts.mustContain && !this.hits.contains(buf, start, end) && this.maySkip(buf, start, end)) return this.skip();
      // While a split line waits for its rest, every line is read: it may be that rest.
      if (this.opts.lineSkip && !this.partial && this.opts.lineSkip(buf, start, end)) {
        this.skippedEnv = undefined;
        return this.skip();
      }
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
   * record. Only a JSON object line (`{` first, `}` last) can: it is one record. Text lines may
   * continue a record or open one whose level only its layout can tell (an access log's
   * status), so they are always read. An envelope line is read while a record is open (it may
   * carry that record's next traceback line) or when it may be the first part of a split line.
   */
  private maySkip(buf: Buffer, start: number, end: number, text?: string): boolean {
    if (this.partial) return false;
    let i = start;
    if (buf[i] === 0xef && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf) i += 3;
    while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
    if (buf[i] !== 0x7b) return false;
    // A line that is not one JSON object may be unparsed, read by a layout or continue a record.
    if (!isJsonObject(buf, i, end)) return false;
    let j = end - 1;
    while (j > i && (buf[j] === 32 || buf[j] === 9)) j--;
    if (buf[j] !== 0x7d) return false;
    // A compressed CloudWatch subscription event hides its records' bytes: always read.
    if (buf[i + 2] === 0x61 && buf[i + 1] === 0x22 && buf.subarray(i + 1, i + 10).equals(AWSLOGS_KEY)) return false;
    const partial = this.mayBePartial(buf, i, end);
    // The id prefilter: a line without the id's bytes holds no record that has it. The level
    // markers: a line with no envelope key (escapes pass the markers) is one JSON record.
    // An envelope's text line would pass through the layout chooser, whose choice for later
    // lines depends on it: where layouts are read, the id prefilter looks for envelopes too.
    this.skippedEnv = undefined;
    const t = text ?? (this.layouts ? buf.toString('utf8', start, end) : undefined);
    if (!this.open && !partial && (t === undefined || !ENVELOPE_KEY.test(t))) return true;
    const line = t ?? buf.toString('utf8', start, end);
    const parsed = parseObject(line, line.indexOf('{'));
    const obj = parsed === TOO_DEEP ? undefined : parsed;
    const env = obj && envelopeOf(obj);
    if (!env) return true;
    if (this.open || partial) return false;
    // The level marker test reads JSON: an envelope holding a text line (an access log's status,
    // klog's `E0115`) may hold a level the markers cannot see, so that line is read.
    this.skippedEnv = env.name;
    return opensToObjects(obj, env, 0);
  }

  /**
   * Whether a JSON line may be the first part of a line its writer split (Docker's json-file
   * driver writes `{"log":` first and ends every complete `log` value with `\n`): such a line
   * must be read, its record continues in the next. Other lines are judged by their first bytes.
   */
  private mayBePartial(buf: Buffer, start: number, end: number): boolean {
    if (end - start < LOG_FIRST.length || buf[start + 2] !== 0x6c || buf.compare(LOG_FIRST, 0, LOG_FIRST.length, start, start + LOG_FIRST.length) !== 0) return false;
    return buf.subarray(start, end).indexOf(NEWLINE_END) === -1;
  }

  /**
   * Counts a line skipped unread; the record before it is complete. The skipped record (a JSON
   * object, or an envelope's last) stays open unread, so that the lines continuing it (a
   * traceback) are its continuation, as when it is read: never records of their own, nor lines
   * a layout reads (which would change the layout tried first for later lines).
   */
  private skip(): void {
    this.closeOpen();
    this.stats.skipped_lines++;
    this.unread.continuation.length = 0;
    this.open = this.unread;
    this.openEnv = this.skippedEnv;
    this.openRule = 'default';
  }

  /** Handles one line already decoded (used by readers that produce strings). */
  text(text: string, no: number): void {
    if (this.multi && this.extendMulti(text)) return;
    this.made = 0;
    this.piece(text, text, no, undefined, 0);
    this.countExpanded();
  }

  /**
   * Reads one piece of text: a physical line, or a line taken out of an envelope (then `env`
   * holds the envelope's name and fields, and `alone` whether it opened to this one line).
   */
  private piece(line: string, text: string, no: number, env: Env | undefined, depth: number): void {
    if (depth < MAX_DEPTH && line.charCodeAt(0) !== 123) {
      for (const le of LINE_ENVELOPES) {
        const u = le.open(line);
        if (u) {
          this.sawText = true;
          return this.entries(env ? `${env.name}/${le.name}` : le.name, [u], text, no, depth + 1, env?.context);
        }
      }
    }
    const brace = line.indexOf('{');
    if (brace !== -1) {
      let parsed = parseObject(line, brace);
      if (parsed === TOO_DEEP) {
        // Inside an envelope the line is a record's message (text, nothing to walk); alone it is unparsed.
        if (!env) return this.tooDeep(no);
        parsed = undefined;
      }
      const prefix = brace === 0 ? '' : line.slice(0, brace);
      if (parsed && prefix.trim() === '') return this.object(parsed, text, no, undefined, env, depth);
      if (parsed) {
        // A specific layout reads a line before the JSON at its end (zap's console encoder,
        // Monolog's context); otherwise a text prefix before an object gives it hints.
        // When the layout's message is the object itself, the object is the record.
        const hit = this.layouts?.parse(line, true);
        if (hit && !isWholeMessage(hit.obj.msg, line, brace)) return this.emitLayout(hit, text, no, env);
        return this.emit(parsed, text, no, 'json', prefix, env);
      }
      if (brace === 0 && !env && line.trimEnd().charCodeAt(line.trimEnd().length - 1) !== 125) {
        // An object that opens but does not close on this line may be pretty-printed JSON.
        this.closeOpen();
        this.multi = { lines: [line], no, size: line.length };
        return;
      }
    }
    // A line may continue the record before it (a traceback); inside a record whose layout
    // takes every following line (Java, Python, SQL bodies) it does unless a specific layout
    // opens a new record there. Lines of an envelope that opened to many records never do.
    // A line an envelope held continues only a record of the same envelope (one stream).
    const canContinue = this.open !== undefined && (!env || (env.alone && env.name === this.openEnv)) && line.trim() !== '';
    const takesAll = canContinue && this.openRule === 'any';
    if (canContinue && isContinuation(line, this.open!.continuation.length > 0)) return this.continuation(line);
    // A layout's metadata line (W3C `#Fields:`) is never a record nor unparsed.
    if (line.charCodeAt(0) === 35 && this.layouts?.directive(line)) return this.open ? this.continuation(line) : void this.stats.continuation_lines++;
    const hit = this.layouts?.parse(line, takesAll);
    if (hit) return this.emitLayout(hit, text, no, env);
    if (takesAll) return this.continuation(line);
    // Inside an envelope a line is a record even when no layout reads it: it is the message.
    if (env) return this.emit(line.trim() === '' ? {} : { message: line }, text, no, 'text', undefined, env);
    this.unparsed();
  }

  private emitLayout(hit: LayoutHit, text: string, no: number, env: Env | undefined): void {
    this.sawText = true;
    this.emit(hit.obj, text, no, hit.layout.name, undefined, env);
    this.openRule = hit.layout.continuation;
  }

  /** A parsed JSON object: an envelope's entries, or one record. */
  private object(obj: JsonObject, text: string, no: number, prefix: string | undefined, env: Env | undefined, depth: number): void {
    const wrapper = depth < MAX_DEPTH ? envelopeOf(obj) : undefined;
    if (wrapper) return this.entries(env ? `${env.name}/${wrapper.name}` : wrapper.name, wrapper.open(obj), text, no, depth + 1, env?.context);
    this.emit(obj, text, no, 'json', prefix, env);
  }

  /** Reads the entries an envelope opened; partial lines wait for the rest of their text. */
  private entries(name: string, list: Unwrapped[], text: string, no: number, depth: number, outer: JsonObject | undefined): void {
    const expanded = list.length > 1;
    for (const u of list) {
      if (u.object && u.source !== undefined) {
        this.bundled(u.object, u.source, name, u.continuation);
        continue;
      }
      const context = outer ? { ...outer, ...u.context } : u.context;
      if (u.object) {
        // A structured entry is the record (an envelope that may hold another gives a line).
        this.emit(u.object, expanded ? JSON.stringify(u.object) : text, no, 'json', undefined, { context, name, alone: !expanded });
        continue;
      }
      let line = (u.line ?? '').replace(/\r?\n$/, '');
      let at = no;
      let shown = text;
      // Only the same envelope's next entry continues a split line; anything else ends it.
      if (this.partial && this.partial.name !== name) this.flushPartial();
      const p = this.partial;
      if (p) {
        // The rest of a split line: joined, and read as one line of the record's first part.
        this.partial = undefined;
        line = p.line + line;
        at = p.no;
        shown = p.text;
        this.stats.continuation_lines++;
      }
      if (u.partial) {
        this.partial = { line, context: p?.context ?? context, name, no: at, text: shown };
        continue;
      }
      this.piece(line, expanded ? line : shown, at, { context: p?.context ?? context, name, alone: !expanded }, depth);
    }
    if (list.length === 0) this.unparsed();
  }

  /** Records beyond the first of one physical line (or document) are counted as expanded. */
  private countExpanded(): void {
    if (this.made > 1) this.stats.expanded_records += this.made - 1;
  }

  /** Handles one object element of a JSON array document that starts on line `no`. */
  element(obj: JsonObject, no: number): void {
    this.lineNo = no;
    if (valueTooDeep(obj, MAX_NESTING)) {
      this.noteTooDeep(no);
      this.stats.unparsed_lines++;
      return;
    }
    this.made = 0;
    this.object(obj, JSON.stringify(obj), no, undefined, undefined, 0);
    this.countExpanded();
  }

  /**
   * One record an emergency bundle kept (`formats/envelopes/bundle.ts`): read as the object its
   * original line gave (it is the record, no envelope fields around it), under its original
   * `<path>:<line>` source, with the lines that continued it there; `layout` names the bundle in
   * the layout counts.
   */
  bundled(obj: JsonObject, source: string, layout: string, continuation?: string[]): void {
    const no = sourceLine(source);
    if (valueTooDeep(obj, MAX_NESTING)) {
      this.stats.too_deep = (this.stats.too_deep ?? 0) + 1;
      this.stats.too_deep_at ??= source;
      return;
    }
    this.emit(obj, JSON.stringify(obj), no, layout, undefined, undefined, source);
    // Its traceback, as it was attached where it was read (lines of that file, not of this input).
    if (continuation) this.open!.continuation = continuation.slice();
  }

  /** Emits the record still open (end of input, or a pause in a followed file). */
  flush(): void {
    this.dropMulti();
    this.flushPartial();
    this.closeOpen();
  }

  /** A split line whose rest never came is read as it is. */
  private flushPartial(): void {
    const p = this.partial;
    if (!p) return;
    this.partial = undefined;
    this.made = 0;
    this.piece(p.line, p.text, p.no, { context: p.context, name: p.name, alone: true }, 1);
    this.made = 0;
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
    if (end.charCodeAt(end.length - 1) === 125 && (c === 125 || m.size < 65536 || end === '}')) {
      const joined = m.lines.join('\n');
      const obj = parseObject(joined, 0);
      if (obj === TOO_DEEP) {
        this.noteTooDeep(m.no);
        this.dropMulti();
        return true;
      }
      if (obj) {
        this.multi = undefined;
        this.made = 0;
        const cont = this.stats.continuation_lines;
        this.object(obj, joined, m.no, undefined, undefined, 0);
        this.stats.continuation_lines = cont + m.lines.length - 1;
        this.countExpanded();
        return true;
      }
    }
    if (m.size >= MULTI_MAX_BYTES) this.dropMulti();
    return true;
  }

  private dropMulti(): void {
    if (!this.multi) return;
    this.stats.unparsed_lines += this.multi.lines.length;
    this.multi = undefined;
  }

  /**
   * Starts a record from an object: the normalized view of its own fields, falling back field
   * by field to its envelope's (time, level, ids, service…), and to a text prefix's time and level.
   */
  private emit(obj: JsonObject, text: string, no: number, layout: string, prefix: string | undefined, env: Env | undefined, source?: string): void {
    this.closeOpen();
    this.made++;
    this.stats.records++;
    const name = env ? `${env.name}/${layout}` : layout;
    this.openEnv = env?.name;
    this.stats.layouts[name] = (this.stats.layouts[name] ?? 0) + 1;
    this.openRule = 'default';
    const f = this.opts.normalizer.fields(obj, text);
    let raw = obj;
    if (env) {
      fillFrom(f, this.opts.normalizer.fields(env.context));
      raw = { ...env.context, ...obj };
      f.keys = undefined;
      // No level of its own nor from the wrapper: a level word in a line no layout read, else
      // stdout → info (formats/level-words.ts).
      if (f.level === 'unknown') {
        const word = layout === 'text' && typeof obj.message === 'string' ? levelWord(obj.message) : undefined;
        const l = word ?? streamLevel(env.context.stream);
        if (l) f.level = this.opts.normalizer.level(l);
      }
    }
    if (prefix !== undefined) {
      const hints = prefixHints(prefix);
      if (f.time === undefined && hints.time) f.time = this.opts.normalizer.time(hints.time);
      if (f.level === 'unknown' && hints.level) f.level = this.opts.normalizer.level(hints.level);
    }
    // Fields set one by one (not spread): this runs once per record of inputs of gigabytes.
    const r = f as LogRecord;
    r.source = source ?? `${this.name}:${no}`;
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

  /** A line nested too deep to process: unparsed, and counted for the warning. */
  private tooDeep(no: number): void {
    this.noteTooDeep(no);
    this.unparsed();
  }

  private noteTooDeep(no: number): void {
    this.stats.too_deep = (this.stats.too_deep ?? 0) + 1;
    this.stats.too_deep_at ??= `${this.name}:${no}`;
  }

  private unparsed(): void {
    this.closeOpen();
    this.stats.unparsed_lines++;
  }

  private closeOpen(): void {
    // Blank lines after a record of a layout whose messages run over many lines (a traceback
    // and the blank line that ends it) belong to it; after a JSON record they are unparsed.
    if (this.openRule === 'any' && this.open) this.stats.continuation_lines += this.blanks;
    else this.stats.unparsed_lines += this.blanks;
    this.blanks = 0;
    const r = this.open;
    if (!r) return;
    this.open = undefined;
    if (r === this.unread) return;
    if (r.stack === undefined && r.continuation.length > 0) r.stack = r.continuation.join('\n');
    if (r.level === 'unknown') this.stats.unknown_levels++;
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

/**
 * Whether an envelope opens only to JSON records (an envelope inside it too, as deep as the
 * reader opens them): a text line inside may be read by a layout that tells its level otherwise.
 */
function opensToObjects(obj: JsonObject, env: Envelope, depth: number): boolean {
  return env.open(obj).every((u) => {
    if (u.object !== undefined) return true;
    const line = (u.line ?? '').replace(/\r?\n$/, '').trimStart();
    const parsed = line.startsWith('{') ? parseObject(line, 0) : undefined;
    const inner = parsed === TOO_DEEP ? undefined : parsed;
    if (!inner) return false;
    const next = depth + 1 < MAX_DEPTH ? envelopeOf(inner) : undefined;
    return next ? opensToObjects(inner, next, depth + 1) : true;
  });
}

/**
 * Parses the JSON object starting at `brace`; undefined when the text is not one object,
 * TOO_DEEP when it nests deeper than MAX_NESTING.
 */
function parseObject(text: string, brace: number): JsonObject | undefined | typeof TOO_DEEP {
  const body = brace === 0 ? text : text.slice(brace);
  const last = body.charCodeAt(body.length - 1);
  // Cheap rejection: an object line ends with `}` (possibly followed by spaces).
  if (last !== 125 && body.trimEnd().charCodeAt(body.trimEnd().length - 1) !== 125) return undefined;
  if (tooDeep(body, MAX_NESTING)) return TOO_DEEP;
  try {
    const v: unknown = JSON.parse(body);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether JSON text nests deeper than `limit` (brackets inside strings do not count). Cheap for
 * normal lines: one shorter than 2×(limit+1) cannot be; a longer one is first searched for
 * more than `limit` opening brackets at all (a native search per bracket), and only then scanned.
 */
export function tooDeep(text: string, limit: number): boolean {
  if (text.length < 2 * (limit + 1)) return false;
  let opening = 0;
  for (let i = text.indexOf('{'); i !== -1 && opening <= limit; i = text.indexOf('{', i + 1)) opening++;
  for (let i = text.indexOf('['); i !== -1 && opening <= limit; i = text.indexOf('[', i + 1)) opening++;
  if (opening <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** Whether a parsed value nests deeper than `limit` (walked without recursion, stopping early). */
export function valueTooDeep(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

/** Whether a layout's message is exactly the JSON object that ends the line (at `brace`). */
function isWholeMessage(msg: unknown, line: string, brace: number): boolean {
  return typeof msg === 'string' && msg.trim() === line.slice(brace).trim();
}

/** The envelope an object is, if any. */
function envelopeOf(obj: JsonObject): Envelope | undefined {
  for (const e of ENVELOPES) if (e.match(obj)) return e;
  return undefined;
}


const LOG_FIRST = Buffer.from('{"log":');
/** A JSON key an envelope needs (`formats/envelopes`: ENVELOPE_KEYS), as written in a line. */
const ENVELOPE_KEY = new RegExp(`"(?:${ENVELOPE_KEYS.join('|')})"\\s*:`);
const AWSLOGS_KEY = Buffer.from('"awslogs"');
const NEWLINE_END = Buffer.from('\\n"');


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
