import type { LogRecord } from '../../../src/types.js';

let seq = 0;

/** A normalized record with defaults, for testing analyses without reading files. */
export function rec(p: Partial<LogRecord> & { raw?: Record<string, unknown> }): LogRecord {
  const n = seq++;
  return {
    source: p.source ?? `test.log:${n + 1}`,
    file: p.file ?? 'test.log',
    line: p.line ?? n + 1,
    seq: n,
    raw: p.raw ?? {},
    text: p.text ?? JSON.stringify(p.raw ?? {}),
    time: p.time,
    level: p.level ?? 'info',
    message: p.message,
    ids: p.ids ?? [],
    durationMs: p.durationMs,
    operation: p.operation,
    service: p.service,
    component: p.component,
    eventType: p.eventType,
    errorType: p.errorType,
    errorMessage: p.errorMessage,
    stack: p.stack,
    continuation: p.continuation ?? [],
  };
}

/** Feeds records through an analysis and returns its result. */
export function run<S, R>(a: { init(): S; add(s: S, r: LogRecord): void; result(s: S): R }, records: LogRecord[]): R {
  const s = a.init();
  for (const r of records) a.add(s, r);
  return a.result(s);
}
