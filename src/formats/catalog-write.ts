import { readFileSync, writeFileSync } from 'node:fs';
import { withCatalog } from './catalog.js';

/** `npm run docs:formats`: rewrites the README's tables of envelopes and layouts from the registries. */
const file = process.argv[2] ?? 'README.md';
writeFileSync(file, withCatalog(readFileSync(file, 'utf8')));
