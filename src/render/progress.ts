/** What a long read has done so far. */
export interface ProgressCounter {
  bytes: number;
  records: number;
}

/** Inputs smaller than this finish before progress would help. */
const MIN_TOTAL = 64 * 1024 * 1024;

/**
 * Shows progress on stderr for long work, only when stderr is a terminal: bytes read of the
 * total, records, and the rate. Returns a function that clears the line when the work is done.
 */
export function showProgress(counter: ProgressCounter, totalBytes: number, stream: NodeJS.WriteStream = process.stderr): () => void {
  if (!stream.isTTY || totalBytes < MIN_TOTAL) return () => undefined;
  const started = Date.now();
  let shown = false;
  const mb = (n: number) => (n / 1e6).toFixed(0);
  const timer = setInterval(() => {
    const secs = (Date.now() - started) / 1000;
    if (secs < 1) return;
    const pct = Math.min(100, (100 * counter.bytes) / totalBytes).toFixed(0);
    stream.write(`\r\x1b[2Klogtool: ${mb(counter.bytes)} of ${mb(totalBytes)} MB (${pct}%), ${counter.records.toLocaleString('en-US')} records, ${(counter.bytes / 1e6 / secs).toFixed(0)} MB/s`);
    shown = true;
  }, 250);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (shown) stream.write('\r\x1b[2K');
  };
}
