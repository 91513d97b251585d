import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAwkward } from '../../src/fixtures/awkward.js';
import { runCli } from './cli.js';

/** Messages the miner generalizes late: looking them up after mining used to miss a fifth of them. */
function patterns(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'logtool-annotate-'));
  return writeAwkward(dir).find((f) => f.endsWith('patterns.log'))!;
}

const count = (stdout: string) => stdout.split('\n').filter((l) => l !== '').length;

describe('errors --annotate', () => {
  it('names every counted record once, with the pattern --json counts it under', async () => {
    const file = patterns();
    const json = JSON.parse((await runCli(['errors', file, '--json'])).stdout) as { total: number; clusters: { id: string; count: number }[] };
    const annotated = (await runCli(['errors', file, '--annotate'])).stdout;
    expect(count(annotated)).toBe(json.total);
    const per: Record<string, number> = {};
    const sources = new Set<string>();
    for (const l of annotated.trim().split('\n')) {
      const a = JSON.parse(l) as { source: string; cluster: string };
      per[a.cluster] = (per[a.cluster] ?? 0) + 1;
      sources.add(a.source);
    }
    expect(sources.size).toBe(json.total);
    expect(per).toEqual(Object.fromEntries(json.clusters.map((c) => [c.id, c.count])));
  });

  it('names every record read from stdin too', async () => {
    const file = patterns();
    const total = JSON.parse((await runCli(['errors', file, '--json'])).stdout).total as number;
    const res = await runCli(['errors', '--annotate'], { stdin: readFileSync(file) });
    expect(res.code).toBe(0);
    expect(count(res.stdout)).toBe(total);
  });

  it('names, for stdin, the final pattern --json reports (not the one a line first joined)', async () => {
    // The first line alone is its own template; later lines generalize it to `connection to <*> …`.
    const lines = ['alpha', 'beta', 'gamma', 'delta'].map((host, i) => JSON.stringify({ timestamp: `2024-01-01T00:00:0${i}Z`, level: 'error', message: `connection to ${host} refused by server` }));
    const stdin = Buffer.from(`${lines.join('\n')}\n`);
    const json = JSON.parse((await runCli(['errors', '--json'], { stdin })).stdout) as { clusters: { id: string; count: number }[] };
    const res = await runCli(['errors', '--annotate'], { stdin });
    expect(res.code).toBe(0);
    const ids = res.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { cluster: string }).cluster);
    expect(json.clusters).toHaveLength(1);
    expect(ids).toEqual(lines.map(() => json.clusters[0].id));
  });
});
