import { spawn, type StdioOptions } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { BIN, ROOT } from './cli.js';

/** The trace id every generated record carries (lower case in the file). */
export const BIG_ID = '5b8e1f0c9a7d4e2b';
const START = Date.parse('2024-03-01T00:00:00Z');
const SERVICES = ['api-gateway', 'payment-service', 'inventory', 'notification'];

/**
 * Writes `records` JSON lines that all belong to trace `BIG_ID`, in 4 MB writes: every 8th
 * record an operation start/end pair, every 1000th an error, one record in 97 is a second
 * late (out of input order). Returns how many records are errors.
 */
export function writeBigTrace(file: string, records: number): { errors: number } {
  let errors = 0;
  writeGenerated(file, records, (i) => {
    const late = i % 97 === 96 ? 1000 : 0;
    const ts = new Date(START + i * 3 + late).toISOString();
    const error = i % 1000 === 999;
    if (error) errors++;
    const ev = i % 8 === 0 ? ',"event_type":"operation_start","operation":"step"' : i % 8 === 7 ? ',"event_type":"operation_end","operation":"step","duration_ms":21' : '';
    return `{"timestamp":"${ts}","level":"${error ? 'ERROR' : 'INFO'}","service":"${SERVICES[i & 3]}","trace_id":"${BIG_ID}","message":"${error ? 'charge failed' : 'step'} ${i}"${ev}}\n`;
  });
  return { errors };
}

/** Writes `records` ERROR lines from three message templates with variable parts, in 4 MB writes. */
export function writeBigErrors(file: string, records: number): void {
  writeGenerated(file, records, (i) => {
    const msg = i % 3 === 0 ? `Bank API timeout after ${1000 + (i % 977)}ms for charge ch_${(i * 2654435761 >>> 0).toString(16)}` : i % 3 === 1 ? `Payment failed for order ord_${i}: upstream unavailable` : `DB timeout on table orders after ${i % 500}ms`;
    return `{"timestamp":"${new Date(START + i * 5).toISOString()}","level":"ERROR","service":"${SERVICES[i & 3]}","request_id":"req-${i}","message":"${msg}"}\n`;
  });
}

/** Writes the lines `lineAt(0 … records-1)` to `file` in writes of about 4 MB. */
function writeGenerated(file: string, records: number, lineAt: (i: number) => string): void {
  const fd = openSync(file, 'w');
  let chunk: string[] = [];
  let size = 0;
  for (let i = 0; i < records; i++) {
    const line = lineAt(i);
    chunk.push(line);
    size += line.length;
    if (size > 4 << 20) {
      writeSync(fd, chunk.join(''));
      chunk = [];
      size = 0;
    }
  }
  writeSync(fd, chunk.join(''));
  closeSync(fd);
}

/** What one run of the binary produced, with its peak resident memory. */
export interface BigRun {
  code: number | null;
  stderr: string;
  /** Peak resident set size of the child in bytes. */
  maxRss: number;
}

/**
 * Runs the binary with a preload that records its peak RSS on exit, handing each stdout chunk
 * to `onData`. `slow` pauses stdout for 5 ms after every chunk, so the child meets a full pipe.
 * `stdout` may instead be a file descriptor (e.g. /dev/full). `feed` writes `count` generated
 * lines to the child's stdin, waiting whenever the pipe is full.
 */
export function runBig(
  args: string[],
  dir: string,
  opts: { onData?: (b: Buffer) => void; slow?: boolean; stdout?: number; env?: Record<string, string>; feed?: { count: number; line: (i: number) => string } } = {},
): Promise<BigRun> {
  const preload = path.join(dir, 'rss-preload.mjs');
  const rssFile = path.join(dir, `rss-${process.hrtime.bigint()}.txt`);
  writeFileSync(preload, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.LOGTOOL_TEST_RSS, String(process.resourceUsage().maxRSS * 1024)));\n`);
  return new Promise((resolve, reject) => {
    const stdio: StdioOptions = [opts.feed ? 'pipe' : 'ignore', opts.stdout ?? 'pipe', 'pipe'];
    const child = spawn(process.execPath, ['--import', preload, BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', LOGTOOL_TEST_RSS: rssFile, ...opts.env }, stdio });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    if (child.stdout) {
      child.stdout.on('data', (b: Buffer) => {
        opts.onData?.(b);
        if (opts.slow) {
          child.stdout!.pause();
          setTimeout(() => child.stdout!.resume(), 5);
        }
      });
    }
    if (opts.feed) feedLines(child.stdin!, opts.feed);
    child.on('error', reject);
    child.on('close', (code) => {
      let maxRss = NaN;
      try {
        maxRss = Number(readFileSync(rssFile, 'utf8'));
      } catch {
        /* the child died before its exit hook */
      }
      resolve({ code, stderr, maxRss });
    });
  });
}

/** Writes generated lines to a child's stdin in 64 KB pieces, with backpressure. */
function feedLines(stdin: Writable, feed: { count: number; line: (i: number) => string }): void {
  stdin.on('error', () => undefined);
  void (async () => {
    let buf = '';
    for (let i = 0; i < feed.count; i++) {
      buf += feed.line(i) + '\n';
      if (buf.length > 1 << 16) {
        if (!stdin.write(buf)) await new Promise((r) => stdin.once('drain', r));
        buf = '';
      }
    }
    stdin.end(buf);
  })();
}

/** Counts lines in a stream of chunks, keeping only the first and last few. */
export class LineTally {
  lines = 0;
  head = '';
  private tail = '';
  add(b: Buffer): void {
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) this.lines++;
    if (this.head.length < 65536) this.head += b.toString('utf8');
    this.tail = (this.tail + b.toString('utf8')).slice(-65536);
  }
  /** The last `n` complete lines. */
  last(n: number): string[] {
    return this.tail.split('\n').slice(0, -1).slice(-n);
  }
}
