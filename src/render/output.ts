import { Chalk, type ChalkInstance } from 'chalk';

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

/** A closed stdout (`logtool … | head`) ends the run quietly with the exit code so far. */
export function handleBrokenPipe(): void {
  if (pipeHandled) return;
  pipeHandled = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw e;
  });
}

/** Writes text to stdout. */
export function out(text: string): void {
  process.stdout.write(text);
}

/** Writes one diagnostic line to stderr. */
export function warn(text: string): void {
  process.stderr.write(`logtool: ${text}\n`);
}
