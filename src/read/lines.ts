/** Receives one line as a byte range of `buf` (terminator excluded, CR included if present). */
export type LineHandler = (buf: Buffer, start: number, end: number) => void;

/** Lines longer than this are counted as unparsed and skipped rather than held in memory. */
export const DEFAULT_MAX_LINE = 64 * 1024 * 1024;

/**
 * Splits a byte stream into lines on `\n` without decoding it. Only a line that spans two
 * chunks is copied; every other line is handed over as a range of the chunk it lies in.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Set while skipping the rest of an over-long line. */
  private overflowing = false;

  constructor(
    private readonly onLine: LineHandler,
    private readonly onOverlong: () => void,
    private readonly maxLine = DEFAULT_MAX_LINE,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    const len = chunk.length;
    while (start < len) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        this.hold(chunk, start, len);
        return;
      }
      if (this.overflowing) {
        this.overflowing = false;
      } else if (this.pendingLength > 0) {
        this.hold(chunk, start, nl);
        if (!this.overflowing) {
          const line = Buffer.concat(this.pending, this.pendingLength);
          this.pending = [];
          this.pendingLength = 0;
          this.onLine(line, 0, line.length);
        } else {
          this.overflowing = false;
        }
      } else {
        this.onLine(chunk, start, nl);
      }
      start = nl + 1;
    }
  }

  /** True when a partial line (no newline yet) is held. */
  get hasPartial(): boolean {
    return this.pendingLength > 0;
  }

  /** Flushes a final line that has no terminator (a file still being written). */
  end(): void {
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
