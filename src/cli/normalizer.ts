import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { isDurationUnit } from '../normalize/duration.js';
import { createNormalizer, type NormalizeOptions, type RecordNormalizer } from '../normalize/normalize.js';
import { parseFieldOverride, type FieldOverride } from '../normalize/overrides.js';
import { LAYOUTS, layoutNamed } from '../formats/layouts/index.js';

/** Builds the normalizer from `--field`, `--tz`, `--duration-unit` and the config's `fields`. */
export function buildNormalizer(o: { field?: string[]; tz?: string; durationUnit?: string; format?: string }, config: Config): RecordNormalizer {
  return createNormalizer(normalizeOptions(o, config));
}

/** The normalizer's options (plain data, so worker threads can build the same normalizer). */
export function normalizeOptions(o: { field?: string[]; tz?: string; durationUnit?: string; format?: string }, config: Config): NormalizeOptions {
  const overrides: FieldOverride[] = (o.field ?? []).map((f) => parseFieldOverride(f));
  for (const [field, keys] of Object.entries(config.fields ?? {})) {
    for (const key of Array.isArray(keys) ? keys : [keys]) overrides.push(parseFieldOverride(`${field}=${key}`, `${config.file} fields`));
  }
  const unit = o.durationUnit ?? config.durationUnit ?? 'ms';
  if (!isDurationUnit(unit)) throw new UsageError(`--duration-unit '${unit}': expected ns, us, ms, s, m or h`);
  const format = o.format?.toLowerCase();
  if (format !== undefined && format !== 'json' && !layoutNamed(format)) {
    throw new UsageError(`--format '${o.format}': no such layout; expected json or one of ${LAYOUTS.map((l) => l.name).join(', ')}`);
  }
  return { tz: o.tz ?? config.tz, durationUnit: unit, overrides, format };
}
