/** Receives one line as a byte range of `buf` (terminator excluded, CR included if present). */
export type LineHandler = (buf: Buffer, start: number, end: number) => void;

/** Lines longer than this are counted as unparsed and skipped rather than held in memory. */
export const DEFAULT_MAX_LINE = 64 * 1024 * 1024;

const LF = 10;
const CR = 13;

/*
 * Line ends: `\n`, with any `\r`s just before it (`\r\n`, and `\r\r\n` from a file converted
 * twice), is one end; any other `\r` (old Mac files, some devices) ends a line by itself. So a
 * `\r` is a line end of its own exactly when the first byte after its run of `\r`s is not `\n`.
 */

/** The index of the first byte at or after `i` that is not `\r` (`end` if none). */
function crRunEnd(buf: Buffer, i: number, end: number): number {
  while (i < end && buf[i] === CR) i++;
  return i;
}

/**
 * Counts line ends the way LineSplitter splits, across the buffers of one stream given in turn
 * (a run of `\r`s ending one buffer is settled by the next one's first bytes).
 */
export class LineEndCounter {
  private ended = 0;
  /** `\r`s ending the bytes so far, not yet known to be lone or part of a `\r\n`. */
  private open = 0;

  /** Line ends so far, a trailing run of `\r`s counted as lone ends. */
  get count(): number {
    return this.ended + this.open;
  }

  /** Counts the line ends of `buf[0, end)`. */
  add(buf: Buffer, end = buf.length): void {
    let i = 0;
    if (this.open > 0) {
      const r = crRunEnd(buf, 0, end);
      if (r === end) {
        this.open += r;
        return;
      }
      if (buf[r] !== LF) this.ended += this.open + r;
      this.open = 0;
      i = r;
    }
    for (let n = buf.indexOf(LF, i); n !== -1 && n < end; n = buf.indexOf(LF, n + 1)) this.ended++;
    for (let c = buf.indexOf(CR, i); c !== -1 && c < end; ) {
      const r = crRunEnd(buf, c, end);
      if (r === end) {
        this.open = r - c;
        return;
      }
      if (buf[r] !== LF) this.ended += r - c;
      c = buf.indexOf(CR, r);
    }
  }
}

/** Line ends in `buf[0, end)` (see LineEndCounter). */
export function countLineEnds(buf: Buffer, end = buf.length): number {
  const c = new LineEndCounter();
  c.add(buf, end);
  return c.count;
}

/** Whether `buf[0, end)` holds a `\r` that ends a line by itself (one ending the buffer counts). */
export function hasLoneCR(buf: Buffer, end = buf.length): boolean {
  for (let c = buf.indexOf(CR); c !== -1 && c < end; ) {
    const r = crRunEnd(buf, c, end);
    if (r === end || buf[r] !== LF) return true;
    c = buf.indexOf(CR, r);
  }
  return false;
}

/**
 * Splits a byte stream into lines without decoding it, at the line ends above. The handler's
 * range keeps the `\r`s before a `\n` (the assembler drops one; JSON ignores the rest) and
 * excludes a lone `\r`. A run of `\r`s that ends a chunk waits for the next one. Only a line
 * that spans two chunks is copied; every other line is handed over as a range of its chunk.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Set while skipping the rest of an over-long line. */
  private overflowing = false;
  /** `\r`s that ended the last chunk, held at the end of the pending line: lone, unless a `\n` follows. */
  private heldCRs = 0;
  /** Held `\r`s were taken as line ends (settle): a `\n` opening the next chunk belongs to them. */
  private dropLF = false;

  constructor(
    private readonly onLine: LineHandler,
    private readonly onOverlong: () => void,
    private readonly maxLine = DEFAULT_MAX_LINE,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    const len = chunk.length;
    if (len === 0) return;
    if (this.dropLF) {
      this.dropLF = false;
      if (chunk[0] === LF) start = 1;
    }
    if (this.heldCRs > 0) {
      const r = crRunEnd(chunk, start, len);
      if (r === len) {
        this.hold(chunk, start, len);
        this.heldCRs += len - start;
        return;
      }
      if (chunk[r] === LF) {
        // `\r…\r\n` across the boundary: one line end after the held line.
        this.heldCRs = 0;
        this.hold(chunk, start, r);
        this.endHeld();
        start = r + 1;
      } else {
        this.endLoneCRs(r - start);
        start = r;
      }
    }
    let cr = chunk.indexOf(CR, start);
    while (start < len) {
      const nl = chunk.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = chunk.indexOf(CR, start);
      if (cr !== -1 && (nl === -1 || cr < nl)) {
        const first = cr;
        const r = crRunEnd(chunk, first, len);
        if (r === len) {
          // The chunk ends in `\r`s: lone ends, or the start of a `\r\n`; the next chunk tells.
          this.hold(chunk, start, len);
          this.heldCRs = len - first;
          return;
        }
        cr = chunk.indexOf(CR, r);
        if (r !== nl) {
          // Lone `\r`s: the line ends at the first, each further one ends an empty line.
          this.emit(chunk, start, first);
          for (let k = first + 1; k < r; k++) this.onLine(EMPTY, 0, 0);
          start = r;
          continue;
        }
      } else if (nl === -1) {
        this.hold(chunk, start, len);
        return;
      }
      // A `\n` end, the `\r`s before it kept in the range.
      this.emit(chunk, start, nl);
      start = nl + 1;
    }
  }

  /** True when a partial line (no line end yet) is held. */
  get hasPartial(): boolean {
    return this.pendingLength > 0 || this.heldCRs > 0;
  }

  /**
   * Takes `\r`s that ended the bytes so far as line ends now (a followed file gone quiet: its
   * writer ends lines with `\r` alone); a `\n` arriving next is still part of that line end.
   */
  settle(): void {
    if (this.heldCRs === 0) return;
    this.endLoneCRs(0);
    this.dropLF = true;
  }

  /** Flushes a final line that has no terminator (a file still being written). */
  end(): void {
    if (this.heldCRs > 0) return this.endLoneCRs(0);
    if (this.overflowing) {
      this.overflowing = false;
      return;
    }
    this.endHeld();
  }

  /** One line `[start, end)` of `chunk`, joined to a held start of it. */
  private emit(chunk: Buffer, start: number, end: number): void {
    if (this.overflowing) {
      this.overflowing = false;
    } else if (this.pendingLength > 0) {
      this.hold(chunk, start, end);
      this.endHeld();
    } else {
      this.onLine(chunk, start, end);
    }
  }

  /**
   * The held line ended in `heldCRs` lone `\r`s, and `more` lone `\r`s open the next chunk:
   * the line (without them), then an empty line for each `\r` after the first.
   */
  private endLoneCRs(more: number): void {
    const crs = this.heldCRs;
    this.heldCRs = 0;
    if (this.overflowing) {
      this.overflowing = false;
    } else {
      const line = Buffer.concat(this.pending, this.pendingLength);
      this.pending = [];
      this.pendingLength = 0;
      this.onLine(line, 0, line.length - crs);
    }
    for (let k = 1; k < crs + more; k++) this.onLine(EMPTY, 0, 0);
  }

  /** Hands over the held line (if any). */
  private endHeld(): void {
    if (this.overflowing) {
      this.overflowing = false;
      return;
    }
    if (this.pendingLength > 0) {
      const line = Buffer.concat(this.pending, this.pendingLength);
      this.pending = [];
      this.pendingLength = 0;
      this.onLine(line, 0, line.length);
    }
  }

  private hold(chunk: Buffer, start: number, end: number): void {
    if (this.overflowing || end <= start) return;
    if (this.pendingLength + (end - start) > this.maxLine) {
      this.pending = [];
      this.pendingLength = 0;
      this.overflowing = true;
      this.onOverlong();
      return;
    }
    // Copy: the chunk's memory may be reused by the stream after this call returns.
    this.pending.push(Buffer.from(chunk.subarray(start, end)));
    this.pendingLength += end - start;
  }
}

const EMPTY = Buffer.alloc(0);
