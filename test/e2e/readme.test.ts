import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Every `npx logtool …` line of the README, in order, without comments, pipes and `|| …`. */
const commands = readme
  .split('\n')
  .flatMap((l) => l.replace(/^\s*(?:- name:.*|run:\s*)/, '').split('&&').map((s) => s.trim()))
  .filter((l) => l.startsWith('npx logtool '))
  .map((l) => l.replace(/\s+#.*$/, '').replace(/\s*\|\|.*$/, '').split(' | ')[0].trim())
  // Commands that record a file (the error baseline) run before the ones that read it.
  .sort((a, b) => Number(b.includes(' > ')) - Number(a.includes(' > ')));

/**
 * The README's examples run in a folder where its placeholder paths exist: `logs/` and
 * `test-output/` are the incident fixtures, the rules file is the README's own example.
 */
function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'logtool-readme-'));
  symlinkSync(path.join(ROOT, 'fixtures'), path.join(dir, 'fixtures'));
  symlinkSync(path.join(ROOT, 'fixtures/incident'), path.join(dir, 'logs'));
  symlinkSync(path.join(ROOT, 'fixtures/incident'), path.join(dir, 'test-output'));
  const rules = /```json\n(\{"rules"[^]*?)```/.exec(readme);
  writeFileSync(path.join(dir, 'logtool-rules.json'), rules ? rules[1] : '{}');
  return dir;
}

describe('README examples', () => {
  const cwd = workspace();
  it('has examples, and a rules example', () => {
    expect(commands.length).toBeGreaterThan(5);
    expect(JSON.parse(readFileSync(path.join(cwd, 'logtool-rules.json'), 'utf8')).rules.length).toBeGreaterThan(2);
  });
  for (const cmd of commands) {
    it(cmd, async () => {
      const [command, target] = cmd.split(/\s+>\s+/);
      const args = words(command).slice(2);
      const r = await runCli(args, { cwd });
      if (target) writeFileSync(path.join(cwd, target), r.stdout);
      // A gate may answer "no" (exit 1) on the incident; everything else must succeed.
      const gate = args[0] === 'check' || args.includes('--fail-on');
      expect(gate ? [0, 1] : [0], r.stderr).toContain(r.code);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout.length).toBeGreaterThan(0);
      if (args.includes('--json')) expect(() => JSON.parse(r.stdout)).not.toThrow();
    });
  }
});
