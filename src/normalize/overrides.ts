import { UsageError } from '../errors.js';
import type { Alias, AliasField } from './aliases.js';
import { isDurationUnit } from './duration.js';

/** An extra alias from `--field` or the config, tried before the built-in ones. */
export interface FieldOverride {
  field: AliasField;
  alias: Alias;
}

const FIELD_NAMES: Record<string, AliasField> = {
  time: 'time', timestamp: 'time', level: 'level', message: 'message', msg: 'message', id: 'id', correlation_id: 'id',
  duration: 'duration', operation: 'operation', service: 'service', component: 'component', layer: 'component',
  event_type: 'eventType', eventtype: 'eventType', error_type: 'errorType', errortype: 'errorType',
  error_message: 'errorMessage', errormessage: 'errorMessage', stack: 'stack',
};

/** Parses `duration=latency_us:us`, `id=txn`, `level=sev`. */
export function parseFieldOverride(spec: string, origin = '--field'): FieldOverride {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`${origin} '${spec}': expected <field>=<key>[:unit], e.g. duration=latency_us:us or id=txn`);
  const name = spec.slice(0, eq).trim().toLowerCase();
  const field = FIELD_NAMES[name];
  if (!field) throw new UsageError(`${origin} '${spec}': unknown field '${name}' (expected one of ${[...new Set(Object.keys(FIELD_NAMES))].join(', ')})`);
  let key = spec.slice(eq + 1).trim();
  const alias: Alias = { key };
  const colon = key.lastIndexOf(':');
  if (field === 'duration' && colon > 0) {
    const unit = key.slice(colon + 1);
    if (!isDurationUnit(unit)) throw new UsageError(`${origin} '${spec}': unknown unit '${unit}' (expected ns, us, ms, s, m or h)`);
    key = key.slice(0, colon);
    alias.key = key;
    alias.unit = unit;
  } else if (field === 'duration') {
    alias.unit = 'default';
  }
  return { field, alias };
}
