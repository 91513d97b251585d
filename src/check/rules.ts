import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { describeJsonError } from '../config.js';
import { UsageError } from '../errors.js';
import { METRICS } from './metrics.js';

/** One named limit over a metric, optionally restricted to records matching `where`. */
export interface Rule {
  name: string;
  metric: string;
  where: Record<string, string | number | boolean>;
  max?: number;
  min?: number;
  /** For `new_error_clusters`: an earlier `errors --json` output. */
  baseline?: string;
}

const require = createRequire(import.meta.url);

const KEYS = new Set(['name', 'metric', 'where', 'max', 'min', 'baseline', 'description']);

function fail(file: string, where: string, reason: string): never {
  throw new UsageError(`${file}: ${where}: ${reason}`);
}

/** Parses a rules document (JSON, or YAML for .yml/.yaml) and checks every rule. */
export function parseRules(file: string, text: string): Rule[] {
  // A byte-order mark (editors on Windows save one) is no part of the document.
  text = text.replace(/^\uFEFF/, '');
  let data: unknown;
  if (/\.ya?ml$/i.test(file)) {
    // The YAML parser is loaded only for YAML rules files.
    const { parseDocument } = require('yaml') as typeof Yaml;
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length) {
      const e = doc.errors[0];
      const pos = e.linePos?.[0];
      fail(file, pos ? `line ${pos.line}, column ${pos.col}` : 'YAML', e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''));
    }
    data = doc.toJS();
  } else {
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${file}: invalid JSON: ${describeJsonError(text, e as Error)}`);
    }
  }
  const rules = (data as { rules?: unknown })?.rules;
  if (!Array.isArray(rules)) fail(file, 'rules', 'expected {"rules": [ ... ]} with a list of rules');
  if (rules.length === 0) fail(file, 'rules', 'the list is empty');
  return rules.map((r, i) => checkRule(file, r, i));
}

function checkRule(file: string, r: unknown, i: number): Rule {
  const at = `rules[${i}]`;
  if (r === null || typeof r !== 'object' || Array.isArray(r)) fail(file, at, 'expected an object with name, metric and max and/or min');
  const o = r as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) fail(file, `${at}.${k}`, `unknown key (expected ${[...KEYS].join(', ')})`);
  if (typeof o.metric !== 'string') fail(file, `${at}.metric`, 'missing (e.g. "p95_ms", "error_rate")');
  if (!METRICS[o.metric]) fail(file, `${at}.metric`, `unknown metric "${o.metric}" (expected one of ${Object.keys(METRICS).join(', ')})`);
  const name = o.name === undefined ? `${o.metric}` : o.name;
  if (typeof name !== 'string' || name === '') fail(file, `${at}.name`, 'expected a non-empty string');
  for (const k of ['max', 'min'] as const) {
    if (o[k] !== undefined && (typeof o[k] !== 'number' || !Number.isFinite(o[k]))) fail(file, `${at}.${k}`, `expected a number, got ${JSON.stringify(o[k])}`);
  }
  if (o.max === undefined && o.min === undefined) fail(file, at, 'a rule needs "max" and/or "min"');
  const where = o.where ?? {};
  if (where === null || typeof where !== 'object' || Array.isArray(where)) fail(file, `${at}.where`, 'expected an object of field: value');
  for (const [k, v] of Object.entries(where)) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) fail(file, `${at}.where.${k}`, 'expected a string, number or boolean');
  }
  if (o.metric === 'new_error_clusters' && typeof o.baseline !== 'string') fail(file, `${at}.baseline`, 'new_error_clusters needs "baseline": "<errors --json file>"');
  if (o.baseline !== undefined && typeof o.baseline !== 'string') fail(file, `${at}.baseline`, 'expected a file path');
  return { name, metric: o.metric, where: where as Rule['where'], max: o.max as number | undefined, min: o.min as number | undefined, baseline: o.baseline as string | undefined };
}

/** Reads and parses a rules file; a missing file is a usage error. */
export function loadRules(file: string): Rule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read the rules file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseRules(file, text);
}
