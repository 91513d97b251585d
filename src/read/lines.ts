/** Receives one line as a byte range of `buf` (terminator excluded, CR included if present). */
export type LineHandler = (buf: Buffer, start: number, end: number) => void;

/** Lines longer than this are counted as unparsed and skipped rather than held in memory. */
export const DEFAULT_MAX_LINE = 64 * 1024 * 1024;

const LF = 10;
const CR = 13;

/**
 * Counts line ends the way LineSplitter splits: `\n`, `\r\n` and a lone `\r`, across the
 * buffers of one stream given in turn (a `\r` ending one and a `\n` opening the next are one end).
 */
export class LineEndCounter {
  count = 0;
  private crLast = false;

  /** Counts the line ends of `buf[0, end)`. */
  add(buf: Buffer, end = buf.length): void {
    if (end <= 0) return;
    let i = 0;
    if (this.crLast && buf[0] === LF) i = 1;
    for (i = buf.indexOf(LF, i); i !== -1 && i < end; i = buf.indexOf(LF, i + 1)) this.count++;
    for (let c = buf.indexOf(CR); c !== -1 && c < end; c = buf.indexOf(CR, c + 1)) {
      // Lone: not followed by `\n` in this buffer; at its end the next buffer's first byte decides.
      if (c + 1 < end ? buf[c + 1] !== LF : true) this.count++;
    }
    // A `\r` at the end was counted as lone; a `\n` opening the next buffer is then skipped above.
    this.crLast = buf[end - 1] === CR;
  }
}

/** Line ends in `buf[0, end)` (see LineEndCounter). */
export function countLineEnds(buf: Buffer, end = buf.length): number {
  const c = new LineEndCounter();
  c.add(buf, end);
  return c.count;
}

/** Whether `buf[0, end)` holds a `\r` that is not part of `\r\n` (one at the end counts). */
export function hasLoneCR(buf: Buffer, end = buf.length): boolean {
  for (let c = buf.indexOf(CR); c !== -1 && c < end; c = buf.indexOf(CR, c + 1)) if (c + 1 >= end || buf[c + 1] !== LF) return true;
  return false;
}

/**
 * Splits a byte stream into lines without decoding it. A line ends at `\n`, at `\r\n`, or at
 * a lone `\r` (old Mac files, some devices); the handler's range keeps a terminating `\r` (the
 * assembler drops it), so a line's bytes plus one are its bytes on disk. A `\r` that ends a
 * chunk waits for the next one: a `\n` there makes `\r\n` one line end. Only a line that spans
 * two chunks is copied; every other line is handed over as a range of the chunk it lies in.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Set while skipping the rest of an over-long line. */
  private overflowing = false;
  /** The held line ends with a `\r` that ended the last chunk: its end, unless a `\n` follows. */
  private crHeld = false;
  /** A held `\r` was taken as the line end (settle): a `\n` opening the next chunk belongs to it. */
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
    if (this.crHeld) {
      this.crHeld = false;
      // `\r` then `\n`: one line end, the `\n` ends the held line below. Otherwise the `\r` did.
      if (chunk[0] !== LF) this.endHeld();
    }
    // Lone `\r` ends are looked for only in chunks that hold a `\r` at all.
    let cr = chunk.indexOf(CR);
    while (start < len) {
      let nl = chunk.indexOf(LF, start);
      let next = start;
      if (cr !== -1 && cr < start) cr = chunk.indexOf(CR, start);
      if (cr !== -1 && (nl === -1 || cr < nl - 1)) {
        // A lone `\r` (not the one just before `\n`) ends the line; at the chunk's end it may yet be `\r\n`.
        if (cr === len - 1) {
          this.hold(chunk, start, len);
          this.crHeld = true;
          return;
        }
        nl = cr;
        next = cr + 1;
        cr = chunk.indexOf(CR, next);
      } else if (nl === -1) {
        this.hold(chunk, start, len);
        return;
      } else {
        next = nl + 1;
      }
      // The line is [start, nl): a `\r` before `\n` is included, a lone `\r` is not.
      if (this.overflowing) {
        this.overflowing = false;
      } else if (this.pendingLength > 0) {
        this.hold(chunk, start, nl);
        if (!this.overflowing) this.endHeld();
        else this.overflowing = false;
      } else {
        this.onLine(chunk, start, nl);
      }
      start = next;
    }
  }

  /** True when a partial line (no line end yet) is held. */
  get hasPartial(): boolean {
    return this.pendingLength > 0 || this.crHeld;
  }

  /**
   * Takes a `\r` that ended the bytes so far as a line end now (a followed file gone quiet: its
   * writer ends lines with `\r` alone); a `\n` arriving next is still part of that line end.
   */
  settle(): void {
    if (!this.crHeld) return;
    this.crHeld = false;
    this.dropLF = true;
    this.endHeld();
  }

  /** Flushes a final line that has no terminator (a file still being written). */
  end(): void {
    this.crHeld = false;
    if (this.overflowing) {
      this.overflowing = false;
      return;
    }
    this.endHeld();
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
