import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNormalizer } from '../../../src/normalize/normalize.js';
import { buildFilter, type FilterSpec } from '../../../src/filter.js';
import { LEVEL_NAMES } from '../../../src/normalize/aliases.js';
import { openTable, readTable, type TableSource } from '../../../src/source/clickhouse/read.js';
import { connect } from '../../../src/source/clickhouse/connect.js';
import { parseTarget } from '../../../src/source/clickhouse/url.js';
import type { Level } from '../../../src/types.js';

/**
 * The SQL a `--from` read sends may only let through a superset of what the record filter keeps:
 * every combination of SeverityText (every level word the normalizer knows, in three cases, empty,
 * garbage), SeverityNumber (0–24) and a `level` attribute that overrules them, filtered with and
 * without the push-down, must give the same records.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'logtool-pushdown-'));
let table: TableSource;
/** The text of each record of the plain, unfiltered read, in order. */
const texts: string[] = [];

const OTEL_DDL = `CREATE TABLE otel_logs (
  Timestamp DateTime64(9), TraceId String, SpanId String, SeverityText LowCardinality(String), SeverityNumber UInt8,
  ServiceName LowCardinality(String), Body String,
  ResourceAttributes Map(LowCardinality(String), String), LogAttributes Map(LowCardinality(String), String)
) ENGINE = MergeTree ORDER BY (ServiceName, Timestamp)`;

beforeAll(async () => {
  const conn = await connect(parseTarget(`chdb:${dir}`), { create: true });
  await conn.command(OTEL_DDL);
  const words = [...Object.keys(LEVEL_NAMES).flatMap((w) => [w, w.toUpperCase(), w[0].toUpperCase() + w.slice(1)]), '', 'bogus', ' Error ', '50'];
  const rows = [];
  let i = 0;
  for (const text of words) {
    for (const num of [0, 1, 5, 9, 12, 13, 17, 21, 24]) {
      for (const attr of [undefined, 'error', 'info', 'WARN']) {
        i++;
        rows.push({
          Timestamp: `2024-01-15T10:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(9, '0')}Z`,
          TraceId: `t${i}`,
          SpanId: '',
          SeverityText: text,
          SeverityNumber: num,
          ServiceName: `svc${i % 3}`,
          Body: i % 7 === 0 ? `Circuit breaker opened after ${i} failures` : `message ${i}`,
          ResourceAttributes: {},
          LogAttributes: {
            request_id: `r${i}`,
            ...(attr === undefined ? {} : { level: attr }),
            ...(i % 11 === 0 ? { cascade_prevented: 'true' } : {}),
            ...(i % 13 === 0 ? { event_type: 'circuit_breaker_half_open' } : {}),
          },
        });
      }
    }
  }
  await conn.insert('otel_logs', rows);
  await conn.close();
  table = await openTable({ from: `chdb:${dir}` });
}, 60_000);

afterAll(async () => {
  await table?.conn.close();
  rmSync(dir, { recursive: true, force: true });
});

async function read(filter: FilterSpec, pushed: boolean, ids?: string[], errorsAt?: Level): Promise<string[]> {
  const before = process.env.LOGTOOL_NO_FAST_PATHS;
  if (pushed) delete process.env.LOGTOOL_NO_FAST_PATHS;
  else process.env.LOGTOOL_NO_FAST_PATHS = '1';
  try {
    const out: string[] = [];
    await readTable(table, {
      normalizer: createNormalizer(),
      wanted: { filter, ids, errorsAt },
      filter: buildFilter(filter),
      onRecord: (r) => {
        out.push(`${r.source} ${r.level}`);
        if (!pushed && !ids) texts.push(r.text);
      },
    });
    return out;
  } finally {
    if (before === undefined) delete process.env.LOGTOOL_NO_FAST_PATHS;
    else process.env.LOGTOOL_NO_FAST_PATHS = before;
  }
}

describe('--from an otel_logs table: pushed-down filters keep every record the plain read keeps', () => {
  it.each(['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as Level[])('--level %s', async (level) => {
    const plain = await read({ level, where: [] }, false);
    const pushed = await read({ level, where: [] }, true);
    expect(plain.length).toBeGreaterThan(0);
    expect(pushed).toEqual(plain);
  });

  it.each(['warn', 'error', 'fatal'] as Level[])('what errors reads at %s: records at the level, breaker events and cascade flags', async (level) => {
    const { errorsAnalysis } = await import('../../../src/analyze/errors.js');
    const all = await read({ where: [] }, false);
    const pushed = new Set(await read({ where: [] }, true, undefined, level));
    expect(pushed.size).toBeLessThan(all.length);
    // Every record errors counts (its level, a breaker event, a cascade flag) came back.
    const byLine = new Map<string, import('../../../src/types.js').LogRecord>();
    await readTable(table, { normalizer: createNormalizer(), wanted: { filter: { where: [] } }, onRecord: (r) => byLine.set(`${r.source} ${r.level}`, r) });
    const analysis = errorsAnalysis({ minLevel: level });
    for (const line of all) {
      const r = byLine.get(line)!;
      const state = analysis.init();
      analysis.add(state, r);
      const counted = state.total > 0 || state.breakers.length > 0 || state.cascadePrevented > 0;
      if (counted) expect(pushed.has(line), line).toBe(true);
    }
  });

  it('--since/--until on Timestamp, to the nanosecond', async () => {
    const since = Date.parse('2024-01-15T10:00:10Z') + 0.0000005;
    const until = Date.parse('2024-01-15T10:00:40.5Z');
    const plain = await read({ since, until, where: [] }, false);
    const pushed = await read({ since, until, where: [] }, true);
    expect(plain.length).toBeGreaterThan(0);
    expect(pushed).toEqual(plain);
  });

  it('trace ids, in any case, in an attribute or a column: every record holding one comes back', async () => {
    texts.length = 0;
    const all = await read({ where: [] }, false);
    for (const ids of [['r17'], ['T42'], ['R5', 't9'], ['nowhere']]) {
      const pushed = new Set(await read({ where: [] }, true, ids));
      const holding = all.filter((line, i) => ids.some((id) => new RegExp(`\\b${id}\\b`, 'i').test(texts[i])));
      for (const line of holding) expect(pushed.has(line)).toBe(true);
      expect(pushed.size).toBeLessThan(all.length);
    }
  });
});
