import type { JsonObject } from '../../types.js';
import type { Envelope, Unwrapped } from '../types.js';
import { isObj, kubernetesContext, put, str, without, workloadService } from './common.js';

/** The keys Docker's json-file driver writes (`attrs`: `--log-opt labels/env/tag`). */
const DOCKER_KEYS = new Set(['log', 'stream', 'time', 'attrs']);

function dockerShape(o: JsonObject): boolean {
  for (const k in o) if (!DOCKER_KEYS.has(k)) return false;
  return true;
}

function isStream(v: unknown): boolean {
  return v === 'stdout' || v === 'stderr';
}

/** Whether the object names a workload with flat fields (Fluentd/Vector without nesting, Loki-style labels). */
function flatWorkload(o: JsonObject): boolean {
  return typeof (o.pod ?? o.pod_name ?? o.k8s_pod_name) === 'string' || (typeof (o.container ?? o.container_name) === 'string' && (isStream(o.stream) || typeof o.source_type === 'string'));
}

/**
 * Docker json-file (`{"log":"…\n","stream":"stdout","time":"…"}`, with `attrs` when labels are
 * logged): the `log` text is the application's line. A `log` without its trailing newline is
 * the first part of a line Docker split at 16 KiB: joined with the next entry. Attributes
 * Docker adds for Kubernetes (`io.kubernetes.pod.name`, …) give the workload.
 */
export const docker: Envelope = {
  name: 'docker',
  title: 'Docker json-file (log, stream, time, attrs)',
  match: (o) => typeof o.log === 'string' && dockerShape(o),
  open(o) {
    const log = o.log as string;
    const ctx = without(o, 'log');
    const attrs = isObj(o.attrs) ? o.attrs : undefined;
    if (attrs) {
      put(ctx, 'pod', str(attrs['io.kubernetes.pod.name']));
      put(ctx, 'namespace', str(attrs['io.kubernetes.pod.namespace']));
      put(ctx, 'container', str(attrs['io.kubernetes.container.name']) ?? str(attrs.tag));
      put(ctx, 'service', workloadService(ctx.pod, ctx.container, attrs));
    }
    // Docker ends every whole line with `\n`; a bare `{"log":…}` (no stream, no time) is no split line.
    const split = !log.endsWith('\n') && (typeof o.stream === 'string' || typeof o.time === 'string');
    return [{ line: log, context: ctx, partial: split }];
  },
  samples: [
    {
      input: '{"log":"{\\"level\\":\\"error\\",\\"msg\\":\\"db down\\"}\\n","stream":"stderr","time":"2024-03-01T10:00:00.123456789Z"}',
      expect: [{ line: '{"level":"error","msg":"db down"}\n', context: { stream: 'stderr', time: '2024-03-01T10:00:00.123456789Z' }, partial: false }],
    },
    {
      input: '{"log":"first half of a long line","stream":"stdout","time":"2024-03-01T10:00:00Z"}',
      expect: [{ line: 'first half of a long line', partial: true }],
    },
    {
      input: '{"log":"ready\\n","stream":"stdout","attrs":{"io.kubernetes.pod.name":"checkout-7d9f8b6c5d-x2x9k","io.kubernetes.container.name":"app"},"time":"2024-03-01T10:00:00Z"}',
      expect: [{ context: { pod: 'checkout-7d9f8b6c5d-x2x9k', container: 'app', service: 'checkout' } }],
    },
  ],
};

/**
 * A collector's record for one container line: Fluent Bit / Fluentd (`log` plus a
 * `kubernetes{pod_name, namespace_name, container_name, host, labels}` object), Vector
 * (`message` plus `kubernetes{pod_name, pod_namespace, …}`, or the docker_logs source's flat
 * `container_name`), or flat `pod`/`container`/`node`/`namespace` fields. Every other field
 * stays as context, with flat `pod`, `namespace`, `container`, `node` and the workload's `service`.
 */
export const kubernetes: Envelope = {
  name: 'kubernetes',
  title: 'Fluent Bit / Fluentd / Vector container record (log or message, kubernetes{…} or pod/container)',
  match(o) {
    const text = typeof o.log === 'string' ? 'log' : typeof o.message === 'string' ? 'message' : undefined;
    if (!text) return false;
    if (isObj(o.kubernetes)) return true;
    if (flatWorkload(o)) return true;
    // Fluentd's docker input: json-file fields plus the collector's own (`docker`, `tag`, …).
    return text === 'log' && isStream(o.stream);
  },
  open(o): Unwrapped[] {
    const key = typeof o.log === 'string' ? 'log' : 'message';
    const ctx = without(o, key);
    if (isObj(o.kubernetes)) kubernetesContext(o.kubernetes, ctx);
    else {
      put(ctx, 'pod', str(o.pod) ?? str(o.pod_name) ?? str(o.k8s_pod_name));
      put(ctx, 'container', str(o.container) ?? str(o.container_name));
      put(ctx, 'namespace', str(o.namespace) ?? str(o.namespace_name));
      if (ctx.service === undefined) put(ctx, 'service', workloadService(ctx.pod, ctx.container, o.labels ?? o.label));
    }
    const line = o[key] as string;
    // A json-file entry a collector enriched keeps Docker's rule: no trailing newline, a split line.
    const split = key === 'log' && isStream(o.stream) && typeof o.time === 'string' && !line.endsWith('\n');
    return [{ line, context: ctx, partial: split }];
  },
  samples: [
    {
      input: '{"log":"2024-03-01 10:00:00,123 ERROR [main] c.e.Checkout - payment failed\\n","stream":"stderr","time":"2024-03-01T10:00:00.123Z","kubernetes":{"pod_name":"checkout-7d9f8b6c5d-x2x9k","namespace_name":"shop","container_name":"app","host":"node-1","labels":{"app":"checkout","pod-template-hash":"7d9f8b6c5d"}}}',
      expect: [{ line: '2024-03-01 10:00:00,123 ERROR [main] c.e.Checkout - payment failed\n', context: { stream: 'stderr', pod: 'checkout-7d9f8b6c5d-x2x9k', namespace: 'shop', container: 'app', node: 'node-1', service: 'checkout' } }],
    },
    {
      input: '{"message":"{\\"level\\":\\"warn\\",\\"msg\\":\\"slow query\\"}","source_type":"kubernetes_logs","stream":"stdout","timestamp":"2024-03-01T10:00:01Z","kubernetes":{"pod_name":"db-0","pod_namespace":"data","container_name":"postgres","pod_node_name":"node-2"}}',
      expect: [{ line: '{"level":"warn","msg":"slow query"}', context: { pod: 'db-0', namespace: 'data', node: 'node-2', service: 'db' } }],
    },
    {
      input: '{"message":"GET /health 200","pod":"api-5f6d7c8b9-q7w8z","container":"api","node":"node-3","namespace":"web"}',
      expect: [{ line: 'GET /health 200', context: { pod: 'api-5f6d7c8b9-q7w8z', namespace: 'web', service: 'api' } }],
    },
  ],
};
