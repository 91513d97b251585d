/**
 * Notes under a table (free sentences, not data): wrapped at word boundaries to the width, so a
 * long explanation reads on two lines rather than being cut. Words longer than the width (a
 * path, an id) are shortened by `layout.shorten` as the last resort.
 */
import { displayWidth, shorten } from './layout.js';

/**
 * Wraps plain text at spaces to `width` columns: the first line keeps its leading spaces, later
 * lines start with `indent`; a word longer than a line is cut (the last resort).
 */
export function wrapWords(text: string, width: number, indent = '  '): string[] {
  const first = /^ */.exec(text)![0];
  const out: string[] = [];
  let line = '';
  for (const word of text.slice(first.length).split(' ')) {
    const lead = out.length ? indent : first;
    const next = line ? `${line} ${word}` : word;
    if (!line || displayWidth(lead + next) <= width) line = next;
    else {
      out.push(shorten(lead + line, width));
      line = word;
    }
  }
  out.push(shorten((out.length ? indent : first) + line, width));
  return out;
}

/**
 * A labelled list of items (`levels    fatal 0 · error 404 · …`) wrapped at the separators to
 * `width`: the following lines are indented under the first item. Items may carry colour.
 */
export function wrapItems(label: string, items: readonly string[], width: number, sep = ' · '): string[] {
  const indent = ' '.repeat(displayWidth(label));
  const lines: string[] = [];
  let line = label;
  let empty = true;
  for (const item of items) {
    const next = empty ? line + item : line + sep + item;
    // Room kept for the separator that ends the line when the next item goes below.
    if (empty || displayWidth(next) + displayWidth(sep.trimEnd()) <= width) {
      line = next;
      empty = false;
      continue;
    }
    lines.push(line + sep.trimEnd());
    line = indent + item;
  }
  lines.push(line);
  return lines.map((l) => shorten(l, width));
}
