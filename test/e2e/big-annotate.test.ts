import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineTally, runBig, writeBigErrors } from './big.js';

/** `errors --annotate` over two million error records (generated here) to a reader that lags. */
const RECORDS = 2_000_000;
const SLOW = 15 * 60_000;
let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'logtool-annotate-'));
  file = path.join(dir, 'errors.jsonl');
  writeBigErrors(file, RECORDS);
}, SLOW);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('errors --annotate with two million error records', () => {
  it('annotates every record once to a slow reader, waiting for it instead of buffering', async () => {
    const tally = new LineTally();
    const t0 = Date.now();
    const r = await runBig(['errors', file, '--annotate'], dir, { onData: (b) => tally.add(b), slow: true });
    console.log(`errors --annotate: ${RECORDS} records in ${((Date.now() - t0) / 1000).toFixed(1)} s, peak RSS ${(r.maxRss / 2 ** 20).toFixed(0)} MB`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(tally.lines).toBe(RECORDS);
    const last = tally.last(3).map((l) => JSON.parse(l) as { source: string; cluster: string; template: string });
    expect(last.map((a) => a.source)).toEqual([`errors.jsonl:${RECORDS - 2}`, `errors.jsonl:${RECORDS - 1}`, `errors.jsonl:${RECORDS}`].map((s) => expect.stringContaining(s)));
    // Unread output is not piled up in memory (it is ~250 MB here).
    expect(r.maxRss).toBeLessThan(400 * 2 ** 20);
  }, SLOW);
});
