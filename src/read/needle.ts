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

  /** The needle for an id: hexadecimal ids (`isHexId`) in any case, others exactly. */
  static forId(bytes: Buffer): Needle {
    return isHexId(bytes.toString('latin1')) ? Needle.anyCase(bytes) : new Needle(bytes);
  }

  /**
   * A needle found in any ASCII case (hex ids: `5B8E…`, `5b8e…` and `5B8e…` are one id). A
   * needle without ASCII letters, or with bytes beyond ASCII, is searched as it is.
   */
  static anyCase(bytes: Buffer): Needle {
    return bytes.some(isLetter) && bytes.every((b) => b < 0x80) ? new FoldedNeedle(bytes) : new Needle(bytes);
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

/**
 * What a line must contain to possibly hold one of `ids` once its JSON is decoded: an id's own
 * bytes (`Needle.forId`), or a `\u` escape, which may spell any character of an id
 * (`"req\u002d7"` is `req-7`); and any backslash when an id holds a character JSON may write
 * as a short escape (`"`, `\`, `/`, a control character).
 */
export function idNeedles(ids: readonly Buffer[]): Needle[] {
  if (ids.length === 0) return [];
  const needles = ids.map((n) => Needle.forId(n));
  const escapable = ids.some((id) => id.some((b) => b === 0x22 || b === 0x5c || b === 0x2f || b < 0x20));
  needles.push(new Needle(Buffer.from(escapable ? '\\' : '\\u', 'latin1')));
  return needles;
}

/**
 * Whether an id is hexadecimal (a trace or span id, a UUID): at least 8 hex digits, optionally
 * in dash-separated groups. Such ids mean the same in either case (`5B8E…` is `5b8e…`), so they
 * are compared without case; other ids (`req-Abc`) are compared exactly.
 */
export function isHexId(id: string): boolean {
  return /^[0-9a-f]+(?:-[0-9a-f]+)*$/i.test(id) && id.replace(/-/g, '').length >= 8;
}

function isLetter(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/**
 * A needle matched without ASCII case. The buffer is read as latin1 (one character per byte,
 * so string offsets are byte offsets) and searched with a case-insensitive regular expression:
 * V8 compiles it to a skipping search that runs at about the speed of `Buffer.indexOf` (measured
 * 0.8–1.2 s against 0.7–1.0 s on 384 MB where every line holds random hex ids). The needle is
 * ASCII, and without the `u` flag no character beyond ASCII matches an ASCII one, so a hit is
 * exactly the needle's bytes in some case.
 */
class FoldedNeedle extends Needle {
  private readonly re: RegExp;
  /** The last buffer searched and its text: a chunk is searched many times, line by line. */
  private buf: Buffer | undefined;
  private text = '';

  constructor(bytes: Buffer) {
    super(bytes);
    this.re = new RegExp(bytes.toString('latin1').replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'), 'gi');
  }

  override indexIn(buf: Buffer, start = 0): number {
    if (buf !== this.buf) {
      this.buf = buf;
      this.text = buf.toString('latin1');
    }
    this.re.lastIndex = start;
    const m = this.re.exec(this.text);
    return m ? m.index : -1;
  }
}
