import { createWriteStream, readdirSync, rmSync, type WriteStream } from 'node:fs';
import { link, open, rename, rm, stat, unlink } from 'node:fs/promises';
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

/** Hidden work files of a bundle: `.<bundle>.tmp-<pid>` and its spools `.<bundle>.tmp-<pid>-<category>`. */
const WORK_FILE = /^\.(.+\.json\.gz)\.tmp-(\d+)(?:-[a-z_]+)?$/;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists (another user's); only ESRCH says it is gone.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the work files a killed run (`kill -9`, a crash, a power cut) left in `dir`: those whose
 * pid is not a live process. A live run's files are never touched. Returns the names removed.
 */
export function removeStaleWork(dir: string, prefix: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = WORK_FILE.exec(name);
    if (!m || !m[1].startsWith(prefix) || alive(Number(m[2]))) continue;
    try {
      rmSync(path.join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // Not ours to remove (permissions): left alone.
    }
  }
  return removed;
}

/** `name.json.gz`, then `name-2.json.gz`, `name-3.json.gz`… */
function candidate(finalPath: string, n: number): string {
  if (n === 1) return finalPath;
  return finalPath.replace(/(\.json\.gz)?$/, (ext) => `-${n}${ext}`);
}

/**
 * Writes `{"generated_at", "errors":[…], "performance_violations":[…], "circuit_breaker_events":[…], …tail}`
 * as gzip under a temporary name in the target folder, fsyncs it, and links it into place under a
 * name no other bundle has (`-2`, `-3`… when taken: never overwritten). Any failure removes every
 * temporary file: a bundle exists complete or not at all.
 */
export class BundleWriter {
  private readonly spools: Record<Category, Spool>;
  private readonly temp: string;
  private failed: unknown;

  /** The bundle's name once `finish` placed it (a suffix is added when the first choice was taken). */
  finalPath: string;

  constructor(
    finalPath: string,
    private readonly generatedAt: string,
  ) {
    this.finalPath = finalPath;
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
    this.finalPath = await this.place();
    await this.cleanup();
  }

  /**
   * Gives the complete temporary file its final name without replacing anything: link() fails
   * with EEXIST where rename() would silently overwrite another run's bundle of the same moment.
   */
  private async place(): Promise<string> {
    for (let n = 1; n < 10_000; n++) {
      const target = candidate(this.finalPath, n);
      try {
        await link(this.temp, target);
        await unlink(this.temp);
        await syncDir(path.dirname(target));
        return target;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
        // A filesystem without hard links: rename onto a name seen free (a narrower race, never a partial file).
        if (await exists(target)) continue;
        await rename(this.temp, target);
        return target;
      }
    }
    throw new Error(`${this.finalPath}: no free bundle name`);
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

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Makes the new directory entry durable (best effort: not every filesystem allows it). */
async function syncDir(dir: string): Promise<void> {
  try {
    const fd = await open(dir, 'r');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
  } catch {
    // Best effort.
  }
}
