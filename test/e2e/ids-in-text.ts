import { writeFileSync } from 'node:fs';

/** The ids `writeIdsInText` hides in its lines, each in id fields and in text. */
export const TEXT_IDS = { plain: 'req-t1', hex: '9f3c0a11b2e4d5f6' };

const T0 = Date.parse('2024-01-15T10:00:00Z');

/**
 * Writes about `bytes` of a mixed log: JSON Lines, Docker json-file lines whose inner line is
 * text, logfmt and plain text lines, with the ids of `TEXT_IDS` in id fields, in messages
 * (`[req=req-t1]`, `TraceID: 9F3C…` in upper case, a JSON `\u002d` escape), in raw text lines
 * and next to near misses (`req-t10`, `xreq-t1`, `req-t1_b`). Long runs of lines without any id
 * let a reader skip whole chunks; matches sit on both sides of those runs.
 */
export function writeIdsInText(file: string, bytes = 3 << 20): void {
  const { plain, hex } = TEXT_IDS;
  const out: string[] = [];
  let size = 0;
  const push = (l: string) => {
    out.push(l);
    size += l.length + 1;
  };
  const time = (i: number) => new Date(T0 + i * 250).toISOString();
  const HEX = hex.toUpperCase();
  const special = (i: number): string[] => [
    JSON.stringify({ time: time(i), level: 'info', msg: 'request accepted', request_id: plain, trace_id: hex }),
    JSON.stringify({ time: time(i), level: 'warn', msg: `upstream slow [req=${plain}] retrying`, service: 'gateway' }),
    JSON.stringify({ time: time(i), level: 'error', message: `payment failed TraceID: ${HEX} after 3 attempts`, service: 'billing' }),
    `{"time":"${time(i)}","level":"info","msg":"handed over req\\u002dt1 to the queue"}`,
    JSON.stringify({ log: `${time(i)} ERROR worker traceID=${plain} job crashed\n`, stream: 'stderr', time: time(i) }),
    JSON.stringify({ log: `Traceback (most recent call last): ${plain}\n`, stream: 'stderr', time: time(i) }),
    `level=info ts=${time(i)} msg="cache miss" traceID=${plain} duration=12ms`,
    `${time(i)} WARN [req=${plain}] slow downstream call`,
    '    at com.example.Handler.handle(Handler.java:42)',
    JSON.stringify({ time: time(i), level: 'info', msg: `near misses req-t10 x${plain} ${plain}_b ${hex}0`, request_id: 'req-other' }),
    JSON.stringify({ time: time(i), level: 'debug', msg: 'parent link', parent: { note: `caused by ${plain}` } }),
  ];
  let i = 0;
  for (const l of special(i++)) push(l);
  while (size < bytes) {
    // A run of about 400 KB without any id, then the special lines again.
    const end = size + (400 << 10);
    while (size < end) {
      push(JSON.stringify({ time: time(i), level: i % 7 === 0 ? 'error' : 'info', msg: `served request ${i}`, request_id: `rid-${i}`, duration_ms: i % 300 }));
      i++;
    }
    for (const l of special(i++)) push(l);
  }
  writeFileSync(file, out.join('\n') + '\n');
}
