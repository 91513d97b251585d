import { spawn } from 'node:child_process';
import path from 'node:path';

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, '../..');
/** The real binary, run as a user runs it. */
export const BIN = path.join(ROOT, 'bin/logtool.js');

/** What one run of the binary produced. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `logtool` with arguments, optional stdin and environment; never a terminal. */
export function runCli(args: string[], opts: { stdin?: string | Buffer; cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...opts.env } as NodeJS.ProcessEnv;
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}

/** Removes ANSI sequences and makes absolute paths relative, for comparing output. */
export function scrub(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '').split(ROOT + path.sep).join('');
}

/** One file's line accounting in `stats --json`. */
export interface FileJson {
  source: string;
  lines: number;
  records: number;
  continuation_lines: number;
  unparsed_lines: number;
  skipped_lines?: number;
  expanded_records: number;
  format?: string;
  error?: string;
}
