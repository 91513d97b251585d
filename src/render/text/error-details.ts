import type { ChalkInstance } from 'chalk';
import type { ErrorCluster, ErrorSample } from '../../analyze/errors.js';
import type { Level } from '../../types.js';
import { formatCount } from './format.js';
import { levelTag } from './level.js';
import { visible } from './sanitize.js';

/** Values shown per slot in the human view; the JSON has all the miner keeps. */
const SLOT_VALUES = 5;
/** Slots shown per pattern in the human view. */
const SLOT_LINES = 4;
/** Longest error text shown on a sample line. */
const ERROR_WIDTH = 160;

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/** The pattern's level, and the count of each level when it mixes several (`FATAL 3,030 · ERROR 8,181`). */
export function levelsText(k: ErrorCluster, c: ChalkInstance): string {
  const entries = Object.entries(k.levels) as [Level, number][];
  if (entries.length < 2) return levelTag(k.level, c);
  return entries.map(([l, n]) => `${levelTag(l, c).trimEnd()} ${formatCount(n)}`).join(c.dim(' · '));
}

/**
 * One line per `<*>`: `<*> = SearchTool 14, MailTool 10, … (7 distinct)`. A slot whose most
 * frequent value occurs once (a timestamp, a charge id) says nothing a sample does not; it is
 * left to `--json`.
 */
export function slotLines(k: ErrorCluster, c: ChalkInstance): string[] {
  const many = k.template.split('<*>').length > 2;
  return k.slots
    .filter((s) => s.values.length > 0 && s.values[0].count > 1)
    .slice(0, SLOT_LINES)
    .map((s) => {
      const shown = s.values.slice(0, SLOT_VALUES).map((v) => `${visible(v.value)} ${formatCount(v.count)}`);
      if (s.distinct > shown.length) shown.push('…');
      const name = many ? `<*>#${s.position + 1}` : '<*>';
      return `   ${c.magenta(name)} = ${shown.join(', ')} ${c.dim(`(${formatCount(s.distinct)} distinct)`)}`;
    });
}

/** A sample: its message and source, then its error attributes on one line unless the template already says them all. */
export function sampleLines(s: ErrorSample, k: ErrorCluster, c: ChalkInstance): string[] {
  const L = [c.dim(`   e.g. ${visible(s.message)}  ${s.source}`)];
  const error = s.error_type && s.error_message && !s.error_message.startsWith(s.error_type) ? `${s.error_type}: ${s.error_message}` : (s.error_message ?? s.error_type);
  const parts: string[] = [];
  if (error !== undefined && error !== s.message && error !== k.error_template) parts.push(c.red(visible(clip(error.split(/\r?\n/)[0], ERROR_WIDTH))));
  if (s.stack_frame) parts.push(c.dim(visible(s.stack_frame)));
  if (parts.length) L.push(`        ${parts.join(c.dim('  '))}`);
  return L;
}
