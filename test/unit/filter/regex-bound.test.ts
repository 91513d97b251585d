import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { buildFilter, matchWhere, parseWhere, unroll } from '../../../src/filter.js';
import { Random } from '../../../src/fixtures/random.js';
import { rec } from '../analyze/records.js';

const msg = (message: string) => rec({ message, level: 'error' });
const keeps = (where: string, message: string) => buildFilter({ where: [parseWhere(where)] })!(msg(message));

/** A random pattern of ordinary constructs: literals, classes, escapes, anchors, groups, alternation and small quantifiers. */
function pattern(r: Random, depth = 0): string {
  const atoms = ['a', 'b', 'c', '.', '[ab]', '[^a]', '[a-c]', '\\d', '\\w', '\\s', '\\W', 'x', '-', ' ', '\\.', '\\n', 'é', '[é-ö]'];
  const parts: string[] = [];
  for (let n = r.int(1, 4); n > 0; n--) {
    let atom = depth < 2 && r.chance(0.25) ? `(${r.chance(0.5) ? '?:' : ''}${pattern(r, depth + 1)}${r.chance(0.4) ? `|${pattern(r, depth + 1)}` : ''})` : r.pick(atoms);
    if (r.chance(0.4)) atom += r.pick(['*', '+', '?', '{2}', '{1,3}', '{0,}', '*?', '+?', '{2,}']);
    parts.push(atom);
  }
  if (depth === 0 && r.chance(0.2)) parts.unshift(r.pick(['^', '\\b']));
  if (depth === 0 && r.chance(0.2)) parts.push(r.pick(['$', '\\b', '\\B']));
  return parts.join('');
}

function text(r: Random): string {
  const chars = ['a', 'b', 'c', 'x', ' ', '-', '.', '1', '\n', 'A', 'é', 'ö', '_', '😀'];
  let s = '';
  for (let n = r.int(0, 24); n > 0; n--) s += r.pick(chars);
  return s;
}

describe('--where field~regex is bounded', () => {
  it('answers catastrophic patterns on long values at once, and right', { timeout: 60_000 }, () => {
    const long = 'a'.repeat(50_000);
    const cases: [string, string, boolean][] = [
      ['msg~^(a+)+$', long + 'b', false],
      ['msg~^(a+)+$', long, true],
      ['msg~(a|a)*b', long, false],
      ['msg~(a|a)*b', long + 'b', true],
      ['msg~^(a|aa)+$', long + '!', false],
      ['msg~(x+x+)+y', 'x'.repeat(50_000), false],
      ['msg~^(\\w+\\s?)*$', `${'word '.repeat(10_000)}!`, false],
      ['msg~^((a*)*)*$', long + 'b', false],
      ['msg~((a+)+)+c', long, false],
      ['msg~(.*a){16}', 'b'.repeat(50_000) + 'a'.repeat(15), false],
      ['msg~(.*a){16}', 'b'.repeat(50_000) + 'a'.repeat(16), true],
      ['msg~(.*a){20}', 'b'.repeat(50_000) + 'a'.repeat(19), false],
      ['msg~(.*a){20}', 'b'.repeat(50_000) + 'a'.repeat(20), true],
      ['msg~^(((((a+)+)+)+)+)+$', long + 'b', false],
      ['msg~(\\d{1,3}\\.){3}\\d{1,3}x', '1.'.repeat(20_000), false],
    ];
    for (const [where, value, want] of cases) expect([where, keeps(where, value)]).toEqual([where, want]);
  });

  it('matches as a plain RegExp does on ordinary patterns (linear engine against backtracking, with every flag --where may use)', () => {
    const r = new Random(5);
    let compared = 0;
    let matched = 0;
    let unrolled = 0;
    for (let k = 0; k < 1500; k++) {
      const p = pattern(r);
      // White space right after `~` is not part of the value.
      if (/^\s/.test(p)) continue;
      try {
        new RegExp(p);
      } catch {
        continue;
      }
      // What --where compiles (white space after `~` is not part of the value), and the same
      // pattern forced through the linear-time engine.
      const clause = parseWhere(`msg~${p}`);
      const asGiven = new RegExp(clause.value);
      for (const flags of ['', 'm', 's']) {
        let linear: RegExp;
        try {
          linear = new RegExp(p, `${flags}l`);
        } catch {
          // Repetition counts the engine refuses: the unrolled pattern, as --where runs it.
          linear = new RegExp(unroll(p)!, `${flags}l`);
          unrolled++;
        }
        const backtracking = new RegExp(p, flags);
        for (let t = 0; t < 8; t++) {
          const s = text(r);
          const want = backtracking.test(s);
          expect([p, flags, s, linear.test(s)]).toEqual([p, flags, s, want]);
          if (flags === '') expect([p, s, matchWhere(msg(s), clause)]).toEqual([p, s, asGiven.test(s)]);
          compared++;
          if (want) matched++;
        }
      }
    }
    expect(compared).toBeGreaterThan(20_000);
    expect(unrolled).toBeGreaterThan(5);
    // Both answers occur often: the comparison is not one of mostly empty results.
    expect(matched).toBeGreaterThan(compared / 10);
    expect(matched).toBeLessThan(compared * 0.9);
  });

  it('keeps anchors, classes, unicode and case exactly', () => {
    expect(keeps('msg~^timeout$', 'timeout')).toBe(true);
    expect(keeps('msg~^timeout$', 'a timeout')).toBe(false);
    expect(keeps('msg~Timeout', 'timeout')).toBe(false);
    expect(keeps('msg~[Tt]imeout', 'Timeout')).toBe(true);
    expect(keeps('msg~caf[é]', 'café au lait')).toBe(true);
    expect(keeps('msg~^.$', '😀')).toBe(false);
    expect(keeps('msg~^..$', '😀')).toBe(true);
    expect(keeps('msg~\\bid=\\d{3}\\b', 'user id=123 ok')).toBe(true);
    expect(keeps('msg~\\bid=\\d{3}\\b', 'user id=1234 ok')).toBe(false);
    expect(keeps('msg~a.b', 'a\nb')).toBe(false);
  });

  it('compares levels in any case, matched once per level word', () => {
    const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown'] as const;
    const kept = (where: string) => levels.filter((level) => matchWhere(rec({ level }), parseWhere(where)));
    expect(kept('level~ERR|fat')).toEqual(['error', 'fatal']);
    expect(kept('level~^(w|W)+(a+)+.*$')).toEqual(['warn']);
    expect(kept('level~(?=e)')).toEqual(['trace', 'debug', 'error']);
  });

  it('refuses, at parse, patterns the linear-time engine cannot run, with the reason', () => {
    for (const p of ['(a+)\\1', '(?<x>a)\\k<x>', 'a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b', '(a{100}){300}']) {
      expect(() => parseWhere(`msg~${p}`)).toThrow(UsageError);
      expect(() => parseWhere(`msg~${p}`)).toThrow(/a backreference or a lookahead\/lookbehind\), or is too large/);
    }
    // Counted repetitions are written out, not refused.
    expect(keeps('msg~^a{17}$', 'a'.repeat(17))).toBe(true);
    expect(keeps('msg~^a{17}$', 'a'.repeat(16))).toBe(false);
    expect(keeps('msg~^(ab){2,40}$', 'ab'.repeat(41))).toBe(false);
    expect(() => parseWhere('msg~(a')).toThrow(/invalid regular expression/);
  });
});
