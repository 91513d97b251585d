/** The two 32-bit halves of the last `hash64` call (avoids allocating a pair per record). */
export const lastHash = { hi: 0, lo: 0 };

/**
 * FNV-1a over UTF-16 code units with two independent 32-bit lanes: a 64-bit hash. At 64 bits
 * the chance of any collision among 10 million distinct keys is about 3 in a million.
 * The halves are left in `lastHash`.
 */
export function hash64(s: string): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  lastHash.hi = a >>> 0;
  lastHash.lo = b >>> 0;
}

/** Where a key was first seen: an index into the caller's file list and a line number. */
export interface FirstSeen {
  file: number;
  line: number;
}

/**
 * A set of 64-bit hashes in typed arrays (16 bytes a slot, open addressing), remembering where
 * each was first seen. A JavaScript Map of strings would cost ~10× as much per key.
 */
export class HashTable {
  private slots: Uint32Array;
  private mask: number;
  size = 0;
  /** Set when the table reached its maximum size and a new key could not be stored. */
  full = false;

  constructor(private readonly maxSlots = 1 << 23) {
    this.slots = new Uint32Array((1 << 12) * 4);
    this.mask = (1 << 12) - 1;
  }

  /** Adds the hash in `lastHash`; returns where it was first seen, or undefined when new. */
  add(file: number, line: number): FirstSeen | undefined {
    const { hi, lo } = lastHash;
    let i = (lo ^ (hi >>> 7)) & this.mask;
    const s = this.slots;
    for (;;) {
      const at = i * 4;
      if (s[at + 3] === 0) break;
      if (s[at] === hi && s[at + 1] === lo) return { file: s[at + 2], line: s[at + 3] };
      i = (i + 1) & this.mask;
    }
    if ((this.size + 1) * 4 > (this.mask + 1) * 3) {
      if ((this.mask + 1) * 2 > this.maxSlots) {
        this.full = true;
        return undefined;
      }
      this.grow();
      return this.add(file, line);
    }
    const at = i * 4;
    s[at] = hi;
    s[at + 1] = lo;
    s[at + 2] = file;
    s[at + 3] = line; // lines are 1-based, so 0 marks an empty slot
    this.size++;
    return undefined;
  }

  private grow(): void {
    const old = this.slots;
    const n = (this.mask + 1) * 2;
    this.slots = new Uint32Array(n * 4);
    this.mask = n - 1;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 3] === 0) continue;
      let i = (old[at + 1] ^ (old[at] >>> 7)) & this.mask;
      while (this.slots[i * 4 + 3] !== 0) i = (i + 1) & this.mask;
      this.slots.set(old.subarray(at, at + 4), i * 4);
    }
  }
}
