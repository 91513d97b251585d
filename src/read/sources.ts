import * as fs from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** One input to read: a file path as the user named it (or as a glob expanded it), or stdin. */
export interface Source {
  /** The name used in `source` (`<name>:<line>`) and in messages. */
  name: string;
  /** Absolute or relative path on disk; undefined for stdin. */
  path?: string;
  stdin?: boolean;
  /** Not a regular file (a FIFO, a device, a process substitution): read in order, once, never split. */
  stream?: boolean;
  /** A stream's first bytes as read (STREAM_HEAD_KEPT at most), for a later sample of its head. */
  kept?: Buffer;
}

/** An input that could not be resolved, reported on stderr without stopping the others. */
export interface SourceProblem {
  name: string;
  message: string;
}

/**
 * Expands the command-line inputs: `-` is stdin; directories are read recursively; glob
 * patterns are expanded here (so quoted patterns work); rotated siblings come oldest first.
 */
export async function resolveSources(
  inputs: string[],
  stdinIsPipe: boolean,
): Promise<{ sources: Source[]; problems: SourceProblem[] }> {
  const sources: Source[] = [];
  const problems: SourceProblem[] = [];
  if (inputs.length === 0) {
    if (stdinIsPipe) sources.push({ name: '-', stdin: true });
    return { sources, problems };
  }
  // Each real file once, under the first name that reaches it (by device and inode).
  const seen = new Set<string>();
  const add = async (names: string[]) => {
    for (const name of orderRotated(names)) {
      const st = await stat(name).catch(() => undefined);
      const key = st ? `${st.dev}:${st.ino}` : path.resolve(name);
      if (seen.has(key)) continue;
      seen.add(key);
      sources.push({ name, path: name, ...(st && !st.isFile() ? { stream: true } : {}) });
    }
  };
  for (const input of inputs) {
    // `/dev/stdin` is read as stdin itself: reopening it would wait for a writer when it is a
    // FIFO whose writer already finished.
    if (input === '-' || STDIN_NAMES.has(input)) {
      sources.push({ name: input, stdin: true });
      continue;
    }
    const st = await stat(input).catch((e: NodeJS.ErrnoException) => e);
    if (!(st instanceof Error)) {
      if (st.isDirectory()) {
        const files = await walkDirectory(input);
        if (files.length === 0) problems.push({ name: input, message: 'directory holds no files' });
        await add(files);
      } else {
        await add([input]);
      }
      continue;
    }
    // Only inputs that are not paths on disk may be patterns; plain files never load globby.
    const { isDynamicPattern } = await loadGlobby();
    if (isDynamicPattern(input)) {
      const files = await expandPattern(input);
      if (files.length === 0) problems.push({ name: input, message: 'no files match this pattern' });
      await add(files);
      continue;
    }
    problems.push({ name: input, message: describeStatError(st) });
  }
  return { sources, problems };
}

/**
 * The files under a directory (recursively, sorted, hidden names left out), following symbolic
 * links to directories but reading each real directory once (by device and inode): a link
 * back up the tree (`loop/up -> ..`) or to itself (`self -> .`) ends there. Real directories are
 * walked before linked ones, so a file is named by its real path when it has one in the tree.
 */
export async function walkDirectory(root: string): Promise<string[]> {
  const seen = new Set<string>();
  const files: string[] = [];
  const linked: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const st = await stat(dir).catch(() => undefined);
    if (!st?.isDirectory()) return;
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return;
    seen.add(key);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) files.push(full);
      else if (e.isSymbolicLink()) {
        const target = await stat(full).catch(() => undefined);
        if (target?.isDirectory()) linked.push(full);
        else if (target?.isFile()) files.push(full);
      }
    }
  };
  await walk(root);
  for (let i = 0; i < linked.length; i++) await walk(linked[i]);
  const rel = files.map((f) => path.relative(root, f)).sort();
  return rel.map((f) => path.join(root, f));
}

/**
 * The files a glob pattern matches (sorted), following symbolic links to directories but
 * listing each real directory once: the walk is given a `readdir` that answers nothing for a
 * directory already listed, so a link loop ends instead of running until paths grow too long.
 */
export async function expandPattern(pattern: string): Promise<string[]> {
  const { globby } = await loadGlobby();
  const seen = new Set<string>();
  type Callback = (e: NodeJS.ErrnoException | null, entries?: unknown) => void;
  const once = (dir: fs.PathLike, options: unknown, cb: Callback) => {
    fs.stat(dir, (e, st) => {
      if (!e) {
        const key = `${st.dev}:${st.ino}`;
        if (seen.has(key)) return cb(null, []);
        seen.add(key);
      }
      (fs.readdir as unknown as (d: fs.PathLike, o: unknown, c: Callback) => void)(dir, options, cb);
    });
  };
  const files = await globby(pattern, { onlyFiles: true, dot: false, followSymbolicLinks: true, fs: { ...fs, readdir: once as unknown as typeof fs.readdir } });
  return files.sort();
}

const STDIN_NAMES = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

/** globby takes a noticeable share of start-up to load: only walks and patterns pay for it. */
function loadGlobby(): Promise<typeof import('globby')> {
  return import('globby');
}

function describeStatError(e: NodeJS.ErrnoException): string {
  if (e.code === 'ENOENT') return 'no such file or directory';
  if (e.code === 'EACCES') return 'permission denied';
  return e.message;
}

const ROTATION = /^(.*?)(?:\.(\d+)|[.-](\d{4}-?\d{2}-?\d{2}(?:[-_T]?\d{2,6})?))?(\.gz)?$/;

/**
 * Orders a list so that rotated siblings of one log (`app.log.2.gz`, `app.log.1`, `app.log`,
 * or date-suffixed `app.log-20240115`) are read oldest first; unrelated files keep their order.
 */
export function orderRotated(names: string[]): string[] {
  const groups = new Map<string, { name: string; rank: [number, number, string]; pos: number }[]>();
  const order: string[] = [];
  names.forEach((name, pos) => {
    const m = ROTATION.exec(name);
    const base = m ? m[1] : name;
    let rank: [number, number, string];
    if (m && m[2] !== undefined) rank = [0, -Number(m[2]), ''];
    else if (m && m[3] !== undefined) rank = [1, 0, m[3]];
    else rank = [2, 0, ''];
    if (!groups.has(base)) {
      groups.set(base, []);
      order.push(base);
    }
    groups.get(base)!.push({ name, rank, pos });
  });
  const out: string[] = [];
  for (const base of order) {
    const g = groups.get(base)!;
    g.sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2].localeCompare(b.rank[2]) || a.pos - b.pos);
    for (const e of g) out.push(e.name);
  }
  return out;
}
