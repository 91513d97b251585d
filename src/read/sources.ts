import { stat } from 'node:fs/promises';
import path from 'node:path';

/** One input to read: a file path as the user named it (or as a glob expanded it), or stdin. */
export interface Source {
  /** The name used in `source` (`<name>:<line>`) and in messages. */
  name: string;
  /** Absolute or relative path on disk; undefined for stdin. */
  path?: string;
  stdin?: boolean;
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
  const seen = new Set<string>();
  const add = (names: string[]) => {
    for (const name of orderRotated(names)) {
      const key = path.resolve(name);
      if (seen.has(key)) continue;
      seen.add(key);
      sources.push({ name, path: name });
    }
  };
  for (const input of inputs) {
    if (input === '-') {
      sources.push({ name: '-', stdin: true });
      continue;
    }
    const st = await stat(input).catch((e: NodeJS.ErrnoException) => e);
    if (!(st instanceof Error)) {
      if (st.isDirectory()) {
        const { globby } = await loadGlobby();
        const files = await globby('**/*', { cwd: input, dot: false, onlyFiles: true, followSymbolicLinks: true });
        if (files.length === 0) problems.push({ name: input, message: 'directory holds no files' });
        add(files.sort().map((f) => path.join(input, f)));
      } else {
        add([input]);
      }
      continue;
    }
    // Only inputs that are not paths on disk may be patterns; plain files never load globby.
    const { globby, isDynamicPattern } = await loadGlobby();
    if (isDynamicPattern(input)) {
      const files = await globby(input, { onlyFiles: true, dot: false, followSymbolicLinks: true });
      if (files.length === 0) problems.push({ name: input, message: 'no files match this pattern' });
      add(files.sort());
      continue;
    }
    problems.push({ name: input, message: describeStatError(st) });
  }
  return { sources, problems };
}

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
