import type { Envelope, LineEnvelope } from '../types.js';
import { cloudwatch, lambda } from './aws.js';
import { emergencyBundle } from './bundle.js';
import { docker, kubernetes } from './container.js';
import { gcpLogEntry } from './gcp.js';
import { journald } from './journald.js';
import { compose, cri, fluentBitStdout } from './lines.js';
import { otlp } from './otlp.js';
import { elasticsearch, loki, opensearchPpl } from './search.js';

/**
 * Envelopes recognised on parsed JSON objects, tried in order (each by shape, cheap to reject).
 * Batches and documents first (logtool's emergency bundle, OTLP, CloudWatch, search responses), then single-record wrappers.
 */
export const ENVELOPES: readonly Envelope[] = [emergencyBundle, otlp, cloudwatch, elasticsearch, opensearchPpl, loki, gcpLogEntry, journald, docker, kubernetes, lambda];

/**
 * Top-level keys of which every envelope above needs one to match (as written: JSON keys are
 * case-sensitive). A JSON line holding none of them, unescaped, is no envelope: the byte
 * prefilters use this to leave envelope lines, whose inner records carry their own level, to
 * be read. A test holds every envelope sample to it.
 */
export const ENVELOPE_KEYS: readonly string[] = [
  'log', 'kubernetes', 'pod', 'pod_name', 'k8s_pod_name', 'container', 'container_name', 'MESSAGE',
  'resourceLogs', 'resource_logs', 'awslogs', 'logEvents', 'events', 'record',
  'hits', 'responses', 'datarows', 'data', 'labels',
  'jsonPayload', 'textPayload', 'protoPayload', 'entries', 'writeLogEntriesRequests', 'generated_at',
];

/** Envelopes recognised on raw text lines, before JSON and layouts. */
export const LINE_ENVELOPES: readonly LineEnvelope[] = [cri, fluentBitStdout, compose];
