import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../../src/read/bytes.js';
import { BIN, ROOT, runCli } from './cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'logtool-annotate-grow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (i: number, message: string) => JSON.stringify({ timestamp: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(), level: 'error', message });

interface Annotation {
  source: string;
  cluster: string;
}

/**
 * Runs `errors --annotate a b` while `a` is a live log: once the second pass has started
 * writing (the first pass writes nothing), the output is left unread so that the reader pauses
 * inside `a`, whose first chunk alone gives more output than a pipe holds; then `a` grows.
 */
function annotateWhileGrowing(a: string, b: string, grow: () => void): Promise<Annotation[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'errors', '--annotate', a, b], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const parts: Buffer[] = [];
    child.stdout.once('data', (d: Buffer) => {
      parts.push(d);
      child.stdout.pause();
      setTimeout(() => {
        grow();
        child.stdout.on('data', (more: Buffer) => parts.push(more));
        child.stdout.resume();
      }, 300);
    });
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(parts).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Annotation)));
  });
}

describe('errors --annotate on an input that grows between its two passes', () => {
  it('leaves the new records unnamed and names every record of the next input with its own pattern', async () => {
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.jsonl');
    // More than one read chunk, so the second pass is still inside `a` when it waits for stdout.
    const aLines: string[] = [];
    for (let i = 0, size = 0; size < CHUNK_SIZE * 1.5; i++) {
      aLines.push(line(i, `disk full on volume ${i % 7}`));
      size += aLines[aLines.length - 1].length + 1;
    }
    writeFileSync(a, aLines.join('\n') + '\n');
    const bLines = Array.from({ length: 50 }, (_, i) => line(i, `connection refused by host${i % 3}.internal after retries`));
    writeFileSync(b, bLines.join('\n') + '\n');
    const json = JSON.parse((await runCli(['errors', b, '--json'])).stdout) as { clusters: { id: string; template: string }[] };
    expect(json.clusters).toHaveLength(1);

    const out = await annotateWhileGrowing(a, b, () => appendFileSync(a, Array.from({ length: 20 }, (_, i) => line(i, 'a brand new failure kind')).join('\n') + '\n'));
    const fromB = out.filter((x) => x.source.startsWith(`${b}:`));
    expect(out.filter((x) => x.source.startsWith(`${a}:`))).toHaveLength(aLines.length);
    expect(fromB.map((x) => x.source)).toEqual(bLines.map((_, i) => `${b}:${i + 1}`));
    expect(new Set(fromB.map((x) => x.cluster))).toEqual(new Set([json.clusters[0].id]));
  }, 120_000);
});
