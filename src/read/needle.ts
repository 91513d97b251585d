/** Bytes of the first chunk on which a needle's bytes are counted to find the rarest. */
const SAMPLE = 256 * 1024;
/** Chunks smaller than this are too small to judge byte frequencies on. */
const MIN_SAMPLE = 64 * 1024;

/**
 * A byte string to find, searched from its rarest byte. `Buffer.indexOf` scans for a needle's
 * first byte and compares the rest at every hit, so a needle that starts with a common byte is
 * slow: `req-000fk1` in a log where every line holds `req-` stops at every line. The search
 * starts instead at the needle's byte that is rarest in the first large chunk searched, and the
 * bytes before it are compared at each hit.
 */
export class Needle {
  private at = 0;
  private part: Buffer;
  private tuned = false;

  constructor(readonly bytes: Buffer) {
    this.part = bytes;
  }

  /** The index of the needle in `buf` at or after `start`, or -1. */
  indexIn(buf: Buffer, start = 0): number {
    if (!this.tuned && buf.length >= MIN_SAMPLE) this.tune(buf);
    const at = this.at;
    const bytes = this.bytes;
    for (let i = buf.indexOf(this.part, start + at); i !== -1; i = buf.indexOf(this.part, i + 1)) {
      const s = i - at;
      if (at === 0 || buf.compare(bytes, 0, at, s, i) === 0) return s;
    }
    return -1;
  }

  private tune(chunk: Buffer): void {
    this.tuned = true;
    const sample = chunk.subarray(0, SAMPLE);
    let best = Infinity;
    const counts = new Map<number, number>();
    for (let p = 0; p < this.bytes.length; p++) {
      const b = this.bytes[p];
      let n = counts.get(b);
      if (n === undefined) {
        n = 0;
        for (let i = sample.indexOf(b); i !== -1; i = sample.indexOf(b, i + 1)) n++;
        counts.set(b, n);
      }
      if (n < best) {
        best = n;
        this.at = p;
      }
    }
    this.part = this.bytes.subarray(this.at);
  }
}
