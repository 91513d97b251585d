import { FALLBACK_LAYOUTS } from '../formats/layouts/generic.js';
import { LAYOUTS, layoutNamed } from '../formats/layouts/index.js';
import type { Layout, LayoutContext } from '../formats/types.js';
import type { JsonObject } from '../types.js';

/** A line read by a text layout. */
export interface LayoutHit {
  layout: Layout;
  obj: JsonObject;
}

const FALLBACK = new Set<Layout>(FALLBACK_LAYOUTS);
const DIRECTIVE_LAYOUTS = LAYOUTS.filter((l) => l.directive !== undefined);

/**
 * Picks the text layout of each line of one input: the layout the input's previous text
 * record was read with is tried first (files keep to one layout), then every layout in
 * registry order, so a file that mixes layouts is read line by line. `--format` forces one.
 */
export class LayoutChooser {
  private current: Layout | undefined;
  private readonly forced: Layout | undefined;
  private readonly ctx: LayoutContext;

  constructor(format: string | undefined, now = Date.now(), start?: string) {
    this.forced = format === undefined ? undefined : layoutNamed(format);
    this.current = start === undefined ? undefined : layoutNamed(start);
    this.ctx = { year: new Date(now).getUTCFullYear(), now, memory: {} };
  }

  /** The layout last used: whose continuation rule applies to the lines that follow. */
  get last(): Layout | undefined {
    return this.current;
  }

  /**
   * Whether `line` is a metadata line of a layout (see `Layout.directive`); that layout becomes
   * the input's layout. Only layouts that declare directives are asked.
   */
  directive(line: string): boolean {
    if (this.forced) return this.forced.directive?.(line, this.ctx) === true;
    if (this.current?.directive?.(line, this.ctx)) return true;
    for (const layout of DIRECTIVE_LAYOUTS) {
      if (layout !== this.current && layout.directive!(line, this.ctx)) {
        this.current = layout;
        return true;
      }
    }
    return false;
  }

  /**
   * The layout reading `line`, or undefined. With `specificOnly` the generic fallback shapes
   * are not tried (except as the input's own layout): inside a record of a layout that takes
   * every following line as continuation, a line that merely starts with a time stays in it.
   */
  parse(line: string, specificOnly = false): LayoutHit | undefined {
    if (this.forced) {
      const obj = this.forced.parse(line, this.ctx);
      return obj ? { layout: this.forced, obj } : undefined;
    }
    const cur = this.current;
    if (cur) {
      const obj = cur.parse(line, this.ctx);
      if (obj) return { layout: cur, obj };
    }
    for (const layout of LAYOUTS) {
      if (layout === cur || (specificOnly && FALLBACK.has(layout))) continue;
      const obj = layout.parse(line, this.ctx);
      if (obj) {
        this.current = layout;
        return { layout, obj };
      }
    }
    return undefined;
  }
}

/** Whether a layout of this name exists (`--format` checks its argument with this). */
export function knownLayout(name: string): boolean {
  return layoutNamed(name) !== undefined;
}
