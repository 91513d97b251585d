import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import StreamArray from './stream-array.js';
import type { JsonObject } from '../types.js';

/**
 * Tracks, alongside the JSON parser, the line on which each top-level array element starts,
 * so that array records get a real `<path>:<line>` source like line-delimited ones.
 */
class ElementLines {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** True after the opening `[` or a `,` at depth 1, until the next element begins. */
  private expectElement = false;
  private line = 1;
  private endsWithNewline = false;
  readonly starts: number[] = [];

  scan(chunk: Buffer): void {
    if (chunk.length > 0) this.endsWithNewline = chunk[chunk.length - 1] === 10;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 10) this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === 92) this.escaped = true;
        else if (b === 34) this.inString = false;
        continue;
      }
      if (b === 32 || b === 9 || b === 13 || b === 10) continue;
      if (this.depth === 1 && b === 44) {
        this.expectElement = true;
        continue;
      }
      if (this.expectElement && b !== 93) {
        this.starts.push(this.line);
        this.expectElement = false;
      }
      if (b === 34) this.inString = true;
      else if (b === 123 || b === 91) {
        this.depth++;
        if (this.depth === 1) this.expectElement = true;
      } else if (b === 125 || b === 93) this.depth--;
    }
  }

  /** Physical lines read so far (a final newline does not start another line). */
  get lines(): number {
    return this.endsWithNewline ? this.line - 1 : this.line;
  }
}

/** One element of a JSON array document with the line it starts on. */
export interface ArrayElement {
  value: unknown;
  line: number;
}

/**
 * Streams the elements of a JSON array document (`[{...},{...}]`, as Kibana or CloudWatch
 * export them) through stream-json, never holding the whole document. Returns the number of
 * physical lines. Throws on a malformed document after emitting the elements before the fault.
 */
export async function readJsonArray(
  chunks: AsyncIterable<Buffer>,
  onElement: (e: ArrayElement) => void,
): Promise<number> {
  const tracker = new ElementLines();
  let index = 0;
  const parser = StreamArray.withParser();
  const sink = new Writable({
    objectMode: true,
    write(data: { key: number; value: unknown }, _enc, cb) {
      onElement({ value: data.value, line: tracker.starts[index++] ?? tracker.lines });
      cb();
    },
  });
  const source = Readable.from(
    (async function* () {
      for await (const chunk of chunks) {
        tracker.scan(chunk);
        yield chunk;
      }
    })(),
  );
  await pipeline(source, parser, sink);
  return tracker.lines;
}

/** Whether a parsed element is a JSON object (a record). */
export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
