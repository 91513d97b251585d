import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIG_ID, LineTally, runBig, writeBigTrace } from './big.js';

/**
 * `trace` over two million matching records (about 300 MB, generated here, never committed):
 * every output form finishes, streams with backpressure and stays within bounded memory.
 * The runs take minutes on a busy machine; what they print (time, peak RSS) is measured, the
 * assertions are about output and memory only.
 */
const RECORDS = 2_000_000;
const SLOW = 15 * 60_000;
let dir: string;
let file: string;
let errors: number;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'logtool-big-'));
  file = path.join(dir, 'big.jsonl');
  ({ errors } = writeBigTrace(file, RECORDS));
}, SLOW);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(what: string, started: number, maxRss: number): void {
  console.log(`trace ${what}: ${RECORDS} records in ${((Date.now() - started) / 1000).toFixed(1)} s, peak RSS ${(maxRss / 2 ** 20).toFixed(0)} MB`);
}

describe('trace with two million matching records', () => {
  it('human view: the first and last 100 records and how many were left out', async () => {
    const tally = new LineTally();
    const t0 = Date.now();
    // The file holds the id in lower case; asked in upper case.
    const r = await runBig(['trace', BIG_ID.toUpperCase(), file], dir, { onData: (b) => tally.add(b) });
    report('human', t0, r.maxRss);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(tally.head).toMatch(new RegExp(`^trace ${BIG_ID.toUpperCase()} — ${RECORDS} records, 4 services`));
    expect(tally.head).toContain(`… ${RECORDS - 200} records left out (the first and last 100 are shown; --all shows all)`);
    expect(tally.head).toContain('step 0 ');
    const tail = tally.last(12).join('\n');
    expect(tail).toContain(`errors    ${errors}; first failure in`);
    // Header, 200 records, the left-out line, the summary.
    expect(tally.lines).toBeLessThan(220);
  }, SLOW);

  it('--all: every record on its own line', async () => {
    const tally = new LineTally();
    const t0 = Date.now();
    const r = await runBig(['trace', BIG_ID, file, '--all'], dir, { onData: (b) => tally.add(b) });
    report('--all', t0, r.maxRss);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(tally.head).not.toContain('left out');
    const summary = tally.last(12);
    const summaryLines = summary.length - summary.indexOf('Summary') + 1;
    // Header + one line per record + the blank line and summary.
    expect(tally.lines).toBe(1 + RECORDS + summaryLines);
  }, SLOW);

  it('--json: a valid document of every record with its summary, written in pieces', async () => {
    const outFile = path.join(dir, 'trace.json');
    const fd = openSync(outFile, 'w');
    const t0 = Date.now();
    const r = await runBig(['trace', BIG_ID, file, '--json'], dir, { stdout: fd });
    closeSync(fd);
    report('--json', t0, r.maxRss);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The document is larger than the longest string V8 can hold, so it is checked record by
    // record: each record (the blocks at indent 4) is parsed on its own, and the envelope with
    // the records taken out is parsed as a whole.
    const kept: string[] = [];
    let block: string[] | undefined;
    let records = 0;
    let lastTime = '';
    let ordered = true;
    for await (const line of createInterface({ input: createReadStream(outFile), crlfDelay: Infinity })) {
      if (block) {
        if (line === '    }' || line === '    },') {
          const rec = JSON.parse(block.join('\n') + '}') as { time: string; record: { trace_id: string } };
          records++;
          if (rec.time < lastTime || rec.record.trace_id !== BIG_ID) ordered = false;
          lastTime = rec.time;
          block = undefined;
        } else block.push(line);
      } else if (line === '    {') block = ['{'];
      else kept.push(line);
    }
    expect(statSync(outFile).size).toBeGreaterThan(512 * 2 ** 20);
    expect(records).toBe(RECORDS);
    expect(ordered).toBe(true);
    const doc = JSON.parse(kept.join('\n')) as { ids: string[]; records: unknown[]; summary: { records: number; errors: number; services: string[] }; missing: string[] };
    expect(doc.ids).toEqual([BIG_ID]);
    expect(doc.summary.records).toBe(RECORDS);
    expect(doc.summary.errors).toBe(errors);
    expect(doc.summary.services).toHaveLength(4);
    expect(doc.missing).toEqual([]);
  }, SLOW);

  it('--ndjson to a slow reader: every line arrives, no error, and memory stays bounded', async () => {
    const tally = new LineTally();
    const t0 = Date.now();
    const r = await runBig(['trace', BIG_ID, file, '--ndjson'], dir, { onData: (b) => tally.add(b), slow: true });
    report('--ndjson (slow reader)', t0, r.maxRss);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(tally.lines).toBe(RECORDS);
    for (const line of tally.last(3)) expect(JSON.parse(line)).toMatchObject({ record: { trace_id: BIG_ID } });
    // Neither the matches nor the unread output are held: a few hundred MB at most, where
    // keeping two million records takes gigabytes.
    expect(r.maxRss).toBeLessThan(400 * 2 ** 20);
  }, SLOW);

  it('a full disk (> /dev/full) ends the run with one line on stderr and exit 2', async () => {
    const fd = openSync('/dev/full', 'w');
    const r = await runBig(['trace', BIG_ID, file, '--ndjson'], dir, { stdout: fd });
    closeSync(fd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('logtool: cannot write the output to stdout: no space left on device\n');
  }, SLOW);
});
