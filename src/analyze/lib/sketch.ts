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

/** The fields of a DDSketch that survive structured cloning. */
interface PlainSketch {
  store: { bins: number[]; offset: number };
  negativeStore: { bins: number[]; offset: number };
  zeroCount: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** A sketch that crossed a thread boundary, rebuilt bin by bin: same keys, so the same answers. */
export function rebuildSketch(plain: DDSketch, relativeAccuracy: number): DDSketch {
  const p = plain as unknown as PlainSketch;
  const s = new DDSketch({ relativeAccuracy });
  p.store.bins.forEach((w, i) => w > 0 && s.store.add(i + p.store.offset, w));
  p.negativeStore.bins.forEach((w, i) => w > 0 && s.negativeStore.add(i + p.negativeStore.offset, w));
  Object.assign(s, { zeroCount: p.zeroCount, count: p.count, sum: p.sum, min: p.min, max: p.max });
  return s;
}
