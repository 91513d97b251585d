import { Chalk, type ChalkInstance } from 'chalk';
import { activePager, flushWarnings, holdWarning } from './pager.js';
import { renderedSafe, terminalSafe } from './safe.js';

/**
 * Colour only when the stream is a terminal and NO_COLOR is unset; FORCE_COLOR forces it;
 * `--no-color` turns it off whatever the environment says.
 */
export function colorEnabled(flag: boolean | undefined, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (flag === false) return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY);
}

/** A chalk instance that colours only when asked to, independent of chalk's own detection. */
export function makeChalk(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

let pipeHandled = false;
let onFailure: (e: NodeJS.ErrnoException) => void = (e) => {
  throw e;
};
let waiting: Promise<void> | undefined;

/**
 * A closed stdout (`logtool … | head`) ends the run quietly with the exit code so far. Any
 * other stdout error (ENOSPC for `> /dev/full`, ENOBUFS, EAGAIN) goes to `failed`, which
 * `cli/main.ts` gives to map it to a one-line message and an exit code.
 */
export function handleBrokenPipe(failed?: (e: NodeJS.ErrnoException) => void): void {
  if (failed) onFailure = failed;
  if (pipeHandled) return;
  pipeHandled = true;
  process.stdout.on('error', stdoutError);
}

function stdoutError(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') {
    flushWarnings();
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  }
  onFailure(e);
}

/**
 * Writes text to stdout (made terminal-safe: only the SGR colour codes the renderers add stay
 * raw; see `safe.ts`). When the stream's buffer is full, `drained()` returns a promise until
 * the reader catches up; callers that write many pieces wait for it (`write`, or a read pass's
 * `pause` hook), so output never piles up in memory. While a pager is on (a terminal, long
 * human output), the text goes to it instead, with the same backpressure.
 */
export function out(text: string): void {
  const pager = activePager();
  if (pager) {
    // Long output on a terminal goes through the pager (see pager.ts); its backpressure is stdout's.
    if (!pager.write(renderedSafe(text)) && !waiting) {
      waiting = pager.drained().then(() => {
        waiting = undefined;
      });
    }
    return;
  }
  let ok: boolean;
  try {
    ok = process.stdout.write(renderedSafe(text));
  } catch (e) {
    stdoutError(e as NodeJS.ErrnoException);
    return;
  }
  if (!ok && !waiting) {
    waiting = new Promise<void>((resolve) => {
      process.stdout.once('drain', () => {
        waiting = undefined;
        resolve();
      });
    });
  }
}

/** Resolves once stdout can take more, or undefined when it already can. */
export function drained(): Promise<void> | undefined {
  return waiting;
}

/** Writes text to stdout and waits while the reader is behind (backpressure). */
export async function write(text: string): Promise<void> {
  out(text);
  if (waiting) await waiting;
}

/**
 * Writes one diagnostic line to stderr. Control and bidi characters (a hostile file name, a
 * value from the logs) are shown as escapes, so the message stays one line and inert. While a
 * pager shows the output, the line is held and written after the pager exits (pager.ts).
 */
export function warn(text: string): void {
  const line = `logtool: ${terminalSafe(text)}\n`;
  if (holdWarning(line)) return;
  process.stderr.write(line);
}
