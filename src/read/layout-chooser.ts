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

  /**
   * Reading from a cut inside a file whose earlier lines may have chosen a layout (`unsure`):
   * until a text line settles it, a line that another layout would read too, or that only a
   * generic layout reads where only specific ones are tried, cannot be read as the whole file's
   * reader would, and throws `UnsureLayout`.
   */
  private unsure: boolean;

  constructor(format: string | undefined, now = Date.now(), start?: string, unsure = false) {
    this.forced = format === undefined ? undefined : layoutNamed(format);
    this.unsure = unsure && this.forced === undefined;
    this.current = start === undefined ? undefined : layoutNamed(start);
    this.ctx = { year: new Date(now).getUTCFullYear(), now, memory: this.unsure || start !== undefined ? cutMemory() : {} };
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
    if (this.unsure && DIRECTIVE_LAYOUTS.some((l) => l.directive!(line, { ...this.ctx, memory: {} }))) throw new UnsureLayout();
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
        if (this.unsure) this.settle(line, layout);
        this.current = layout;
        return { layout, obj };
      }
    }
    // The earlier lines' layout might be a generic one that reads this line.
    if (this.unsure && specificOnly && FALLBACK_LAYOUTS.some((l) => l.parse(line, { ...this.ctx, memory: {} }))) throw new UnsureLayout();
    return undefined;
  }

  /** The first text line after a cut: read the same whatever layout came before only when no other layout reads it. */
  private settle(line: string, chosen: Layout): void {
    const ctx = { ...this.ctx, memory: {} };
    if (chosen.stateful || LAYOUTS.some((l) => l !== chosen && l.parse(line, ctx))) throw new UnsureLayout();
    this.unsure = false;
  }
}

/**
 * The memory of layouts that read earlier lines (a request's time on its `Processing` line),
 * for a range read from a cut: what the lines before the cut left there is unknown, so reading
 * a key not written since the cut throws `UnsureLayout`.
 */
function cutMemory(): Record<string, unknown> {
  const written = new Set<string | symbol>();
  return new Proxy({} as Record<string, unknown>, {
    get(target, key) {
      if (!written.has(key)) throw new UnsureLayout();
      return target[key as string];
    },
    has(target, key) {
      if (!written.has(key)) throw new UnsureLayout();
      return key in target;
    },
    set(target, key, value) {
      written.add(key);
      target[key as string] = value;
      return true;
    },
  });
}

/** A text line after a cut inside a file that only the whole file's reader can read right. */
export class UnsureLayout extends Error {
  constructor() {
    super('a text line after a cut inside the file depends on the layout of the lines before it');
  }
}

/** Whether a layout of this name exists (`--format` checks its argument with this). */
export function knownLayout(name: string): boolean {
  return layoutNamed(name) !== undefined;
}
