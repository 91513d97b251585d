import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withCatalog } from '../../../src/formats/catalog.js';
import { ENVELOPES, LINE_ENVELOPES } from '../../../src/formats/envelopes/index.js';
import { LAYOUTS } from '../../../src/formats/layouts/index.js';

const README = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
const inputs = README.slice(README.indexOf('## Inputs'), README.indexOf('## The normalized record'));

describe('the README lists every input format', () => {
  it('names every text layout and envelope, in backticks, in its Inputs section', () => {
    const names = [...LAYOUTS, ...ENVELOPES, ...LINE_ENVELOPES].map((f) => f.name);
    const missing = names.filter((n) => !inputs.includes(`\`${n}\``));
    expect(missing).toEqual([]);
  });

  it('shows the tables the registries make (npm run docs:formats rewrites them)', () => {
    expect(withCatalog(README)).toBe(README);
  });
});
