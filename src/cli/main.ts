import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { LogtoolError } from '../errors.js';
import { handleBrokenPipe, warn } from '../render/output.js';
import { endPager, flushWarnings } from '../render/pager.js';
import { terminalSafeLines } from '../render/safe.js';
import { commandsFor } from './registry.js';
import { runExitWork } from './cleanup.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Builds the program with the commands `argv` needs registered (all of them when no argv is
 * given): a run of one command does not load the others.
 */
export async function buildProgram(argv?: string[]): Promise<Command> {
  const program = new Command('logtool')
    .description('Log forensics for structured (JSON) logs: trace a request, find what is slow or failing, audit duplicates, gate CI.')
    .version(version())
    .showHelpAfterError('(run with --help for usage)')
    // Usage errors quote the arguments (file names among them): shown inert, as every stderr line.
    .configureOutput({ writeErr: (s) => process.stderr.write(terminalSafeLines(s)) })
    .exitOverride();
  const entries = commandsFor(argv ? argv.slice(2) : []);
  const registers = await Promise.all(entries.map((c) => c.load()));
  for (const register of registers) register(program);
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

/**
 * The one place that maps errors to exit codes: typed errors carry theirs, commander's usage
 * errors are 2, anything else is a bug reported in one line (a stack only with LOGTOOL_DEBUG).
 */
export async function main(argv: string[]): Promise<void> {
  handleBrokenPipe(stdoutFailed);
  try {
    await (await buildProgram(argv)).parseAsync(argv);
    await runExitWork();
    // Long output on a terminal went to a pager: the run ends when the user quits it.
    await endPager();
  } catch (e) {
    await runExitWork();
    // Output written before the error is shown first (a pager gets its end and is waited for).
    await endPager();
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof LogtoolError) {
      warn(e.message);
      process.exitCode = e.exitCode;
      return;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && (err.code === 'ENOSPC' || err.code === 'EDQUOT')) {
      warn(`no space left on device: ${err.path ?? ''} (free some space or choose another --out)`);
      process.exitCode = 2;
      return;
    }
    warn(`internal error: ${err?.message ?? String(e)} (please report this; set LOGTOOL_DEBUG=1 for details)`);
    if (process.env.LOGTOOL_DEBUG) process.stderr.write(`${terminalSafeLines(err?.stack ?? '')}\n`);
    process.exitCode = 2;
  }
}

/**
 * stdout failed for a reason other than a closed reader (`> /dev/full`, ENOBUFS, EAGAIN): the
 * answer cannot be delivered, so the run ends now with one line and exit 2.
 */
function stdoutFailed(e: NodeJS.ErrnoException): never {
  const why = e.code === 'ENOSPC' || e.code === 'EDQUOT' ? 'no space left on device' : e.code ?? e.message;
  warn(`cannot write the output to stdout: ${why}`);
  flushWarnings();
  process.exit(2);
}
