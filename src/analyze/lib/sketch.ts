import { createRequire } from 'node:module';
import type * as Sketches from '@datadog/sketches-js';

const require = createRequire(import.meta.url);

let loaded: typeof Sketches.DDSketch | undefined;

function load(): typeof Sketches.DDSketch {
  loaded ??= (require('@datadog/sketches-js') as typeof Sketches).DDSketch;
  return loaded;
}

export type DDSketch = Sketches.DDSketch;

/**
 * @datadog/sketches-js's DDSketch, loaded when the first sketch is made: groups whose samples
 * all fit in memory never need it, and runs that make no sketch do not load the library.
 */
export const DDSketch: typeof Sketches.DDSketch = new Proxy(function DDSketch() {} as unknown as typeof Sketches.DDSketch, {
  construct: (_target, args) => new (load())(...(args as ConstructorParameters<typeof Sketches.DDSketch>)),
  get: (_target, key) => Reflect.get(load(), key),
});
