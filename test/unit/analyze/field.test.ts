import { describe, expect, it } from 'vitest';
import { fieldText, fieldTextOf } from '../../../src/analyze/lib/field.js';
import { rec } from './records.js';

describe('fieldTextOf', () => {
  it('reads a field as fieldText does, for normalized names, raw paths and values of any type', () => {
    const records = [
      rec({ ids: ['req-1'], operation: 'checkout', raw: { Logger: 'svc', http: { status_code: 502 }, 'error.type': 'Timeout', tags: ['a'], gone: null, layer: 'api' } }),
      rec({ raw: { operation: 'from-raw', correlation_id: 'raw-id', level: 'WARN' }, level: 'warn' }),
      rec({ raw: {} }),
    ];
    const names = ['correlation_id', 'operation', 'OPERATION', 'level', 'logger', 'http.status_code', 'http', 'error.type', 'tags', 'gone', 'layer', 'missing', 'file'];
    for (const name of names) {
      const read = fieldTextOf(name);
      for (const r of records) expect(read(r), `${name} of ${r.source}`).toBe(fieldText(r, name));
    }
    expect(fieldTextOf('http.status_code')(records[0])).toBe('502');
    expect(fieldTextOf('operation')(records[1])).toBe('from-raw');
  });
});
