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
