import type { Envelope, LineEnvelope } from '../types.js';

/** Envelopes recognised on parsed JSON objects, in the order they are tried. */
export const ENVELOPES: readonly Envelope[] = [];

/** Envelopes recognised on raw lines (CRI, Fluent Bit's `[time, {record}]`). */
export const LINE_ENVELOPES: readonly LineEnvelope[] = [];
