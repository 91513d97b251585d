import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';
import { parseDurationArg } from './normalize/duration.js';

/** The project config file (`.logtoolrc.json` or `logtool.config.json`). */
export interface Config {
  /** Extra aliases per normalized field, each `key` or `key:unit`, tried before the built-in ones. */
  fields?: Record<string, string | string[]>;
  tz?: string;
  durationUnit?: string;
  /** Fields taken from the message by regex: `{"user": "user=(\\w+)"}` or `["user=user=(\\w+)"]`. */
  extract?: Record<string, string> | string[];
  /** Latency limits per layer/component and per operation (`"1s"`, `"250ms"` or ms numbers). */
  thresholds?: { layer?: Record<string, string | number>; operation?: Record<string, string | number>; default?: string | number };
  /** Extra masks for error templates: `{name, pattern}`. */
  masks?: { name: string; pattern: string; flags?: string }[];
  /** Alert rules for `tail` and `dashboard`. */
  alerts?: { errors?: string; slow?: string; match?: string[] };
  /** The file the config came from. */
  file?: string;
}

const NAMES = ['.logtoolrc.json', 'logtool.config.json'];

/** Finds the config file in the working directory or a parent; `explicit` wins when given. */
export function findConfigFile(cwd: string, explicit?: string): string | undefined {
  if (explicit) {
    if (!existsSync(explicit)) throw new UsageError(`${explicit}: config file not found`);
    return explicit;
  }
  let dir = path.resolve(cwd);
  for (;;) {
    for (const n of NAMES) {
      const p = path.join(dir, n);
      if (existsSync(p)) return p;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Loads and checks the config; a malformed file is a usage error naming the file and the place. */
export function loadConfig(cwd: string, explicit?: string): Config {
  const file = findConfigFile(cwd, explicit);
  if (!file) return {};
  let text: string;
  try {
    // A byte-order mark (editors on Windows save one) is no part of the JSON.
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new UsageError(`${file}: cannot read config file: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: invalid JSON: ${describeJsonError(text, e as Error)}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`${file}: the config must be a JSON object`);
  }
  checkThresholds(file, (data as Config).thresholds);
  return { ...(data as Config), file };
}

/** Latency limits must read as durations (`"250ms"`, `"1s"`) or ms numbers: a typo is no silent "no limit". */
function checkThresholds(file: string, t: Config['thresholds']): void {
  if (t === undefined) return;
  if (t === null || typeof t !== 'object' || Array.isArray(t)) throw new UsageError(`${file}: thresholds: expected an object such as {"operation": {"checkout": "2s"}}`);
  const check = (v: unknown, at: string) => {
    const ok = typeof v === 'number' ? Number.isFinite(v) && v >= 0 : typeof v === 'string' && parseDurationArg(v) !== undefined;
    if (!ok) throw new UsageError(`${file}: ${at}: ${JSON.stringify(v)} is not a duration (e.g. "250ms", "2s", or ms as a number)`);
  };
  if (t.default !== undefined) check(t.default, 'thresholds.default');
  for (const what of ['layer', 'operation'] as const) {
    const m = t[what];
    if (m === undefined) continue;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) throw new UsageError(`${file}: thresholds.${what}: expected an object of name: duration`);
    for (const [k, v] of Object.entries(m)) check(v, `thresholds.${what}.${k}`);
  }
}

/** Turns V8's "at position N" into a line and column a person can find. */
export function describeJsonError(text: string, e: Error): string {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return e.message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return `${e.message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${col}`;
}
