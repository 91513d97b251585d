import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { isDurationUnit } from '../normalize/duration.js';
import { createNormalizer, type NormalizeOptions, type RecordNormalizer } from '../normalize/normalize.js';
import { parseFieldOverride, type FieldOverride } from '../normalize/overrides.js';
import { extractsFromConfig, parseExtract } from '../normalize/extract.js';
import { LAYOUTS, layoutNamed } from '../formats/layouts/index.js';

/** The flags the normalizer is built from. */
export interface NormalizerFlags {
  field?: string[];
  tz?: string;
  durationUnit?: string;
  format?: string;
  extract?: string[];
}

/** Builds the normalizer from `--field`, `--tz`, `--duration-unit` and the config's `fields`. */
export function buildNormalizer(o: NormalizerFlags, config: Config): RecordNormalizer {
  return createNormalizer(normalizeOptions(o, config));
}

/** The normalizer's options (plain data, so worker threads can build the same normalizer). */
export function normalizeOptions(o: NormalizerFlags, config: Config): NormalizeOptions {
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
  // Flags first: an extraction named on the command line is tried before the config's of the same name.
  const extract = [...(o.extract ?? []).map((x) => parseExtract(x)), ...extractsFromConfig(config.extract, config.file)];
  return { tz: o.tz ?? config.tz, durationUnit: unit, overrides, format, extract };
}
