import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Normalizer } from '../../../src/read/assemble.js';
import { readSources } from '../../../src/read/index.js';
import type { FileStats, JsonObject, LogRecord } from '../../../src/types.js';

/** A minimal normalizer so reader tests do not depend on the alias table. */
export const plainNormalizer: Normalizer = {
  fields: (o: JsonObject) => ({
    time: typeof o.time === 'string' ? Date.parse(o.time) : undefined,
    level: o.level === 'error' ? 'error' : o.level === 'info' ? 'info' : 'unknown',
    message: typeof o.msg === 'string' ? o.msg : typeof o.message === 'string' ? o.message : typeof o.log === 'string' ? o.log : undefined,
    ids: typeof o.id === 'string' ? [o.id] : [],
    durationMs: undefined,
    operation: undefined,
    service: undefined,
    component: undefined,
    eventType: undefined,
    errorType: undefined,
    errorMessage: undefined,
    stack: undefined,
  }),
  time: (v) => (typeof v === 'string' ? Date.parse(v) : undefined),
  level: (v) => (String(v).toLowerCase() === 'error' ? 'error' : 'info'),
};

/** A fresh temporary folder. */
export function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'logtool-read-'));
}

/** Writes a file into `dir` and returns its path. */
export function put(dir: string, name: string, data: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
}

/** Reads files with the plain normalizer; returns records, per-file stats and problems. */
export async function read(paths: string[], mustContain?: string[]): Promise<{ records: LogRecord[]; stats: FileStats[]; problems: string[] }> {
  const records: LogRecord[] = [];
  const problems: string[] = [];
  const stats = await readSources(
    paths.map((p) => ({ name: p, path: p })),
    { normalizer: plainNormalizer, onRecord: (r) => records.push(r), mustContain: mustContain?.map((s) => Buffer.from(s)) },
    (p) => problems.push(`${p.source}: ${p.message}`),
  );
  return { records, stats, problems };
}
