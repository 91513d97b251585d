import type { Envelope, LineEnvelope } from '../types.js';
const docker: Envelope = {
  name: 'docker', title: 'Docker', samples: [],
  match: (o) => typeof o.log === 'string' && (typeof o.stream === 'string' || typeof o.time === 'string') && Object.keys(o).length <= 4,
  open: (o) => [{ line: o.log as string, context: { time: o.time, stream: o.stream }, partial: false }],
};
export const ENVELOPES: readonly Envelope[] = [docker];
export const LINE_ENVELOPES: readonly LineEnvelope[] = [];
