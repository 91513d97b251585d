import { describe, expect, it } from 'vitest';
import { buildFilter, parseLevelOption, parseWhere } from '../../../src/filter.js';
import type { Level } from '../../../src/types.js';
import { rec } from '../analyze/records.js';

const LEVELS: Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown'];
const records = LEVELS.map((level) => rec({ level }));
const kept = (where: string[], level?: Level) => records.filter(buildFilter({ level, where: where.map(parseWhere) })!).map((r) => r.level);

describe('level filters', () => {
  it.each([
    ['level=ERROR', ['error']],
    ['level=error', ['error']],
    ['level=Err', ['error']],
    ['level=WARNING', ['warn']],
    ['level=crit', ['fatal']],
    ['level=E', ['error']],
    ['LEVEL=Info', ['info']],
    ['level=unknown', ['unknown']],
    ['level!=ERROR', ['trace', 'debug', 'info', 'warn', 'fatal', 'unknown']],
    ['level!=Warning', ['trace', 'debug', 'info', 'error', 'fatal', 'unknown']],
    ['level~ERR|FAT', ['error', 'fatal']],
    ['level=nonsense', []],
  ])('--where %s keeps %j, whatever the case or spelling', (where, want) => {
    expect(kept([where])).toEqual(want);
  });

  it.each([
    ['ERROR', 'error'],
    ['Warning', 'warn'],
    ['WARN', 'warn'],
    ['err', 'error'],
    ['Crit', 'fatal'],
    ['DEBUG', 'debug'],
  ])('--level %s is %s', (text, level) => {
    expect(parseLevelOption(text)).toBe(level);
  });

  it('refuses a --level that names no level, and numbers (30 is info for pino, unknown for syslog)', () => {
    expect(() => parseLevelOption('loud')).toThrow(/expected one of/);
    expect(() => parseLevelOption('30')).toThrow(/expected one of/);
    expect(() => parseLevelOption('unknown')).toThrow(/expected one of/);
  });
});
