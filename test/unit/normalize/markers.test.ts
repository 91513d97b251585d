import { describe, expect, it } from 'vitest';
import { parseLevel } from '../../../src/normalize/level.js';
import { errorsLineTest, levelLineTest } from '../../../src/normalize/markers.js';
import { createNormalizer } from '../../../src/normalize/normalize.js';
import { SAMPLES } from '../../../src/normalize/samples.js';
import { LEVEL_RANK } from '../../../src/types.js';

describe('level line test', () => {
  it('lets through every sample line whose level is error or above', () => {
    const n = createNormalizer();
    const test = levelLineTest('error');
    for (const s of SAMPLES) {
      const level = n.fields(JSON.parse(s.line)).level;
      if (LEVEL_RANK[level] >= LEVEL_RANK.error) expect(test.test(s.line), s.logger).toBe(true);
    }
  });

  it.each([
    ['{"level":50}', 'error'],
    ['{"level": 60}', 'fatal'],
    ['{"log":"{\\"level\\":50,\\"msg\\":\\"x\\"}\\n","stream":"stdout"}', 'error'],
    ['{"severityNumber":18}', 'error'],
    ['{"PRIORITY":"2"}', 'fatal'],
    ['{"level":3,"short_message":"gelf"}', 'error'],
    ['{"lvl":"E"}', 'error'],
    ['{"@l":"Fatal"}', 'fatal'],
    ['2024-01-15 10:30:45 CRITICAL {"msg":"x"}', 'fatal'],
    ['{"level":"warning"}', 'warn'],
    ['{"level":40}', 'warn'],
  ])('passes %s at %s', (line, level) => {
    expect(levelLineTest(level as 'error').test(line)).toBe(true);
    expect(parseLevel(level)).toBe(level);
  });

  it('skips plain info lines, and keeps breaker events and cascade flags for errors', () => {
    expect(levelLineTest('error').test('{"level":"info","msg":"ok","ms":50}')).toBe(false);
    expect(levelLineTest('error').test('{"level":30,"msg":"ok"}')).toBe(false);
    expect(levelLineTest('error').test('{"level":"warning"}')).toBe(false);
    expect(errorsLineTest('error').test('{"level":"info","event_type":"circuit_breaker_opened"}')).toBe(true);
    expect(errorsLineTest('error').test('{"level":"info","cascade_prevented":true}')).toBe(true);
  });
});

describe('level line test: every form the normalizer reads', () => {
  it.each([
    ['{"severity":50}', 'error'],
    ['{"level":100}', 'fatal'],
    ['{"level":4e1}', 'warn'],
    ['{"level":-0}', 'fatal'],
    ['{"level":"E_R_R"}', 'error'],
    ['{"level":"[E]"}', 'error'],
    ['{"level":"CRİT"}', 'fatal'],
    ['{"level":"W A R N"}', 'warn'],
    ['{"level":" 50 "}', 'error'],
    ['{"level":"ERR\\n"}', 'error'],
    ['{"level":"\\u0045RROR"}', 'error'],
    ['{"le\\u0076el":"error"}', 'error'],
    ['{"log":"{\\"level\\":\\"ERR\\\\n\\"}\\n","stream":"stdout"}', 'error'],
    ['{"Log":{"Level":"Fatal"}}', 'fatal'],
  ])('passes %s at %s', (line, level) => {
    const n = createNormalizer();
    const parsed = JSON.parse(line) as Record<string, unknown>;
    const inner = typeof parsed.log === 'string' ? (JSON.parse(parsed.log) as Record<string, unknown>) : parsed;
    // The line really holds a record at that level (unescaped keys), and the test lets it through.
    if (!line.includes('\\u0076')) expect(n.fields(inner).level).toBe(level);
    expect(levelLineTest(level as 'error').test(line)).toBe(true);
  });

  it('passes every line at or below info: no marker tells an info record', () => {
    expect(levelLineTest('info').test('{"level":"info","msg":"ok"}')).toBe(true);
    expect(levelLineTest('trace').test('{"msg":"no level"}')).toBe(true);
  });

  it('passes every generated awkward line whose record is at the level or above', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { writeAwkward } = await import('../../../src/fixtures/awkward.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'logtool-markers-'));
    const lines = readFileSync(writeAwkward(dir)[0], 'utf8').replace(/^\uFEFF/, '').split('\n');
    const n = createNormalizer();
    let wanted = 0;
    for (const min of ['warn', 'error', 'fatal'] as const) {
      const test = levelLineTest(min);
      for (const line of lines) {
        if (!line.startsWith('{') || !line.endsWith('}')) continue;
        const level = n.fields(JSON.parse(line)).level;
        if (LEVEL_RANK[level] < LEVEL_RANK[min]) continue;
        wanted++;
        expect(test.test(line), `${min}: ${line}`).toBe(true);
      }
    }
    expect(wanted).toBeGreaterThan(100);
  });
});
