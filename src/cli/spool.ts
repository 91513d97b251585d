import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
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

/** spoolStdin, and the same for inputs that are streams (a FIFO, a process substitution): each is read once, into a temporary file. */
export async function spoolStreams(sources: Source[]): Promise<() => void> {
  const removes = [await spoolStdin(sources)];
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i];
    if (!s.stream || !s.path) continue;
    const dir = mkdtempSync(path.join(tmpdir(), 'logtool-stream-'));
    removes.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'stream');
    await pipeline(createReadStream(s.path), createWriteStream(file));
    sources[i] = { name: s.name, path: file };
  }
  return () => removes.forEach((r) => r());
}
