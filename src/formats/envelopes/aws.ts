import { unzipSync } from 'node:zlib';
import type { JsonObject } from '../../types.js';
import type { Envelope, Unwrapped } from '../types.js';
import { isObj, put, str } from './common.js';

/** The service a log group names: `/aws/lambda/<function>`, `/ecs/<service>`, else its last segment. */
function groupService(group: string | undefined): string | undefined {
  if (!group) return undefined;
  const seg = group.replace(/\/+$/, '');
  return seg.slice(seg.lastIndexOf('/') + 1) || undefined;
}

/** The events of a CloudWatch Logs payload, each message read again, the group and stream as context. */
function events(list: unknown[], p: JsonObject): Unwrapped[] {
  const group = str(p.logGroup) ?? str(p.logGroupName);
  const base: JsonObject = {};
  put(base, 'logGroup', group);
  put(base, 'logStream', str(p.logStream) ?? str(p.logStreamName));
  put(base, 'owner', str(p.owner));
  put(base, 'messageType', str(p.messageType));
  put(base, 'service', groupService(group));
  const out: Unwrapped[] = [];
  for (const e of list) {
    if (!isObj(e)) continue;
    const ctx: JsonObject = { ...base };
    if (typeof e.timestamp === 'number') ctx.time = e.timestamp;
    put(ctx, 'event_id', str(e.id) ?? str(e.eventId));
    put(ctx, 'logStream', str(e.logStreamName));
    out.push({ line: typeof e.message === 'string' ? e.message : '', context: ctx });
  }
  return out;
}

/** The subscription payload inside `awslogs.data`: base64 of gzip (or zlib) JSON. */
function decode(data: string): JsonObject | undefined {
  try {
    const v: unknown = JSON.parse(unzipSync(Buffer.from(data, 'base64')).toString('utf8'));
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CloudWatch Logs: a subscription event (`{"awslogs":{"data":"<base64 gzip or zlib>"}}`, as a
 * Lambda or Firehose receives it), its decoded payload (`{"messageType":"DATA_MESSAGE",
 * "logGroup", "logStream", "logEvents":[{id, timestamp, message}]}`), and the CLI's
 * `filter-log-events` / `get-log-events` output (`{"events":[…]}`). One record per event: its
 * message is read again (JSON, Lambda's JSON log format, or a text layout), its timestamp is the
 * fallback time, `logGroup`/`logStream` stay as context and the group's last segment (the
 * function of `/aws/lambda/<fn>`) is the service.
 */
export const cloudwatch: Envelope = {
  name: 'cloudwatch',
  title: 'AWS CloudWatch Logs (subscription event, logEvents, CLI events)',
  match: (o) =>
    (isObj(o.awslogs) && typeof o.awslogs.data === 'string') ||
    (Array.isArray(o.logEvents) && (o.logGroup !== undefined || o.messageType !== undefined || o.logStream !== undefined)) ||
    (Array.isArray(o.events) && (o.nextForwardToken !== undefined || o.searchedLogStreams !== undefined || (isObj(o.events[0]) && typeof o.events[0].message === 'string' && o.events[0].ingestionTime !== undefined))),
  open(o) {
    if (isObj(o.awslogs)) {
      const p = decode(o.awslogs.data as string);
      return p && Array.isArray(p.logEvents) ? events(p.logEvents, p) : [];
    }
    if (Array.isArray(o.logEvents)) return events(o.logEvents, o);
    return events(o.events as unknown[], o);
  },
  samples: [
    {
      // {"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"/aws/lambda/checkout","logStream":"2024/03/01/[$LATEST]abc","subscriptionFilters":["all"],"logEvents":[{"id":"1","timestamp":1709287200000,"message":"{\"level\":\"ERROR\",\"message\":\"charge failed\"}"},{"id":"2","timestamp":1709287201000,"message":"END RequestId: 7f1c"}]} gzipped
      input:
        '{"awslogs":{"data":"H4sIAAAAAAAAA3WPTWuDQBiE/4oMPS7orgXbvQmxodAPUG8xlHV9Y6TrR901oYj/vZg2l0LmOAzzzMxoyVpVU/49ECQ2cR5/vCZZFm8TMPTnjkZIcM65EEKEYRiCwfT1duynARK+OlvfqLaslK+PpD/7yf0mMjeSaiEhAnHvB6EfcH939xLnSZbvVanBYKfS6rEZXNN3T41xNFrIHZQx2F86khN1bvVmNNW6Awyuack61Q6QPAoexUMkglXsegUScwFDJzIFZIEkTd/TAqy4Bi6uPqqxJu+gGkNVgQUL+4OIGxD+D5K8bbyUviay7rmSXnTgGst++QGBXB0vUwEAAA=="}}',
      expect: [
        { line: '{"level":"ERROR","message":"charge failed"}', context: { time: 1709287200000, logGroup: '/aws/lambda/checkout', service: 'checkout' } },
        { line: 'END RequestId: 7f1c', context: { time: 1709287201000 } },
      ],
    },
    {
      input: '{"messageType":"DATA_MESSAGE","logGroup":"/ecs/orders","logStream":"ecs/orders/1","logEvents":[{"id":"9","timestamp":1709287200000,"message":"ready"}]}',
      expect: [{ line: 'ready', context: { service: 'orders', logStream: 'ecs/orders/1' } }],
    },
  ],
};

/**
 * AWS Lambda's JSON log format for platform and extension events (`{"time", "type":
 * "platform.report", "record":{…}}`, as the Telemetry API and JSON-format log groups give):
 * the record is the event (its `metrics.durationMs` → `duration_ms`, `requestId` an id); a
 * `function`/`extension` event's string record is a line read again. Application records in
 * that format (`timestamp`, `level`, `message`, `requestId`) are plain JSON and need no envelope.
 */
export const lambda: Envelope = {
  name: 'lambda',
  title: 'AWS Lambda JSON events (time, type, record)',
  match: (o) => typeof o.type === 'string' && typeof o.time === 'string' && 'record' in o && /^(?:platform\.|function$|extension$)/.test(o.type),
  open(o) {
    const ctx: JsonObject = { time: o.time, event_type: o.type };
    const r = o.record;
    if (typeof r === 'string') return [{ line: r, context: ctx }];
    if (!isObj(r)) return [{ object: {}, context: ctx }];
    if (o.type === 'function' || o.type === 'extension') return [{ object: r, context: ctx }];
    const obj: JsonObject = { ...r, msg: o.type };
    if (r.status === 'failure' || r.status === 'error' || r.status === 'timeout') obj.level = 'error';
    else obj.level = 'info';
    const m = isObj(r.metrics) ? r.metrics : undefined;
    if (m && typeof m.durationMs === 'number') obj.duration_ms = m.durationMs;
    return [{ object: obj, context: ctx }];
  },
  samples: [
    {
      input: '{"time":"2024-03-01T10:00:00.000Z","type":"platform.report","record":{"requestId":"6d9e2d1b-1c5e-4a4b-9f3f-2b1d6c7a8e90","metrics":{"durationMs":812.5,"billedDurationMs":813,"memorySizeMB":128,"maxMemoryUsedMB":64},"status":"success"}}',
      expect: [{ object: { msg: 'platform.report', duration_ms: 812.5, level: 'info' }, context: { event_type: 'platform.report' } }],
    },
    {
      input: '{"time":"2024-03-01T10:00:00.000Z","type":"function","record":"2024-03-01T10:00:00.000Z\\t6d9e2d1b\\tERROR\\tboom"}',
      expect: [{ line: '2024-03-01T10:00:00.000Z\t6d9e2d1b\tERROR\tboom' }],
    },
  ],
};
