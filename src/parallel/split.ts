import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** A byte range of one file that a worker reads. */
export interface Range {
  source: number;
  name: string;
  path: string;
  start: number;
  end: number;
}

const PROBE = 1 << 20;

/**
 * The first `\n{` in `buf` whose line cannot be a Docker json-file line (no `log"` key, no
 * `\u` escape that could spell one): such a line may carry the traceback of the record before
 * it, and must stay in that record's range. -1 when there is none.
 */
function cutPoint(buf: Buffer): number {
  for (let at = buf.indexOf('\n{'); at !== -1; at = buf.indexOf('\n{', at + 1)) {
    const end = buf.indexOf(10, at + 1);
    if (end === -1) return -1;
    const line = buf.subarray(at + 1, end);
    if (line.indexOf('log"') === -1 && line.indexOf('\\u') === -1) return at;
  }
  return -1;
}

/**
 * Cuts a file into about `parts` ranges at line starts that open a JSON object (`\n{`), so no
 * record, and no continuation line (a Docker line may be one), is split from its record. gzip files and JSON array
 * documents are not split (undefined): they are read whole.
 */
export function splitFile(source: number, name: string, path: string, parts: number): Range[] | undefined {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0);
    if ((head[0] === 0x1f && head[1] === 0x8b) || head.toString('latin1').trimStart().startsWith('[')) return undefined;
    const cuts = [0];
    const buf = Buffer.alloc(PROBE);
    for (let k = 1; k < parts; k++) {
      const from = Math.floor((size * k) / parts);
      const n = readSync(fd, buf, 0, PROBE, from);
      const at = cutPoint(buf.subarray(0, n));
      if (at !== -1 && from + at + 1 > cuts[cuts.length - 1]) cuts.push(from + at + 1);
    }
    cuts.push(size);
    return cuts.slice(0, -1).map((start, i) => ({ source, name, path, start, end: cuts[i + 1] }));
  } finally {
    closeSync(fd);
  }
}
