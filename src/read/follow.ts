import { closeSync, fstatSync, openSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { isDynamicPattern } from 'globby';
import { sniff, SNIFF_BYTES } from './bytes.js';
import { expandPattern, walkDirectory } from './sources.js';
import type { LogRecord } from '../types.js';
import { RecordAssembler, type AssembleOptions } from './assemble.js';
import { LineEndCounter, LineSplitter } from './lines.js';

/** How files are followed. */
export interface FollowOptions extends Omit<AssembleOptions, 'seq' | 'onRecord'> {
  /** Files, directories or glob patterns; patterns and directories are re-expanded to find new files. */
  inputs: string[];
  /** Records shown from the end of each file at start (`-n`); `Infinity` replays whole files first. */
  initial: number;
  onRecord: (r: LogRecord) => void;
  onProblem: (message: string) => void;
  pollMs?: number;
}

/** One file being followed, identified by device and inode so renames do not confuse it. */
interface Tracked {
  id: string;
  name: string;
  fd: number;
  pos: number;
  splitter: LineSplitter;
  asm: RecordAssembler;
  /** Last time bytes arrived, for flushing held records and retiring drained files. */
  lastData: number;
  /** False once its name points elsewhere (renamed away or deleted): read until drained, then closed. */
  current: boolean;
  /** Where its records go: the initial `-n` collection first, then the output. */
  sink: (r: LogRecord) => void;
  /** The last bytes read: if they change, the file was truncated and rewritten between two looks. */
  mark: Buffer;
}

const BUF = Buffer.allocUnsafe(1 << 20);
/** A record is held for continuation lines; after this much quiet it is shown. */
const HOLD_MS = 200;
/** A rotated-away file is kept open this long after its last write, for late writers. */
const DRAIN_MS = 2000;
/** Bytes remembered before the read position to notice a truncate-and-refill between polls. */
const MARK = 64;

/**
 * Follows files like `tail -F`: appends, partial lines completed later, rotation by rename
 * (the old file is drained, late writes included), copytruncate, deletion and re-creation,
 * and new files matching a pattern. Files are told apart by inode, so each byte is read once.
 * Compressed files (rotated and compressed) are never read; directory symlink loops end.
 */
export class Follower {
  private readonly tracked = new Map<string, Tracked>();
  private readonly skipped = new Set<string>();
  private readonly seq = { next: 0 };
  private timer: NodeJS.Timeout | undefined;
  private watchers: FSWatcher[] = [];
  private lastScan = 0;
  private scanning = false;
  /** Files followed at any time. */
  followed = 0;

  constructor(private readonly o: FollowOptions) {}

  /** Shows the last records of each file (merged by time) and starts following. */
  async start(): Promise<void> {
    const names = await this.expand();
    const initial: LogRecord[] = [];
    for (const name of names) this.open(name, true, initial);
    initial.sort((a, b) => (a.time ?? 0) - (b.time ?? 0) || a.seq - b.seq);
    for (const r of initial) this.o.onRecord(r);
    this.watchDirs(names);
    this.timer = setInterval(() => void this.poll(), this.o.pollMs ?? 250);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const w of this.watchers) w.close();
    for (const t of this.tracked.values()) this.close(t, true);
  }

  private async expand(): Promise<string[]> {
    const out: string[] = [];
    for (const input of this.o.inputs) {
      let isDir = false;
      try {
        isDir = statSync(input).isDirectory();
      } catch {
        /* not there yet: a pattern or a file to be created */
      }
      if (isDir) out.push(...(await walkDirectory(input)));
      else if (isDynamicPattern(input)) out.push(...(await expandPattern(input)));
      else out.push(input);
    }
    return [...new Set(out)].sort();
  }

  private watchDirs(names: string[]): void {
    const dirs = new Set([...names, ...this.o.inputs].map((n) => (isDynamicPattern(n) ? globBase(n) : path.dirname(n))));
    for (const d of dirs) {
      try {
        this.watchers.push(watch(d, { persistent: false }, () => void this.poll()));
      } catch {
        /* polling covers filesystems without events */
      }
    }
  }

  private open(name: string, atStart: boolean, initial?: LogRecord[]): void {
    let fd: number;
    try {
      // Opening a FIFO would wait for a writer: a stream is not followed, it is piped in.
      const pre = statSync(name);
      if (!pre.isFile() && !pre.isDirectory()) {
        const id = `${pre.dev}:${pre.ino}`;
        if (!this.skipped.has(id)) this.o.onProblem(`${name}: not a regular file; tail follows files — pipe a stream into it instead (… | logtool tail)`);
        this.skipped.add(id);
        return;
      }
      fd = openSync(name, 'r');
    } catch {
      return;
    }
    const st = fstatSync(fd);
    const id = `${st.dev}:${st.ino}`;
    if (this.tracked.has(id) || this.skipped.has(id) || !st.isFile()) {
      closeSync(fd);
      const t = this.tracked.get(id);
      if (t && !t.current) t.current = t.name === name;
      return;
    }
    // Compressed (rotated) files are never followed; UTF-16 ones cannot be read from the middle.
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, st.size));
    const found = sniff(head.subarray(0, readSync(fd, head, 0, head.length, 0)));
    if (found.compression || found.encoding) {
      if (found.encoding) this.o.onProblem(`${name}: ${found.encoding} text; tail follows UTF-8 only — read it with another command`);
      this.skipped.add(id);
      closeSync(fd);
      return;
    }
    const t = this.track(id, name, fd);
    this.followed++;
    if (atStart) this.readTail(t, st.size, initial!);
  }

  private track(id: string, name: string, fd: number): Tracked {
    const t: Tracked = { id, name, fd, pos: 0, splitter: undefined!, asm: undefined!, lastData: Date.now(), current: true, sink: this.o.onRecord, mark: Buffer.alloc(0) };
    this.reset(t);
    this.tracked.set(id, t);
    return t;
  }

  private reset(t: Tracked): void {
    t.asm = new RecordAssembler(t.name, { ...this.o, onRecord: (r) => t.sink(r), seq: this.seq });
    t.splitter = new LineSplitter((b, s, e) => t.asm.line(b, s, e), () => t.asm.overlong());
  }

  /** Reads the end of a file for `-n`, numbering lines from a count of the bytes skipped. */
  private readTail(t: Tracked, size: number, out: LogRecord[]): void {
    const n = this.o.initial;
    if (n === Infinity) {
      // Replay everything as it is read: nothing is collected, so any size fits.
      this.drain(t);
      return;
    }
    if (n === 0) {
      t.asm.skipLines(countLines(t.fd, size));
      t.pos = size;
      return;
    }
    let start = Math.max(0, size - Math.max(256 * 1024, n * 4096));
    if (start > 0) {
      // Begin at a line start so no record is cut in half.
      const len = readSync(t.fd, BUF, 0, Math.min(BUF.length, size - start), start);
      const nl = lineStart(BUF.subarray(0, len));
      start = nl === -1 ? size : start + nl;
    }
    const got: LogRecord[] = [];
    t.sink = (r) => {
      got.push(r);
      if (got.length > n) got.shift();
    };
    t.asm.skipLines(countLines(t.fd, start));
    t.pos = start;
    this.drain(t);
    // The last complete record is shown now; a partial last line stays in the splitter (a
    // line ended by `\r` is complete).
    t.splitter.settle();
    if (!t.splitter.hasPartial) t.asm.flush();
    t.sink = this.o.onRecord;
    for (const r of got) out.push(r);
  }

  private async poll(): Promise<void> {
    if (this.scanning) return;
    this.scanning = true;
    try {
      const now = Date.now();
      if (now - this.lastScan >= 1000) {
        this.lastScan = now;
        const names = await this.expand();
        for (const t of this.tracked.values()) t.current = false;
        for (const name of names) this.open(name, false);
        for (const t of this.tracked.values()) if (!t.current) t.current = stillNamed(t);
      }
      for (const t of [...this.tracked.values()]) this.step(t, now);
    } catch (e) {
      this.o.onProblem((e as Error).message);
    } finally {
      this.scanning = false;
    }
  }

  private step(t: Tracked, now: number): void {
    let st;
    try {
      st = fstatSync(t.fd);
    } catch {
      return this.close(t, false);
    }
    if (st.size < t.pos || (st.size > t.pos && !this.unchanged(t))) {
      // Truncated in place (copytruncate), maybe already refilled: what is there now is new.
      t.asm.flush();
      t.pos = 0;
      // Nothing before position 0 to compare: a file truncated to empty and refilled later is new.
      t.mark = Buffer.alloc(0);
      this.reset(t);
    }
    if (st.size > t.pos) {
      this.drain(t);
      t.lastData = now;
    } else if (now - t.lastData >= HOLD_MS && (t.asm.holding || t.splitter.hasPartial)) {
      t.splitter.settle();
      if (!t.splitter.hasPartial) t.asm.flush();
    }
    if ((st.nlink === 0 || !t.current) && now - t.lastData >= DRAIN_MS) this.close(t, st.nlink > 0);
  }

  private drain(t: Tracked): void {
    for (;;) {
      const n = readSync(t.fd, BUF, 0, BUF.length, t.pos);
      if (n <= 0) break;
      t.pos += n;
      t.splitter.push(BUF.subarray(0, n));
    }
    const len = Math.min(MARK, t.pos);
    t.mark = Buffer.alloc(len);
    readSync(t.fd, t.mark, 0, len, t.pos - len);
  }

  /** Whether the bytes before the read position are still those that were read. */
  private unchanged(t: Tracked): boolean {
    if (t.mark.length === 0) return true;
    if (t.pos < t.mark.length) return false;
    const now = Buffer.alloc(t.mark.length);
    readSync(t.fd, now, 0, now.length, t.pos - now.length);
    return now.equals(t.mark);
  }

  private close(t: Tracked, remember: boolean): void {
    t.splitter.end();
    t.asm.flush();
    try {
      closeSync(t.fd);
    } catch {
      /* already closed */
    }
    this.tracked.delete(t.id);
    // A file renamed away and drained stays known by inode, so finding it under a new name
    // (app.log.1) does not read it again; a deleted one is forgotten (its inode may be reused).
    if (remember) this.skipped.add(t.id);
  }
}

function stillNamed(t: Tracked): boolean {
  try {
    const st = statSync(t.name);
    return `${st.dev}:${st.ino}` === t.id;
  } catch {
    return false;
  }
}

function countLines(fd: number, upTo: number): number {
  const n = new LineEndCounter();
  for (let pos = 0; pos < upTo; ) {
    const len = readSync(fd, BUF, 0, Math.min(BUF.length, upTo - pos), pos);
    if (len <= 0) break;
    n.add(BUF, len);
    pos += len;
  }
  return n.count;
}

/** Where the first line after a line end (`\n`, or a `\r` not followed by `\r…\n`) starts in `buf`; -1: none. */
function lineStart(buf: Buffer): number {
  const nl = buf.indexOf(10);
  for (let c = buf.indexOf(13); c !== -1 && (nl === -1 || c < nl); ) {
    let r = c;
    while (r < buf.length && buf[r] === 13) r++;
    if (r === buf.length) break;
    if (buf[r] !== 10) return c + 1;
    c = buf.indexOf(13, r);
  }
  return nl === -1 ? -1 : nl + 1;
}

function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const i = parts.findIndex((p) => p !== '' && isDynamicPattern(p));
  return parts.slice(0, i).join('/') || '.';
}
