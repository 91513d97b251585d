import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, scrub } from './cli.js';

/** One golden case: arguments, optional stdin, and what must come out. */
interface GoldenCase {
  args: string[];
  stdin?: string;
  exit: number;
  stdout_contains?: string[];
  stdout_not_contains?: string[];
  stderr_contains?: string[];
  stdout_empty?: boolean;
  /** Dotted paths into the parsed JSON stdout and their expected values. */
  json?: Record<string, unknown>;
}

const DIR = path.join(ROOT, 'test/e2e/cases');

function at(obj: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((o, k) => (o === null || o === undefined ? undefined : (o as Record<string, unknown>)[k]), obj);
}

describe('golden cases', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()) {
    const c = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as GoldenCase;
    it(file.replace(/\.json$/, ''), async () => {
      const r = await runCli(c.args, { stdin: c.stdin });
      const out = scrub(r.stdout);
      const err = scrub(r.stderr);
      expect(err).not.toMatch(/\n\s+at .*\.js:\d+/);
      for (const s of c.stdout_contains ?? []) expect(out).toContain(s);
      for (const s of c.stdout_not_contains ?? []) expect(out).not.toContain(s);
      for (const s of c.stderr_contains ?? []) expect(err).toContain(s);
      if (c.stdout_empty) expect(out).toBe('');
      if (c.json) {
        const doc = JSON.parse(r.stdout);
        for (const [k, v] of Object.entries(c.json)) expect(at(doc, k), k).toEqual(v);
      }
      expect(r.code, err).toBe(c.exit);
    });
  }
});

describe('a closed stdout', () => {
  it('ends quietly, for help text too', async () => {
    const { spawnSync } = await import('node:child_process');
    for (const cmd of ['slow --help', 'stats fixtures/incident']) {
      const r = spawnSync('sh', ['-c', `node bin/logtool.js ${cmd} | head -1`], { cwd: ROOT, encoding: 'utf8' });
      expect(r.stderr, cmd).toBe('');
      expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    }
  });
});
