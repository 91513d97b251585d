import { createRequire } from 'node:module';
import type StreamArrayModule from 'stream-json/streamers/StreamArray.js';

const require = createRequire(import.meta.url);

/**
 * stream-json's array streamer, loaded on first use: only JSON-array documents need it, so
 * runs over line-delimited logs never load the parser.
 */
const StreamArray: Pick<typeof StreamArrayModule, 'withParser'> = {
  withParser: (options) => (require('stream-json/streamers/StreamArray.js') as typeof StreamArrayModule).withParser(options),
};

export default StreamArray;
