import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './cli.js';

/** Splits a shell command line into words, honouring single and double quotes. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** Every `npx logtool …` line of the README runs on the shipped fixtures. */
const commands = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  .split('\n')
  .flatMap((l) => l.split('&&').map((s) => s.trim()))
  .filter((l) => l.startsWith('npx logtool '))
  .map((l) => l.replace(/\s+#.*$/, '').split(' | ')[0]);

describe('README examples', () => {
  it('has examples', () => expect(commands.length).toBeGreaterThan(2));
  for (const cmd of commands) {
    it(cmd, async () => {
      const args = words(cmd).slice(2);
      const r = await runCli(args, { cwd: ROOT });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      if (args.includes('--json')) expect(() => JSON.parse(r.stdout)).not.toThrow();
    });
  }
});
