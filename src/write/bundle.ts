import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createReadStream } from 'node:fs';
import { createGzip, gzipSync, type Gzip } from 'node:zlib';

/**
 * One array of the bundle, spooled to its own gzip member on disk as records arrive. A gzip file
 * may hold several members back to back, so the final bundle is the members concatenated —
 * no record is ever held in memory or compressed twice.
 */
class Spool {
  readonly gzip: Gzip;
  readonly file: WriteStream;
  count = 0;
  readonly done: Promise<void>;

  constructor(readonly path: string) {
    this.gzip = createGzip({ level: 6 });
    this.file = createWriteStream(path, { flags: 'wx' });
    this.done = pipeline(this.gzip, this.file);
  }

  push(json: string): void {
    this.gzip.write(this.count++ === 0 ? json : ',' + json);
  }
}

/** The bundle's arrays, in the order they appear in the document. */
export const CATEGORIES = ['errors', 'performance_violations', 'circuit_breaker_events'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Writes `{"generated_at", "errors":[…], "performance_violations":[…], "circuit_breaker_events":[…], …tail}`
 * as gzip under a temporary name in the target folder, fsyncs it, and renames it into place.
 * Any failure removes every temporary file: a bundle exists complete or not at all.
 */
export class BundleWriter {
  private readonly spools: Record<Category, Spool>;
  private readonly temp: string;
  private failed: unknown;

  constructor(
    readonly finalPath: string,
    private readonly generatedAt: string,
  ) {
    const dir = path.dirname(finalPath);
    const base = `.${path.basename(finalPath)}.tmp-${process.pid}`;
    this.temp = path.join(dir, base);
    this.spools = Object.fromEntries(CATEGORIES.map((c) => [c, new Spool(path.join(dir, `${base}-${c}`))])) as Record<Category, Spool>;
    for (const s of Object.values(this.spools)) s.done.catch((e) => (this.failed ??= e));
  }

  /** Appends one element (already JSON) to a category. */
  add(category: Category, json: string): void {
    this.spools[category].push(json);
  }

  /** Elements written per category. */
  counts(): Record<Category, number> {
    return Object.fromEntries(CATEGORIES.map((c) => [c, this.spools[c].count])) as Record<Category, number>;
  }

  /** Resolves when the spools can take more (callers pause reading meanwhile). */
  drained(): Promise<void> | undefined {
    if (this.failed) return Promise.reject(this.failed);
    const busy = Object.values(this.spools).filter((s) => s.gzip.writableNeedDrain);
    if (busy.length === 0) return undefined;
    return Promise.all(busy.map((s) => new Promise<void>((res, rej) => {
      s.gzip.once('drain', res);
      s.done.catch(rej);
    }))).then(() => undefined);
  }

  /** Finishes the document with `tail` (the other top-level keys) and moves it into place. */
  async finish(tail: Record<string, unknown>): Promise<void> {
    for (const s of Object.values(this.spools)) s.gzip.end();
    await Promise.all(Object.values(this.spools).map((s) => s.done));
    if (this.failed) throw this.failed;
    const out = createWriteStream(this.temp, { flags: 'wx' });
    const opened = new Promise<void>((res, rej) => out.once('open', () => res()).once('error', rej));
    await opened;
    const write = (buf: Buffer) => new Promise<void>((res, rej) => out.write(buf, (e) => (e ? rej(e) : res())));
    const text = (s: string) => write(gzipSync(s));
    await text(`{"generated_at":${JSON.stringify(this.generatedAt)},`);
    for (const c of CATEGORIES) {
      await text(`${JSON.stringify(c)}:[`);
      await pipeline(createReadStream(this.spools[c].path), out, { end: false });
      await text('],');
    }
    const rest = JSON.stringify(tail);
    await text(rest.slice(1));
    await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
    const fd = await open(this.temp, 'r');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
    await rename(this.temp, this.finalPath);
    await this.cleanup(false);
  }

  /** Removes the temporary files (and the partial bundle). */
  async cleanup(includeTemp = true): Promise<void> {
    for (const s of Object.values(this.spools)) {
      s.gzip.destroy();
      s.file.destroy();
      await rm(s.path, { force: true });
    }
    if (includeTemp) await rm(this.temp, { force: true });
  }

  /** Synchronous last-resort cleanup for a signal. */
  cleanupSync(): string[] {
    return [this.temp, ...Object.values(this.spools).map((s) => s.path)];
  }
}
