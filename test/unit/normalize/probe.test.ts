import { describe, expect, it } from 'vitest';
import { isBreakerEvent } from '../../../src/analyze/errors.js';
import { rawValue } from '../../../src/analyze/lib/field.js';
import { ALIASES } from '../../../src/normalize/aliases.js';
import { errorsLineFilters } from '../../../src/normalize/markers.js';
import { createNormalizer } from '../../../src/normalize/normalize.js';
import { parseFieldOverride } from '../../../src/normalize/overrides.js';
import { SAMPLES } from '../../../src/normalize/samples.js';
import { LEVEL_RANK, type Level, type LogRecord } from '../../../src/types.js';

/** What `errors` makes of a line when it parses it: whether the record can matter at all. */
function wanted(line: string, min: Level, fieldSpecs: string[] = []): boolean | 'not a record' {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(line);
  } catch {
    return 'not a record';
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return 'not a record';
  const n = createNormalizer({ overrides: fieldSpecs.map((f) => parseFieldOverride(f)) });
  const r = { ...n.fields(obj), raw: obj } as LogRecord;
  return isBreakerEvent(r) || rawValue(obj, 'cascade_prevented') === true || LEVEL_RANK[r.level] >= LEVEL_RANK[min];
}

function probeFor(min: Level, fieldSpecs: string[] = []) {
  const overrides = fieldSpecs.map((f) => parseFieldOverride(f));
  const probe = errorsLineFilters(overrides, min).lineSkip;
  return (line: string) => {
    const b = Buffer.from(line);
    return probe(b, 0, b.length);
  };
}

/** A small deterministic generator of JSON lines rich in the cases the probe must get right. */
function* lines(count: number, seed: number): Generator<string> {
  let s = seed;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const recase = (k: string) => (rnd() < 0.2 ? k.toUpperCase() : rnd() < 0.2 ? k[0].toUpperCase() + k.slice(1) : k);
  const levelKeys = [...ALIASES.level.map((a) => a.key), 'log.level'];
  const words = ['info', 'INFO', 'Information', 'debug', 'warn', 'WARNING', 'error', 'ERR', 'fatal', 'crit', 'notice', 'verbose', 'bogus', 'E', 'I', ' info ', '[error]'];
  const levelValue = () =>
    pick([
      () => JSON.stringify(pick(words)),
      () => String(pick([10, 20, 30, 40, 50, 60, 0, 2, 3, 4, 6, 7, 9, 13, 17, 21, 24, 99, -1, 1.5])),
      () => JSON.stringify(String(pick([30, 50, 3, 6]))),
      () => 'null',
      () => pick(['true', 'false', '{}', '[]', '{"a":1}']),
      () => '"\\u0045RROR"',
      () => '"inf\\"o"',
    ])();
  const message = () =>
    pick([
      () => JSON.stringify(pick(['ok', 'request done', 'Circuit Breaker opened', 'the CIRCUIT tripped', 'circuit_breaker', 'nothing here'])),
      () => '"\\u0063ircuit breaker open"',
      () => String(pick([1, 2.5])),
      () => pick(['null', '{"text":"circuit"}', '["circuit"]']),
    ])();
  const others = ['ts', 'time', '@t', 'host', 'pid', 'service', 'req_id', 'cascade_prevented', 'Cascade_Prevented', 'log', 'event', 'event.type', 'stream', 'ctx', 'größe', 's', 't', 'c', 'msg', 'status', 'EdgeResponseStatus', 'response', 'res', '@fields'];
  for (let n = 0; n < count; n++) {
    const members: string[] = [];
    const m = 1 + Math.floor(rnd() * 6);
    for (let k = 0; k < m; k++) {
      const kind = rnd();
      if (kind < 0.35) members.push(`${JSON.stringify(recase(pick(levelKeys)))}:${levelValue()}`);
      else if (kind < 0.55) members.push(`${JSON.stringify(recase(pick([...ALIASES.message, ...ALIASES.eventType].map((a) => a.key))))}:${message()}`);
      else if (kind < 0.65) members.push(`"log":${pick(['{"level":"error"}', '{"level":"info"}', '"{\\"level\\":50}\\n"'])}`);
      else if (kind < 0.75) members.push(`"ctx":{"level":"error","msg":"circuit","s":"a\\"b}"}`);
      else if (kind < 0.8) members.push(`"lev\\u0065l":"error"`);
      else members.push(`${JSON.stringify(pick(others))}:${pick(['true', '1', '"x"', '{"type":"circuit_breaker_opened"}', '[1,{"a":"}"}]', 'null', '"E"', '"W"', '"I"', '503', '404', '"500"', '{"status":502}', '{"statusCode":200}', '{"lvl":"error"}'])}`);
    }
    const sep = pick([',', ', ', ' ,\t']);
    yield `${pick(['{', '{ '])}${members.join(sep)}${pick(['}', ' }', '}\t'])}`;
  }
}

describe('errors line probe', () => {
  it('never skips a line whose record errors would use, over generated lines of every awkward shape', () => {
    for (const min of ['error', 'warn', 'fatal', 'info'] as Level[]) {
      const probe = probeFor(min);
      let skipped = 0;
      for (const line of lines(4000, 7 + LEVEL_RANK[min])) {
        if (!probe(line)) continue;
        skipped++;
        expect(wanted(line, min), `${min}: ${line}`).toBe(false);
      }
      // The probe must also pay: a good share of the lines below the level are skipped.
      expect(skipped, min).toBeGreaterThan(200);
    }
  });

  it('follows --field overrides of the level and message keys', () => {
    const fields = ['level=sev', 'message=text'];
    const probe = probeFor('error', fields);
    const cases = ['{"sev":"error","level":"info"}', '{"sev":"info","level":"error"}', '{"level":"info","text":"circuit breaker open"}', '{"sev":"debug"}'];
    for (const line of cases) if (probe(line)) expect(wanted(line, 'error', fields), line).toBe(false);
    expect(probe('{"sev":"error","level":"info"}')).toBe(false);
    expect(probe('{"sev":"info","level":"error"}')).toBe(true);
    expect(probe('{"level":"info","text":"circuit breaker open"}')).toBe(false);
    // A nested override: an object under its head may hold the deciding level.
    const nested = probeFor('error', ['level=meta.sev']);
    expect(wanted('{"level":"info","meta":{"sev":"error"}}', 'error', ['level=meta.sev'])).toBe(true);
    expect(nested('{"level":"info","meta":{"sev":"error"}}')).toBe(false);
    expect(nested('{"level":"info","meta":"plain"}')).toBe(true);
    // A level alias's head counts as a level key: CLEF's implicit level no longer applies.
    const atInfo = probeFor('info', ['level=meta.sev']);
    for (const line of ['{"@t":"2024-01-15T10:30:45Z","meta":"x"}', '{"@t":"2024-01-15T10:30:45Z"}', '{"@t":"2024-01-15T10:30:45Z","event":"x"}']) {
      expect(atInfo(line), line).toBe(wanted(line, 'info', ['level=meta.sev']) === false);
    }
  });

  it('skips the info lines of real loggers and keeps their errors', () => {
    const probe = probeFor('error');
    let skipped = 0;
    for (const s of SAMPLES) {
      const want = wanted(s.line, 'error');
      if (probe(s.line)) {
        skipped++;
        expect(want, s.logger).toBe(false);
      }
    }
    expect(skipped).toBeGreaterThan(3);
  });

  it.each([
    ['{"level":"info","msg":"ok"}', true],
    ['{"level":30,"msg":"ok"}', true],
    // A level key written twice, in any case, is left to the parser.
    ['{"Level":"INFO","level":"error"}', false],
    ['{"level":"info","level":"error"}', false],
    ['{"level":"info","msg":"Circuit breaker opened"}', false],
    ['{"level":"info","cascade_prevented":true}', false],
    ['{"level":"info","msg":"\\u0063ircuit"}', false],
    ['{"lvl":"info","level":"error"}', false],
    ['{"level":"bogus","severity":"ERROR"}', false],
    ['{"level":null,"severity":"info"}', true],
    ['{"log":"{\\"level\\":50}\\n","stream":"stdout"}', false],
    ['{"log":{"level":"error"}}', false],
    ['2024-01-15 10:30:45 INFO {"msg":"x"}', false],
    ['{"level":"info","msg":"ok"', false],
    ['{"@t":"2024-01-15T10:30:45Z","@mt":"hello"}', true],
  ])('%s → skip %s', (line, skip) => {
    expect(probeFor('error')(line)).toBe(skip);
    if (skip) expect(wanted(line, 'error')).toBe(false);
  });
});
