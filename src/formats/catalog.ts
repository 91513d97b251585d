import { ENVELOPES, LINE_ENVELOPES } from './envelopes/index.js';
import { LAYOUTS } from './layouts/index.js';

/** The README's tables of envelopes and layouts are made from the registries, between these markers. */
const BLOCKS = ['envelopes', 'layouts'] as const;

/** A table cell of code: pipes escaped, backticks replaced. */
const code = (s: string) => s.replace(/\|/g, '\\|').replace(/`/g, "'");
/** A table cell of prose: as code, and angle brackets shown rather than read as HTML. */
const cell = (s: string) => code(s).replace(/</g, '&lt;').replace(/>/g, '&gt;');
const clip = (s: string, n = 72) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The markdown table of one registry, as the README shows it. */
export function catalogTable(block: (typeof BLOCKS)[number]): string {
  if (block === 'envelopes') {
    const rows = [...ENVELOPES, ...LINE_ENVELOPES].map((e) => `  | \`${e.name}\` | ${cell(e.title)} |`);
    return ['  | name | envelope |', '  |---|---|', ...rows].join('\n');
  }
  const rows = LAYOUTS.map((l) => `  | \`${l.name}\` | ${cell(l.title)} | \`${cell(clip(l.samples[0]?.line ?? ''))}\` |`);
  return ['  | `--format` | layout | a line it reads |', '  |---|---|---|', ...rows].join('\n');
}

/** `text` (the README) with each marked block replaced by its table. */
export function withCatalog(text: string): string {
  let out = text;
  for (const block of BLOCKS) {
    const open = `<!-- ${block} -->`;
    const close = `<!-- /${block} -->`;
    const a = out.indexOf(open);
    if (a === -1) continue;
    const b = out.indexOf(close, a);
    const end = b === -1 ? a + open.length : b + close.length;
    out = `${out.slice(0, a)}${open}\n${catalogTable(block)}\n${close}${out.slice(end)}`;
  }
  return out;
}
