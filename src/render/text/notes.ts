/**
 * Notes under a table (free sentences, not data): wrapped at word boundaries to the width, so a
 * long explanation reads on two lines rather than being cut. Words longer than the width (a
 * path, an id) are shortened by `layout.shorten` as the last resort.
 */
import { displayWidth, shorten } from './layout.js';

/** Wraps plain text to `width` columns; lines after the first start with `indent`. */
export function wrapWords(text: string, width: number, indent = '  '): string[] {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const lead = lines.length ? indent : '';
    const next = line ? `${line} ${word}` : `${lead}${word}`;
    if (!line || displayWidth(next) <= width) {
      line = next;
      continue;
    }
    lines.push(line);
    line = `${indent}${word}`;
  }
  if (line) lines.push(line);
  return lines.map((l) => shorten(l, width));
}
