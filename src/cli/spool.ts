import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Source } from '../read/index.js';

/**
 * Copies stdin to a temporary file and names that file in its place (keeping the name `-`), so
 * a command that reads its inputs twice (`errors --annotate`, `--relative-to last`) sees the same
 * bytes both times. Memory stays bounded whatever the input size; the returned function
 * removes the copy.
 */
export async function spoolStdin(sources: Source[]): Promise<() => void> {
  const at = sources.findIndex((s) => s.stdin);
  if (at < 0) return () => undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'logtool-stdin-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const file = path.join(dir, 'stdin');
  try {
    await pipeline(process.stdin, createWriteStream(file));
  } catch (e) {
    remove();
    throw e;
  }
  sources[at] = { name: sources[at].name, path: file };
  return remove;
}
