import type { JsonObject } from '../../types.js';
import type { Envelope, Unwrapped } from '../types.js';
import { isObj, str } from './common.js';

/** The lists of an emergency bundle (`logtool emergency`), in the order it writes them; a record may be in several. */
export const BUNDLE_LISTS: readonly string[] = ['errors', 'performance_violations', 'circuit_breaker_events'];

/** A bundle entry: the record as kept, where it was read, and the lines that continued it (a traceback), if any. */
export interface BundleEntry {
  record: JsonObject;
  source: string;
  continuation?: string[];
}

/** One entry of a bundle's list (`{"source": "<path>:<line>", "record": {…}, "continuation"?: […]}`); undefined for anything else. */
export function bundleEntry(e: unknown): BundleEntry | undefined {
  if (!isObj(e) || !isObj(e.record)) return undefined;
  const source = str(e.source);
  if (source === undefined) return undefined;
  const c = e.continuation;
  if (Array.isArray(c) && c.length > 0 && c.every((l) => typeof l === 'string')) return { record: e.record, source, continuation: c as string[] };
  return { record: e.record, source };
}

/** The line number at the end of a `<path>:<line>` source (0 when it has none). */
export function sourceLine(source: string): number {
  const m = /:(\d+)$/.exec(source);
  return m ? Number(m[1]) : 0;
}

/**
 * Where an emergency bundle's document opens, as `logtool emergency` writes it (and as `jq .`
 * keeps it): an object whose first key is `generated_at` (a string) followed by one of its
 * lists, empty or opening with an entry's `source`. A reader that sees this head streams the
 * document's lists instead of reading it as one line.
 */
const BUNDLE_HEAD = new RegExp(`^\\s*\\{\\s*"generated_at"\\s*:\\s*"(?:[^"\\\\]|\\\\.)*"\\s*,\\s*"(?:${BUNDLE_LISTS.join('|')})"\\s*:\\s*\\[\\s*(?:\\]|\\{\\s*"source"\\s*:)`);

/** Whether a document's first decoded text (after any BOM) is an emergency bundle's head. */
export function looksLikeBundle(head: string): boolean {
  return BUNDLE_HEAD.test(head.charCodeAt(0) === 0xfeff ? head.slice(1) : head);
}

/**
 * logtool's own emergency bundle (`emergency-aggregate-<stamp>.json.gz`: `generated_at`,
 * `inputs`, `summary`, and the lists `errors`, `performance_violations`,
 * `circuit_breaker_events` of `{source, record, continuation?}`): each original record once (a
 * record in several lists is one record), read as its original line was (the record as kept:
 * redacted; its traceback lines as its continuation), under its original `<path>:<line>` source. Whole documents are streamed by the reader
 * (`read/bundle.ts`); this reads one that arrives as a JSON line or a pretty-printed object.
 */
export const emergencyBundle: Envelope = {
  name: 'emergency-bundle',
  title: "logtool's emergency bundle (generated_at, inputs, errors[].source/record)",
  match: (o) => typeof o.generated_at === 'string' && Array.isArray(o.inputs) && Array.isArray(o.errors),
  open(o) {
    const out: Unwrapped[] = [];
    const seen = new Set<string>();
    for (const list of BUNDLE_LISTS) {
      const entries = o[list];
      if (!Array.isArray(entries)) continue;
      for (const e of entries) {
        const entry = bundleEntry(e);
        if (!entry || seen.has(entry.source)) continue;
        seen.add(entry.source);
        out.push({ object: entry.record, context: {}, source: entry.source, ...(entry.continuation ? { continuation: entry.continuation } : {}) });
      }
    }
    return out;
  },
  samples: [
    {
      input:
        '{"generated_at":"2024-01-15T10:05:00.000Z","errors":[{"source":"logs/api.log:12","record":{"time":"2024-01-15T10:00:00Z","level":"error","msg":"db down","duration_ms":4100}}],"performance_violations":[{"source":"logs/api.log:12","record":{"time":"2024-01-15T10:00:00Z","level":"error","msg":"db down","duration_ms":4100}},{"source":"logs/api.log:30","record":{"time":"2024-01-15T10:00:02Z","level":"info","msg":"slow","duration_ms":5200}}],"circuit_breaker_events":[],"inputs":[{"source":"logs/api.log","lines":40,"records":40,"unparsed_lines":0}],"summary":{}}',
      expect: [
        { object: { time: '2024-01-15T10:00:00Z', level: 'error', msg: 'db down', duration_ms: 4100 }, source: 'logs/api.log:12' },
        { object: { msg: 'slow' }, source: 'logs/api.log:30' },
      ],
    },
  ],
};
