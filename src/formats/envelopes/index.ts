import type { Envelope, LineEnvelope } from '../types.js';
import { cloudwatch, lambda } from './aws.js';
import { docker, kubernetes } from './container.js';
import { gcpLogEntry } from './gcp.js';
import { journald } from './journald.js';
import { compose, cri, fluentBitStdout } from './lines.js';
import { otlp } from './otlp.js';
import { elasticsearch, loki, opensearchPpl } from './search.js';

/**
 * Envelopes recognised on parsed JSON objects, tried in order (each by shape, cheap to reject).
 * Batches and documents first (OTLP, CloudWatch, search responses), then single-record wrappers.
 */
export const ENVELOPES: readonly Envelope[] = [otlp, cloudwatch, elasticsearch, opensearchPpl, loki, gcpLogEntry, journald, docker, kubernetes, lambda];

/** Envelopes recognised on raw text lines, before JSON and layouts. */
export const LINE_ENVELOPES: readonly LineEnvelope[] = [cri, fluentBitStdout, compose];
