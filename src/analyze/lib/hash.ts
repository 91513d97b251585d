/** The two 32-bit halves of the last `hash64` call (avoids allocating a pair per record). */
export const lastHash = { hi: 0, lo: 0 };

const SEED_A = 0x811c9dc5;
const SEED_B = 0x9747b28c;

/** Feeds the code units of `s` into the running hash held in `lastHash`. */
function feed(s: string): void {
  let a = lastHash.hi;
  let b = lastHash.lo;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  lastHash.hi = a >>> 0;
  lastHash.lo = b >>> 0;
}

/**
 * FNV-1a over UTF-16 code units with two independent 32-bit lanes: a 64-bit hash. At 64 bits
 * the chance of any collision among 10 million distinct keys is about 3 in a million.
 * The halves are left in `lastHash`.
 */
export function hash64(s: string): void {
  lastHash.hi = SEED_A;
  lastHash.lo = SEED_B;
  feed(s);
}

/** `hash64` of the strings joined by U+0000, without building the joined string. */
export function hash64Joined(parts: readonly string[]): void {
  lastHash.hi = SEED_A;
  lastHash.lo = SEED_B;
  for (let p = 0; p < parts.length; p++) {
    if (p > 0) feed('\u0000');
    feed(parts[p]);
  }
}

/** Where a key was first seen: an index into the caller's file list and a line number. */
export interface FirstSeen {
  file: number;
  line: number;
}

/** Bytes a slot takes: the hash's two halves and the line. A file index adds 1, 2 or 4 once keys come from a second file. */
export const SLOT_BYTES = 12;
/** A part grows when a new key would make it fuller than this. */
export const LOAD = 0.85;
/** Factor by which a part grows. */
export const GROWTH = 1.25;
/** Parts the keys are spread over by the hash's top bits… */
const PARTS = 256;
/** …as long as each may grow to this many slots (fewer parts under a smaller `maxSlots`). */
const MIN_REGION = 4096;
/** Slots of a new part. */
const FIRST_SLOTS = 16;
/** `x * capacity * 2^-32` maps a 32-bit x onto [0, capacity) (range reduction, no modulo). */
const TWO_TO_MINUS_32 = 2 ** -32;

type FileArray = Uint8Array | Uint16Array | Uint32Array;
type FileArrayType = new (n: number) => FileArray;

/**
 * A set of 64-bit hashes in typed arrays, remembering where each was first seen.
 *
 * Open addressing with linear probing; a slot is 12 bytes — the hash's two halves and the line
 * (0 marks an empty slot: lines are 1-based) side by side, so a probe reads one place. The file
 * index of each slot is kept apart, only once a key comes from a second file, in the narrowest
 * typed array that holds the number of files. A JavaScript Map of strings would cost ~10× more.
 *
 * Keys are spread over 256 parts by the hash's top bits. The array is allocated for `maxSlots`
 * up front, a region per part, but the operating system provides memory only for the pages that
 * are written: a part uses the start of its region and grows in place, by 25% whenever a new
 * key would make it more than 85% full (its keys are copied to a small scratch array, and put
 * back at their new places). So the table stays 68–85% full, is never copied whole, and leaves
 * no garbage behind.
 *
 * `maxSlots` caps the slots of all parts together (`SLOT_BYTES` each); a key that no longer fits
 * is not stored, and `full` is set.
 */
export class HashTable {
  /** Slots × [hi, lo, line]: part `p` uses the first `caps[p]` slots from slot `p × region`. */
  private readonly table: Uint32Array;
  /** The file index of each slot; absent while every key is from file 0. */
  private files: FileArray | undefined;
  private readonly caps: Int32Array;
  private readonly counts: Int32Array;
  /** Slots each part may grow to. */
  private readonly region: number;
  /** `(hi >>> 16) >>> partShift` is a hash's part. */
  private readonly partShift: number;
  private scratch = new Uint32Array(0);
  private scratchFiles: FileArray = new Uint8Array(0);
  /** Slots of all parts together. */
  slots: number;
  /** Keys stored. */
  size = 0;
  /** Set when the table reached its maximum size and a new key could not be stored. */
  full = false;

  constructor(maxSlots = 1 << 23) {
    // The array is allocated for the cap, so there must be one.
    if (!Number.isFinite(maxSlots)) throw new RangeError(`maxSlots must be a finite number, not ${maxSlots}`);
    const max = Math.max(1, Math.floor(maxSlots));
    let n = PARTS;
    while (n > 1 && n * MIN_REGION > max) n >>= 1;
    this.partShift = 16 - Math.log2(n);
    this.region = Math.floor(max / n);
    const first = Math.min(FIRST_SLOTS, this.region);
    this.table = new Uint32Array(n * this.region * 3);
    this.caps = new Int32Array(n).fill(first);
    this.counts = new Int32Array(n);
    this.slots = n * first;
  }

  /** Adds the hash in `lastHash`; returns where it was first seen, or undefined when new. */
  add(file: number, line: number): FirstSeen | undefined {
    const { hi, lo } = lastHash;
    const p = (hi >>> 16) >>> this.partShift;
    const cap = this.caps[p];
    const t = this.table;
    const base = p * this.region * 3;
    const end = base + cap * 3;
    let at = base + Math.floor(lo * cap * TWO_TO_MINUS_32) * 3;
    for (;;) {
      const seen = t[at + 2];
      if (seen === 0) break;
      if (t[at] === hi && t[at + 1] === lo) return { file: this.files ? this.files[at / 3] : 0, line: seen };
      at += 3;
      if (at === end) at = base;
    }
    if (this.counts[p] + 1 > cap * LOAD) {
      if (!this.grow(p)) {
        this.full = true;
        return undefined;
      }
      return this.add(file, line);
    }
    t[at] = hi;
    t[at + 1] = lo;
    t[at + 2] = line;
    if (file !== 0 || this.files) this.setFile(at / 3, file);
    this.counts[p]++;
    this.size++;
    return undefined;
  }

  /** Records the file index of a slot, widening the file array when the index does not fit. */
  private setFile(slot: number, file: number): void {
    const bytes = file < 0x100 ? 1 : file < 0x10000 ? 2 : 4;
    if (!this.files || this.files.BYTES_PER_ELEMENT < bytes) {
      const Wide: FileArrayType = bytes === 1 ? Uint8Array : bytes === 2 ? Uint16Array : Uint32Array;
      const old = this.files;
      this.files = new Wide(this.table.length / 3);
      // Only the parts' used slots are copied: the rest of the new array is never touched.
      if (old) for (let p = 0; p < this.caps.length; p++) this.files.set(old.subarray(p * this.region, p * this.region + this.caps[p]), p * this.region);
      this.scratchFiles = new Wide(this.scratch.length / 3);
    }
    this.files[slot] = file;
  }

  /** Grows part `p` within its region; false when the region is used up. */
  private grow(p: number): boolean {
    const cap = this.caps[p];
    const n = Math.min(this.region, Math.ceil(cap * GROWTH));
    if (n <= cap) return false;
    const t = this.table;
    const f = this.files;
    const first = p * this.region;
    const count = this.counts[p];
    if (this.scratch.length < count * 3) {
      this.scratch = new Uint32Array(count * 6);
      if (f) this.scratchFiles = new (f.constructor as FileArrayType)(count * 2);
    }
    const s = this.scratch;
    const sf = this.scratchFiles;
    let w = 0;
    for (let slot = first; slot < first + cap; slot++) {
      const at = slot * 3;
      const line = t[at + 2];
      if (line === 0) continue;
      s[3 * w] = t[at];
      s[3 * w + 1] = t[at + 1];
      s[3 * w + 2] = line;
      if (f) sf[w] = f[slot];
      w++;
    }
    t.fill(0, first * 3, (first + n) * 3);
    for (let r = 0; r < w; r++) {
      const lo = s[3 * r + 1];
      let slot = first + Math.floor(lo * n * TWO_TO_MINUS_32);
      while (t[slot * 3 + 2] !== 0) if (++slot === first + n) slot = first;
      t[slot * 3] = s[3 * r];
      t[slot * 3 + 1] = lo;
      t[slot * 3 + 2] = s[3 * r + 2];
      if (f) f[slot] = sf[r];
    }
    this.caps[p] = n;
    this.slots += n - cap;
    return true;
  }
}
