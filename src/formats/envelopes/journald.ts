import type { JsonObject } from '../../types.js';
import type { Envelope } from '../types.js';
import { isObj, kubernetesContext, put, str, SYSLOG_LEVELS, without } from './common.js';

/** journald's MESSAGE: a string, or an array of bytes when it is not valid UTF-8. */
function message(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((b) => typeof b === 'number')) return Buffer.from(v as number[]).toString('utf8');
  return undefined;
}

/**
 * journald JSON (`journalctl -o json`, one object a line, and `-o json-pretty`, one object over
 * many lines): `MESSAGE` is the application's line; `PRIORITY` (syslog 0–7) gives the level,
 * `__REALTIME_TIMESTAMP` (µs) the time, `_SYSTEMD_UNIT` (without `.service`) else
 * `SYSLOG_IDENTIFIER` the service, `_HOSTNAME` the host, `_PID` the pid. Every other field stays
 * as context (`--by _SYSTEMD_UNIT`). A Fluent Bit journald record with a `kubernetes` object
 * also gets the workload's fields.
 */
export const journald: Envelope = {
  name: 'journald',
  title: 'journald JSON (journalctl -o json / json-pretty)',
  match: (o) =>
    'MESSAGE' in o && (o.__REALTIME_TIMESTAMP !== undefined || o.PRIORITY !== undefined || o._SYSTEMD_UNIT !== undefined || o.SYSLOG_IDENTIFIER !== undefined || o.__CURSOR !== undefined) && message(o.MESSAGE) !== undefined,
  open(o) {
    const ctx: JsonObject = without(o, 'MESSAGE');
    const us = str(o.__REALTIME_TIMESTAMP) ?? (typeof o.__REALTIME_TIMESTAMP === 'number' ? String(o.__REALTIME_TIMESTAMP) : undefined);
    if (us && /^\d+$/.test(us)) ctx.time = Number(us) / 1000;
    const pri = Number(o.PRIORITY);
    if (o.PRIORITY !== undefined && Number.isInteger(pri) && pri >= 0 && pri <= 7) ctx.level = SYSLOG_LEVELS[pri];
    if (isObj(o.kubernetes)) kubernetesContext(o.kubernetes, ctx);
    const unit = str(o._SYSTEMD_UNIT)?.replace(/\.service$/, '');
    if (ctx.service === undefined) put(ctx, 'service', str(o.CONTAINER_NAME) ?? (unit && unit !== 'init.scope' ? unit : undefined) ?? str(o.SYSLOG_IDENTIFIER) ?? str(o._COMM));
    put(ctx, 'host', str(o._HOSTNAME));
    put(ctx, 'pid', str(o._PID) ?? str(o.SYSLOG_PID));
    return [{ line: message(o.MESSAGE)!, context: ctx }];
  },
  samples: [
    {
      input: '{"__CURSOR":"s=1;i=2","__REALTIME_TIMESTAMP":"1709287200123456","PRIORITY":"3","_SYSTEMD_UNIT":"checkout.service","SYSLOG_IDENTIFIER":"checkout","_PID":"4242","_HOSTNAME":"web-1","MESSAGE":"payment failed: timeout"}',
      expect: [{ line: 'payment failed: timeout', context: { time: 1709287200123.456, level: 'err', service: 'checkout', host: 'web-1', pid: '4242' } }],
    },
    {
      input: '{"__REALTIME_TIMESTAMP":"1709287200000000","PRIORITY":"6","SYSLOG_IDENTIFIER":"kernel","MESSAGE":[104,105]}',
      expect: [{ line: 'hi', context: { level: 'info', service: 'kernel' } }],
    },
  ],
};
