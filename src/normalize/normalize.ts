import type { NormalizedFields } from '../read/assemble.js';
import { fillFrom } from '../read/fields.js';
import type { JsonObject, Level } from '../types.js';
import { ALIASES, IMPLICIT_LEVELS, NESTED_EXTRA_KEYS, NESTED_RECORD_KEYS, OPERATION_FALLBACK, SHAPE_RULES, STATUS_LEVEL_KEYS, TIME_FIELD_PAIRS, type Alias, type AliasField, type DurationUnit } from './aliases.js';
import { recordDuration } from './duration.js';
import { compileExtractors, extractInto, type ExtractSpec } from './extract.js';
import { parseLevel } from './level.js';
import { compileKey, KeyIndex, lookup, type CompiledKey } from './lookup.js';
import { Planner, valueOf, type Plan, type Resolved } from './plan.js';
import type { FieldOverride } from './overrides.js';
import { parseTime, secondsAndNanos } from './time.js';
import { zoneShift } from './zone.js';

/** How records are normalized: zone for naive times, unit of bare durations, extra aliases. */
export interface NormalizeOptions {
  tz?: string;
  durationUnit?: DurationUnit;
  overrides?: FieldOverride[];
  /** The text layout `--format` forces (`json`: none); undefined to detect per line. */
  format?: string;
  /** Fields taken from the message (or the line) by regex: `--extract` and the config's `extract`. */
  extract?: ExtractSpec[];
}

type Compiled = (Alias & { k: CompiledKey })[];

/** The aliases a field is read from, in order: overrides first, then the built-in table. */
export function aliasesOf(field: AliasField, overrides: FieldOverride[] = []): Alias[] {
  return [...overrides.filter((o) => o.field === field).map((o) => o.alias), ...ALIASES[field]];
}

function compile(overrides: FieldOverride[]): Record<AliasField, Compiled> {
  const out = {} as Record<AliasField, Compiled>;
  for (const field of Object.keys(ALIASES) as AliasField[]) {
    out[field] = aliasesOf(field, overrides).map((a) => ({ ...a, k: compileKey(a.key) }));
  }
  return out;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

function stackText(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? v.join('\n') : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Strips the query string: latency is grouped by path, not by its parameters. */
function pathOnly(p: string): string {
  const q = p.search(/[?#]/);
  return q === -1 ? p : p.slice(0, q);
}

function plainObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The record nested under one of `NESTED_RECORD_KEYS` (any case), with its `extra` object's
 * fields read as its own (its own keys win); undefined when there is none.
 */
function nestedRecord(obj: JsonObject): JsonObject | undefined {
  for (const k in obj) {
    if (!NESTED_RECORD_KEYS.includes(k.toLowerCase())) continue;
    const inner = obj[k];
    if (!plainObject(inner)) continue;
    let view: JsonObject | undefined;
    for (const e in inner) {
      if (!NESTED_EXTRA_KEYS.includes(e.toLowerCase())) continue;
      const extra = inner[e];
      if (plainObject(extra)) view = { ...(view ?? {}), ...extra };
    }
    return view ? { ...view, ...inner } : inner;
  }
  return undefined;
}

const STATUS_KEYS = STATUS_LEVEL_KEYS.map(compileKey);
const TIME_PAIRS = new Map(TIME_FIELD_PAIRS.map(([sec, nano]) => [sec.toLowerCase(), compileKey(nano)] as const));
/** The nanoseconds key paired with a seconds alias (`timestampSeconds` → `timestampNanos`), looked up once per alias. */
const pairCache = new WeakMap<Alias, CompiledKey | null>();
function nanosKeyOf(alias: Alias): CompiledKey | undefined {
  let k = pairCache.get(alias);
  if (k === undefined) {
    k = TIME_PAIRS.get(alias.key.toLowerCase()) ?? null;
    pairCache.set(alias, k);
  }
  return k ?? undefined;
}

/** The shape rule (`SHAPE_RULES`) a record with no level alias matches, if any. */
function shapeRule(obj: JsonObject): (typeof SHAPE_RULES)[number] | undefined {
  return SHAPE_RULES.find((r) => r.keys.every((k) => Object.prototype.hasOwnProperty.call(obj, k)));
}

/** The access-log convention on a record's HTTP status (`STATUS_LEVEL_KEYS`): 5xx error, 4xx warn, else info. */
function statusLevel(obj: JsonObject): Level {
  const idx = new KeyIndex(obj);
  for (const k of STATUS_KEYS) {
    const v = lookup(idx, k);
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < 100 || n > 599) continue;
    return n >= 500 ? 'error' : n >= 400 ? 'warn' : 'info';
  }
  return 'unknown';
}

/** The normalizer: the alias table applied to one parsed object. */
export interface RecordNormalizer {
  format?: string;
  /**
   * The normalized fields of a record's object. `text` (the line as read) marks the object as
   * a record's own, not an envelope's context: `--extract` fields are then added to it first.
   */
  fields(obj: JsonObject, text?: string): NormalizedFields;
  time(value: unknown): number | undefined;
  level(value: unknown): Level;
}

/** Builds a normalizer for the given options (spec §2). */
export function createNormalizer(opts: NormalizeOptions = {}): RecordNormalizer {
  const A = compile(opts.overrides ?? []);
  const shift = zoneShift(opts.tz);
  const defaultUnit = opts.durationUnit ?? 'ms';
  const fallback = OPERATION_FALLBACK.map(([m, ps]) => [compileKey(m), ps.map(compileKey)] as const);
  /** `<METHOD> <path>` when a record has no operation field. */
  const fallbackOperation = (obj: JsonObject): string | undefined => {
    const idx = new KeyIndex(obj);
    for (const [m, paths] of fallback) {
      const method = text(lookup(idx, m));
      if (method === undefined) continue;
      const path = paths.map((q) => text(lookup(idx, q))).find((q) => q !== undefined);
      if (path !== undefined) return `${method.toUpperCase()} ${pathOnly(path)}`;
    }
    return undefined;
  };

  const planner = new Planner(A);
  const extractors = compileExtractors(opts.extract);
  const first = (obj: JsonObject, found: Resolved[], read: (v: unknown) => string | undefined): string | undefined => {
    for (const r of found) {
      const v = valueOf(obj, r);
      if (v === undefined || v === null) continue;
      const t = read(v);
      if (t !== undefined) return t;
    }
    return undefined;
  };

  /** The normalized fields of one object, by its plan. */
  const read = (obj: JsonObject, p: Plan): NormalizedFields => {
    let time: number | undefined;
    for (const r of p.time) {
      const v = valueOf(obj, r);
      if (v === undefined || v === null) continue;
      time = parseTime(v, shift);
      if (time !== undefined) {
        // Seconds with their nanoseconds beside them (`timestampSeconds`, `timestampNanos`).
        const nanos = r.rest === undefined ? nanosKeyOf(r.alias) : undefined;
        if (nanos) time = secondsAndNanos(v, lookup(new KeyIndex(obj), nanos)) ?? time;
        break;
      }
    }
    let level: Level = 'unknown';
    for (const r of p.level) {
      const v = valueOf(obj, r);
      if (v === undefined || v === null) continue;
      level = parseLevel(v, r.alias.levelScale);
      if (level !== 'unknown') break;
    }
    // Records with no level field: a format's implicit level, a shape rule's level key, else the
    // access-log convention on an HTTP status.
    let shapeComponent: string | undefined;
    if (level === 'unknown' && p.level.length === 0) {
      const implicit = IMPLICIT_LEVELS.find((l) => obj[l.key] !== undefined);
      const shape = implicit ? undefined : shapeRule(obj);
      if (implicit) level = implicit.level;
      else if (shape) {
        level = parseLevel(obj[shape.level]);
        if (shape.component !== undefined) shapeComponent = text(obj[shape.component]);
      }
      if (level === 'unknown') level = statusLevel(obj);
    }
    const ids: string[] = [];
    for (const r of p.id) {
      const v = text(valueOf(obj, r));
      if (v !== undefined && !ids.includes(v)) ids.push(v);
    }
    const message = first(obj, p.message, text);
    let operation = first(obj, p.operation, text);
    if (operation === undefined) operation = fallbackOperation(obj);
    const eventType = first(obj, p.eventType, (v) => (typeof v === 'string' && v !== '' ? v : undefined));
    // The duration rule (README: Fields): a latency sample is a duration alias's number or
    // duration-form string (`recordDuration`) on a record that looks like an event: one with a
    // time, a level, a message, an id, an operation or an event type. A settings object written as a
    // line (`{"timeout":"30s","duration":"5m","retries":3}`) has none of them. The built-in
    // aliases are top-level keys (and ECS `event.duration`), so a `duration` nested in a
    // `config`/`settings` object is never one; neither is a non-duration value (an object
    // such as loguru's `elapsed`, a date, `forever`).
    let durationMs: number | undefined;
    if (p.duration.length && (time !== undefined || level !== 'unknown' || message !== undefined || ids.length > 0 || operation !== undefined || eventType !== undefined)) {
      for (const r of p.duration) {
        const v = valueOf(obj, r);
        if (v === undefined || v === null) continue;
        const u = r.alias.unit;
        durationMs = recordDuration(v, u === 'default' || u === undefined ? defaultUnit : u);
        if (durationMs !== undefined) break;
      }
    }
    return {
      time,
      level,
      message,
      ids,
      durationMs,
      operation,
      service: first(obj, p.service, text),
      component: first(obj, p.component, text) ?? shapeComponent,
      eventType,
      errorType: first(obj, p.errorType, text),
      errorMessage: first(obj, p.errorMessage, text),
      stack: first(obj, p.stack, stackText),
      keys: p.keys,
    };
  };

  return {
    format: opts.format,
    time: (v) => parseTime(v, shift),
    level: (v) => parseLevel(v),
    fields(obj, line) {
      // Extracted fields join the object before anything is read from it, so that they are
      // fields like any other: `--by`, `--where`, and aliases (`--field id=…`, `duration=…`).
      if (extractors.length && line !== undefined) extractInto(obj, first(obj, planner.plan(obj).message, text), line, extractors);
      const p = planner.plan(obj);
      const f = read(obj, p);
      // A record nested one level deep (loguru's `record`): only for objects with no level and no message of their own.
      if (p.level.length === 0 && p.message.length === 0) {
        const inner = nestedRecord(obj);
        if (inner) {
          const g = read(inner, planner.plan(inner));
          fillFrom(g, f);
          g.keys = p.keys;
          return g;
        }
      }
      return f;
    },
  };
}
