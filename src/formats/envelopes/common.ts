import type { JsonObject } from '../../types.js';

/** Whether a value is a plain JSON object. */
export function isObj(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A non-empty string, else undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The object without the given keys (the wrapper's fields, its text taken out). */
export function without(o: JsonObject, ...keys: string[]): JsonObject {
  const out: JsonObject = {};
  for (const k in o) if (!keys.includes(k)) out[k] = o[k];
  return out;
}

/** Sets `key` only when the value is defined (keeps contexts free of undefined keys). */
export function put(o: JsonObject, key: string, v: unknown): void {
  if (v !== undefined && v !== null && v !== '') o[key] = v;
}

// Kubernetes generated names use this alphabet (no vowels, no 0/1/3) so that they never spell words.
const HASH = '[bcdfghjklmnpqrstvwxz2456789]';
/** Deployment pod: `<name>-<ReplicaSet hash>-<pod hash>`; CronJob pod: `<name>-<schedule time>-<pod hash>`. */
const DEPLOYMENT_POD = new RegExp(`^(.+?)-(?:${HASH}{6,10}|\\d{8,10})-${HASH}{5}$`);
/** DaemonSet or Job pod: `<name>-<pod hash>`. */
const HASHED_POD = new RegExp(`^(.+?)-${HASH}{5}$`);
/** StatefulSet pod: `<name>-<ordinal>`. */
const STATEFUL_POD = /^(.+?)-\d+$/;

/**
 * The workload a pod belongs to: its name without the ReplicaSet/pod hash suffix
 * (`checkout-7d9f8b6c5d-x2x9k` → `checkout`), a StatefulSet's ordinal (`db-0` → `db`), a
 * DaemonSet's or Job's hash (`node-exporter-8xk2p` → `node-exporter`). A `pod-template-hash`
 * label, when known, is stripped exactly.
 */
export function podWorkload(pod: string, templateHash?: string): string {
  if (templateHash) {
    const tail = `-${templateHash}-`;
    const at = pod.lastIndexOf(tail);
    if (at > 0 && pod.length - at - tail.length === 5) return pod.slice(0, at);
  }
  const m = DEPLOYMENT_POD.exec(pod) ?? HASHED_POD.exec(pod) ?? STATEFUL_POD.exec(pod);
  return m ? m[1] : pod;
}

/** Labels that name an application. */
const APP_LABELS = ['app.kubernetes.io/name', 'app', 'k8s-app', 'app.kubernetes.io/instance', 'name'];

/**
 * The service a record comes from, derived from its workload: the pod name without its hash
 * suffix, else the container name, else an `app` / `app.kubernetes.io/name` label.
 */
export function workloadService(pod: unknown, container: unknown, labels?: unknown): string | undefined {
  const p = str(pod);
  const l = isObj(labels) ? labels : undefined;
  if (p) return podWorkload(p, str(l?.['pod-template-hash']));
  const c = str(container);
  if (c) return c;
  if (l) for (const k of APP_LABELS) if (str(l[k])) return l[k] as string;
  return undefined;
}

/**
 * The context a Kubernetes metadata object gives (Fluent Bit / Fluentd `kubernetes{pod_name,
 * namespace_name, container_name, host, labels}`, Vector `kubernetes{pod_name, pod_namespace,
 * pod_node_name, pod_labels}`, Filebeat's ECS `kubernetes{pod{name}, namespace, container{name}}`): flat `pod`, `namespace`, `container`, `node` and `service`.
 */
export function kubernetesContext(k: JsonObject, ctx: JsonObject): void {
  const labels = k.labels ?? k.pod_labels;
  // Filebeat / Elastic Agent (ECS) nest names: `kubernetes.pod.name`, `kubernetes.container.name`, `kubernetes.node.name`.
  const name = (v: unknown) => (isObj(v) ? str(v.name) : str(v));
  put(ctx, 'pod', str(k.pod_name) ?? name(k.pod));
  put(ctx, 'namespace', str(k.namespace_name) ?? str(k.pod_namespace) ?? str(k.namespace));
  put(ctx, 'container', str(k.container_name) ?? name(k.container));
  put(ctx, 'node', str(k.host) ?? str(k.pod_node_name) ?? str(k.node_name) ?? name(k.node));
  if (ctx.service === undefined) put(ctx, 'service', workloadService(ctx.pod, ctx.container, labels));
}

/** Epoch nanoseconds (a string or number) to epoch milliseconds; undefined for 0 or junk. */
export function nanosToMs(v: unknown): number | undefined {
  if (typeof v === 'number') return v > 0 ? v / 1e6 : undefined;
  if (typeof v !== 'string' || !/^\d{1,20}$/.test(v) || /^0+$/.test(v)) return undefined;
  // Split so that the millisecond part keeps its precision past 2^53 nanoseconds.
  if (v.length <= 6) return Number(v) / 1e6;
  return Number(v.slice(0, -6)) + Number(v.slice(-6)) / 1e6;
}

/** Syslog priority (journald `PRIORITY`) to a level name. */
export const SYSLOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
