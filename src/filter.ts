import v8 from 'node:v8';
import parseDuration from 'parse-duration';
import { fieldValue } from './analyze/lib/field.js';
import { UsageError } from './errors.js';
import { parseLevel } from './normalize/level.js';
import { LEVEL_RANK, type Level, type LogRecord } from './types.js';

/** One `--where` condition. */
export interface WhereClause {
  field: string;
  op: '=' | '!=' | '~' | '>' | '<' | '>=' | '<=';
  value: string;
  regex?: RegExp;
  /** For `level~`: the levels the pattern matches (levels are a fixed set of words, matched once here). */
  levels?: ReadonlySet<Level>;
  number?: number;
  /** For `level=`/`level!=`: the normalized level the value names (`ERROR`, `Warning`, `err`, `E`). */
  level?: Level;
}

/*
 * A `~` pattern runs on whole lines, so a backtracking pattern such as `^(a+)+$` could stall a
 * run on one long line. V8's own linear-time engine bounds it, process-wide (worker threads
 * share the flags): a match that backtracks too much is rerun in that engine, and the `l` flag
 * says at parse time whether a pattern can run there at all. Set before any pattern is compiled.
 */
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
v8.setFlagsFromString('--enable-experimental-regexp-engine');

/** Whether this V8 has the linear-time engine (the `l` flag compiles). */
const LINEAR_ENGINE = ((): boolean => {
  try {
    new RegExp('a', 'l');
    return true;
  } catch {
    return false;
  }
})();

/** Every value a record's level takes. */
const ALL_LEVELS: Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown'];

/**
 * A `~` pattern whose every match is bounded: compiled as usual (backtracking, fast on ordinary
 * input) once the linear-time engine has said it can take over when backtracking explodes. A
 * pattern that engine cannot run (backreferences, lookarounds; counted repetitions are written
 * out for it) is a usage error: it could stall the run, and a match not made is never silently
 * a non-match.
 */
function boundedRegex(where: string, source: string): RegExp {
  let re: RegExp;
  try {
    re = new RegExp(source);
  } catch (e) {
    throw new UsageError(`--where '${where}': invalid regular expression: ${(e as Error).message}`);
  }
  if (!LINEAR_ENGINE) return re;
  try {
    new RegExp(source, 'l');
    return re;
  } catch {
    // The engine limits repetition counts (`{20}`, nested `+`): the same pattern with its counted
    // repetitions written out matches the same lines, and may run there.
    const unrolled = unroll(source);
    try {
      if (unrolled !== undefined) {
        new RegExp(unrolled, 'l');
        return new RegExp(unrolled);
      }
    } catch {
      // Refused below.
    }
    throw new UsageError(
      `--where '${where}': this pattern needs a backtracking match (a backreference or a lookahead/lookbehind), or is too large once its repetition counts are written out; such a match can stall on a long line, and --where takes patterns that match in linear time`,
    );
  }
}

/** Unrolled patterns longer than this are refused: the engine's work grows with the pattern. */
const MAX_UNROLLED = 20_000;

/**
 * `source` with every counted repetition (`X{n,m}`, `X+`) written out with only `*` and `?`
 * (`X{2,3}` → `XXX?`, `X+` → `XX*`), its groups made non-capturing: a pattern that matches
 * exactly the same strings, for patterns without backreferences or lookarounds (undefined for
 * those, for legacy octal escapes, and when the result is too long).
 */
export function unroll(source: string): string | undefined {
  let i = 0;
  const fail = () => {
    throw new RangeError('not unrolled');
  };
  /** One alternative list up to `)` or the end. */
  const alternatives = (): string => {
    const out = [sequence()];
    while (source[i] === '|') {
      i++;
      out.push(sequence());
    }
    return out.join('|');
  };
  const sequence = (): string => {
    let out = '';
    while (i < source.length && source[i] !== '|' && source[i] !== ')') {
      const a = atom();
      const q = quantifier();
      out += q ? repeat(a, q) : a;
      if (out.length > MAX_UNROLLED) fail();
    }
    return out;
  };
  const atom = (): string => {
    const c = source[i];
    if (c === '(') {
      i++;
      if (source.startsWith('?:', i)) i += 2;
      else if (source.startsWith('?<', i) && source[i + 2] !== '=' && source[i + 2] !== '!') {
        const close = source.indexOf('>', i);
        if (close === -1) fail();
        i = close + 1;
      } else if (source[i] === '?') fail();
      const inner = alternatives();
      if (source[i] !== ')') fail();
      i++;
      return `(?:${inner})`;
    }
    if (c === '[') {
      const from = i++;
      if (source[i] === '^') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      if (i >= source.length) fail();
      i++;
      return source.slice(from, i);
    }
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      if (/[1-9k]/.test(e) || (e === '0' && /[0-9]/.test(source[i + 2] ?? ''))) fail();
      const len = e === 'x' && /^[0-9a-f]{2}/i.test(source.slice(i + 2)) ? 4 : e === 'u' && /^[0-9a-f]{4}/i.test(source.slice(i + 2)) ? 6 : e === 'c' && /[a-z]/i.test(source[i + 2] ?? '') ? 3 : 2;
      const text = source.slice(i, i + len);
      i += len;
      return text;
    }
    i++;
    return c;
  };
  const quantifier = (): { min: number; max: number; lazy: string } | undefined => {
    const c = source[i];
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      i++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(source.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    } else return undefined;
    const lazy = source[i] === '?' ? (i++, '?') : '';
    return { min, max, lazy };
  };
  const repeat = (a: string, q: { min: number; max: number; lazy: string }): string => {
    const unit = a.length === 1 || a.startsWith('(') || a.startsWith('[') || a.startsWith('\\') ? a : `(?:${a})`;
    if (q.min * unit.length > MAX_UNROLLED || (q.max !== Infinity && q.max * unit.length > MAX_UNROLLED)) fail();
    let out = unit.repeat(q.min);
    if (q.max === Infinity) out += `${unit}*${q.lazy}`;
    else out += `${unit}?${q.lazy}`.repeat(q.max - q.min);
    return out;
  };
  try {
    const out = alternatives();
    return i === source.length ? out : undefined;
  } catch {
    return undefined;
  }
}

const WHERE = /^([^=!~<>]+?)\s*(!=|>=|<=|=|~|>|<)\s*(.*)$/s;
const LEVELS: Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Parses `field=value`, `field!=value`, `field~regex`, `field>n`, `field<n`. */
export function parseWhere(text: string): WhereClause {
  const m = WHERE.exec(text);
  if (!m) throw new UsageError(`--where '${text}': expected <field>=<value> (or !=, ~, >, <, >=, <=)`);
  const clause: WhereClause = { field: m[1].trim(), op: m[2] as WhereClause['op'], value: m[3] };
  const isLevel = clause.field.toLowerCase() === 'level';
  if (isLevel && (clause.op === '=' || clause.op === '!=')) clause.level = levelNamed(clause.value);
  if (clause.op === '~') {
    if (isLevel) {
      // Levels are compared without regard to case: `level~ERR` finds error records. A level is
      // one of a few short words, so the pattern is matched against each of them here, once.
      let re: RegExp;
      try {
        re = new RegExp(clause.value, 'i');
      } catch (e) {
        throw new UsageError(`--where '${text}': invalid regular expression: ${(e as Error).message}`);
      }
      clause.regex = re;
      clause.levels = new Set(ALL_LEVELS.filter((l) => re.test(l)));
    } else clause.regex = boundedRegex(text, clause.value);
  }
  if (clause.op === '>' || clause.op === '<' || clause.op === '>=' || clause.op === '<=') {
    const n = Number(clause.value);
    const d = Number.isFinite(n) ? n : parseDuration(clause.value);
    if (d === null || d === undefined || !Number.isFinite(d)) throw new UsageError(`--where '${text}': '${clause.value}' is not a number`);
    clause.number = d;
  }
  return clause;
}

/** Whether a record satisfies one `--where` condition. */
export function matchWhere(r: LogRecord, c: WhereClause): boolean {
  if (c.level !== undefined) return (r.level === c.level) === (c.op === '=');
  if (c.levels !== undefined) return c.levels.has(r.level);
  const v = fieldValue(r, c.field);
  if (c.number !== undefined) {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n)) return false;
    if (c.op === '>') return n > c.number;
    if (c.op === '<') return n < c.number;
    if (c.op === '>=') return n >= c.number;
    return n <= c.number;
  }
  const s = v === undefined || v === null ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (c.op === '~') return s !== undefined && c.regex!.test(s);
  if (c.op === '=') return s === c.value;
  return s !== c.value;
}

/**
 * The level a filter value names, in any case and in any spelling the normalizer reads
 * (`ERROR`, `Warning`, `err`, `crit`, `E`); `unknown` names records without a level.
 * Numbers are not levels here (30 is info for pino but unknown for syslog).
 */
function levelNamed(text: string): Level | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'unknown') return 'unknown';
  if (/\d/.test(t)) return undefined;
  const l = parseLevel(t);
  return l === 'unknown' ? undefined : l;
}

/** Parses `--level`; the minimum level a record must have. */
export function parseLevelOption(text: string): Level {
  const l = levelNamed(text);
  if (l === undefined || l === 'unknown') throw new UsageError(`--level '${text}': expected one of ${LEVELS.join(', ')}`);
  return l;
}

/** A relative time (`15m`, `2h`, `1d`): a number followed by a unit. */
const RELATIVE = /^\d+(?:\.\d+)?\s*[a-zµ]+$/i;

/**
 * Parses `--since`/`--until`: an absolute time (ISO, epoch) or a duration back from `anchor`
 * (now, or the last record's time with `--relative-to last`).
 */
export function parseTimeBound(
  name: string,
  text: string,
  anchor: number,
  parseTime: (v: unknown) => number | undefined,
): number {
  if (RELATIVE.test(text.trim())) {
    const d = parseDuration(text.trim());
    if (d !== null && d !== undefined && Number.isFinite(d)) return anchor - d;
  }
  const t = parseTime(text);
  if (t === undefined) throw new UsageError(`--${name} '${text}': expected an ISO time (2024-01-15T10:30:00Z) or a duration back from now (15m, 2h, 1d)`);
  return t;
}

/** The common record filter built from `--since`, `--until`, `--level` and `--where`. */
export interface FilterSpec {
  since?: number;
  until?: number;
  level?: Level;
  where: WhereClause[];
}

/** A predicate for the filter, or undefined when nothing filters (the fast path). */
export function buildFilter(spec: FilterSpec): ((r: LogRecord) => boolean) | undefined {
  const { since, until, level, where } = spec;
  if (since === undefined && until === undefined && level === undefined && where.length === 0) return undefined;
  const min = level === undefined ? undefined : LEVEL_RANK[level];
  return (r) => {
    if (since !== undefined && (r.time === undefined || r.time < since)) return false;
    if (until !== undefined && (r.time === undefined || r.time > until)) return false;
    if (min !== undefined && LEVEL_RANK[r.level] < min) return false;
    for (const c of where) if (!matchWhere(r, c)) return false;
    return true;
  };
}
