import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './cli.js';

interface Planted {
  key: Record<string, string>;
  count: number;
  identical: boolean;
}

describe('dedup on the planted fixtures', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/dedup.manifest.json'), 'utf8')) as { planted: Planted[]; component_lines: number };

  it('finds exactly the planted duplicate events, and the copies across files', async () => {
    const r = await runCli(['dedup', 'fixtures/dedup', '--json']);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as {
      duplicates: { key: Record<string, string>; count: number }[];
      duplicate_events: number;
      exact_duplicates: { groups: number; records: number; examples: { cross_file: boolean }[] };
      records: number;
    };
    const got = res.duplicates.map((d) => JSON.stringify([d.key, d.count])).sort();
    const want = manifest.planted.map((p) => JSON.stringify([p.key, p.count])).sort();
    expect(got).toEqual(want);
    expect(res.duplicate_events).toBe(manifest.planted.reduce((a, p) => a + p.count - 1, 0));
    // Every component line is also in the system log: 2 × component lines, of which (lines − identical plants) are distinct.
    const identical = manifest.planted.filter((p) => p.identical).length;
    expect(res.exact_duplicates.records).toBe(manifest.component_lines + identical);
    expect(res.exact_duplicates.examples.every((e) => e.cross_file)).toBe(true);
  });

  it('gates CI with --fail-on and agrees with the counts', async () => {
    const bad = await runCli(['dedup', 'fixtures/dedup/component.log', '--fail-on', 'duplicates>0']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/fail-on: duplicates 14 > 0/);
    const clean = await runCli(['dedup', 'fixtures/incident', '--fail-on', 'duplicates>0', '--fail-on', 'exact>0']);
    expect(clean.code).toBe(0);
    const parse = await runCli(['dedup', 'fixtures/incident', '--fail-on', 'dupes>0']);
    expect(parse.code).toBe(2);
  });

  it('counts records missing a key field as skipped, and audits every event type on request', async () => {
    const r = await runCli(['dedup', 'fixtures/dedup/component.log', '--key', 'correlation_id,operation,event_type,missing_field', '--json']);
    const res = JSON.parse(r.stdout) as { keyed_records: number; skipped_records: number };
    expect(res.keyed_records).toBe(0);
    expect(res.skipped_records).toBeGreaterThan(0);
    const all = JSON.parse((await runCli(['dedup', 'fixtures/dedup/component.log', '--events', 'all', '--json'])).stdout) as { duplicates: { key: { event_type: string } }[] };
    expect(all.duplicates.some((d) => d.key.event_type === 'log')).toBe(true);
  });
});
