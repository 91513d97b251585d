import type { NormalizedFields } from '../read/assemble.js';
import type { JsonObject, Level } from '../types.js';
import { ALIASES, IMPLICIT_LEVELS, OPERATION_FALLBACK, type Alias, type AliasField, type DurationUnit } from './aliases.js';
import { parseDurationValue } from './duration.js';
import { compileExtractors, extractInto, type ExtractSpec } from './extract.js';
import { parseLevel } from './level.js';
import { compileKey, KeyIndex, lookup, type CompiledKey } from './lookup.js';
import { Planner, valueOf, type Resolved } from './plan.js';
import type { FieldOverride } from './overrides.js';
import { parseTime } from './time.js';
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

  return {
    format: opts.format,
    time: (v) => parseTime(v, shift),
    level: (v) => parseLevel(v),
    fields(obj, line) {
      // Extracted fields join the object before anything is read from it, so that they are
      // fields like any other: `--by`, `--where`, and aliases (`--field id=…`, `duration=…`).
      if (extractors.length && line !== undefined) extractInto(obj, first(obj, planner.plan(obj).message, text), line, extractors);
      const p = planner.plan(obj);
      let time: number | undefined;
      for (const r of p.time) {
        const v = valueOf(obj, r);
        if (v === undefined || v === null) continue;
        time = parseTime(v, shift);
        if (time !== undefined) break;
      }
      let level: Level = 'unknown';
      for (const r of p.level) {
        const v = valueOf(obj, r);
        if (v === undefined || v === null) continue;
        level = parseLevel(v, r.alias.levelScale);
        if (level !== 'unknown') break;
      }
      if (level === 'unknown' && p.level.length === 0) {
        const implicit = IMPLICIT_LEVELS.find((l) => obj[l.key] !== undefined);
        if (implicit) level = implicit.level;
      }
      const ids: string[] = [];
      for (const r of p.id) {
        const v = text(valueOf(obj, r));
        if (v !== undefined && !ids.includes(v)) ids.push(v);
      }
      let durationMs: number | undefined;
      for (const r of p.duration) {
        const v = valueOf(obj, r);
        if (v === undefined || v === null) continue;
        const u = r.alias.unit;
        durationMs = parseDurationValue(v, u === 'default' || u === undefined ? defaultUnit : u);
        if (durationMs !== undefined) break;
      }
      let operation = first(obj, p.operation, text);
      if (operation === undefined) operation = fallbackOperation(obj);
      return {
        time,
        level,
        message: first(obj, p.message, text),
        ids,
        durationMs,
        operation,
        service: first(obj, p.service, text),
        component: first(obj, p.component, text),
        eventType: first(obj, p.eventType, (v) => (typeof v === 'string' && v !== '' ? v : undefined)),
        errorType: first(obj, p.errorType, text),
        errorMessage: first(obj, p.errorMessage, text),
        stack: first(obj, p.stack, stackText),
        keys: p.keys,
      };
    },
  };
}
