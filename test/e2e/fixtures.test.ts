import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeIncident } from '../../src/fixtures/generate.js';
import { writeQuirks } from '../../src/fixtures/quirks.js';
import { writeDedup } from '../../src/fixtures/dedup.js';
import { ROOT, runCli } from './cli.js';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe('shipped fixtures', () => {
  it('are exactly what the generator writes', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'logtool-fixtures-'));
    writeIncident(out);
    writeQuirks(out);
    writeDedup(out);
    const committed = path.join(ROOT, 'fixtures');
    const fresh = walk(out).map((p) => path.relative(out, p)).sort();
    for (const rel of fresh) {
      expect(readFileSync(path.join(out, rel)).equals(readFileSync(path.join(committed, rel))), rel).toBe(true);
    }
  });

  it('are counted by stats exactly as the manifests say', async () => {
    const r = await runCli(['stats', 'fixtures/incident', 'fixtures/quirks', '--json']);
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.stdout) as { files: { source: string; lines: number; records: number; continuation_lines: number; unparsed_lines: number }[] };
    const truth: Record<string, unknown> = {};
    for (const [dir, file] of [['incident', 'incident.manifest.json'], ['quirks', 'quirks.manifest.json']]) {
      const m = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', file), 'utf8')) as { files: Record<string, unknown> };
      for (const [k, v] of Object.entries(m.files)) truth[`fixtures/${dir}/${k}`] = v;
    }
    expect(stats.files.map((f) => f.source).sort()).toEqual(Object.keys(truth).sort());
    for (const f of stats.files) {
      const { source, lines, records, continuation_lines, unparsed_lines } = f;
      expect({ lines, records, continuation_lines, unparsed_lines }, source).toEqual(truth[source]);
    }
  });

  it('trace the featured request through four services and schemas, in time order', async () => {
    const m = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/incident.manifest.json'), 'utf8')) as { featured_id: string; featured_records: number };
    const r = await runCli(['trace', m.featured_id, 'fixtures/incident', '--json']);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as { records: { time: string; source: string }[]; summary: { services: string[]; first_error: { service: string } } };
    expect(t.records).toHaveLength(m.featured_records);
    expect(t.summary.services.length).toBeGreaterThanOrEqual(4);
    expect(new Set(t.records.map((x) => x.source.split('/')[2])).size).toBeGreaterThanOrEqual(4);
    const times = t.records.map((x) => Date.parse(x.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(t.summary.first_error.service).toBe('payment-service');
  });

  it('reports a truncated gzip file by name with exit 2 and keeps what it read', async () => {
    const r = await runCli(['stats', 'fixtures/broken/truncated.log.gz', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fixtures\/broken\/truncated\.log\.gz: truncated gzip/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
