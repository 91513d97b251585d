/**
 * Long human output on a terminal goes through a pager, as git's does: `$LOGTOOL_PAGER`, else
 * `$PAGER`, else `less -R -F -X` (an empty value or `cat`: no pager), run through `sh -c` with
 * `LESS=FRX` when LESS is unset.
 *
 * Only long output is paged: the output is held until it takes more rows than the terminal has
 * (a line wider than the terminal counts as the rows it wraps to), then the pager starts and gets
 * the rest as it comes; output that ends first is written to the terminal directly. While the
 * pager runs, Ctrl-C and Ctrl-\ are the pager's (logtool ignores them, so that it never leaves a
 * pager behind); the run waits for the pager to exit and keeps the command's exit code. A pager
 * the user quits before the output is complete ends the run at once (`onQuit`: the exit code so
 * far), instead of rendering the rest for nobody. Warnings (`warn()` in output.ts) written while
 * the pager shows the output are held and written on stderr, in order, once it has exited, so they
 * never land on its screen. A pager that could not be started (`sh` exits 126 or 127) costs no
 * output: it is shown directly, after a one-line warning.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { terminalSafe } from './safe.js';
import { displayWidth, plain } from './text/layout.js';

/** The pager when neither LOGTOOL_PAGER nor PAGER is set. */
export const DEFAULT_PAGER = 'less -R -F -X';
/** Output kept in memory while the pager may yet turn out not to have started. */
export const KEEP_LIMIT = 16 * 1024 * 1024;
/** Warning lines held while the pager runs; the rest are counted. */
export const HELD_WARNINGS = 1000;

/** The pager command, or undefined for none: `$LOGTOOL_PAGER`, else `$PAGER`, else less. */
export function pagerCommand(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const command = env.LOGTOOL_PAGER ?? env.PAGER ?? DEFAULT_PAGER;
  const t = command.trim();
  return t === '' || t === 'cat' ? undefined : command;
}

/** What decides whether a run's output may be paged. */
export interface PageWhen {
  /** stdout is a terminal. */
  tty: boolean | undefined;
  /** `--json`. */
  json?: boolean;
  /** `--no-pager` sets it false. */
  pager?: boolean;
  /** False for the commands that never page (streams, the dashboard, ship). */
  page?: boolean;
}

/** True when the output of this run goes through a pager once it is long. */
export function wantsPager(w: PageWhen): boolean {
  return Boolean(w.tty) && !w.json && w.pager !== false && w.page !== false;
}

/** Counts the terminal rows text takes at a width (lines wider than it wrap to several rows). */
export class RowCounter {
  /** Rows of the complete lines so far. */
  private full = 0;
  /** Columns taken by the line not yet ended. */
  private col = 0;

  constructor(private readonly columns: number) {}

  /**
   * Adds text; returns the rows taken so far, the unfinished line included. Counting stops once
   * `enough` rows are reached (a long text is not measured to its end only to be paged).
   */
  add(text: string, enough = Infinity): number {
    const parts = text.split('\n');
    for (let i = 0; i < parts.length && this.full < enough; i++) {
      const w = this.col + (parts[i] === '' ? 0 : displayWidth(plain(parts[i])));
      if (i === parts.length - 1) {
        this.col = w;
      } else {
        this.full += Math.max(1, Math.ceil(w / this.columns));
        this.col = 0;
      }
    }
    return this.rows();
  }

  rows(): number {
    return this.full + Math.ceil(this.col / this.columns);
  }
}

/** Where output goes when it is not paged (stdout). */
export interface Sink {
  write(text: string): boolean;
  once(event: 'drain', fn: () => void): unknown;
}

export interface PagerOptions {
  command: string;
  /** The terminal's rows and columns. */
  rows: number;
  columns: number;
  env?: NodeJS.ProcessEnv;
  /** Output that is not paged (short, or the pager could not start): stdout. */
  stdout?: Sink;
  /** One warning line (without the `logtool: ` prefix). */
  warn?: (text: string) => void;
  /** Output kept while the pager may not have started (bytes, about). */
  keepLimit?: number;
  /** Where held warning lines go once the pager has exited (stderr). */
  stderr?: (line: string) => void;
  /**
   * The pager exited before the output was complete (the user quit it): held warnings are out and
   * Ctrl-C is logtool's again. Default: the run ends now, with the exit code so far.
   */
  onQuit?: () => void;
}

/** Ends the run with the exit code so far (as a closed stdout does). */
function endRun(): void {
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
}

type State = 'holding' | 'paging' | 'direct' | 'quit';

const ignoreSignal = (): void => undefined;

/** One run's pager: holds output until it is long, then pipes it into the pager process. */
export class Pager {
  private state: State = 'holding';
  private held: string[] = [];
  private readonly counter: RowCounter;
  private child: ChildProcess | undefined;
  /** The pager's stdin is still open for writing. */
  private open = false;
  /** What the pager was given, while it may still turn out not to have started. */
  private kept: string[] | undefined = [];
  private keptSize = 0;
  private keptAll = true;
  private waiters: Array<() => void> = [];
  private exited: Promise<void> | undefined;
  private readonly stdout: Sink;
  private readonly warn: (text: string) => void;
  /** `end()` was called: the output is complete. */
  private ended = false;
  /** Warning lines written while the pager runs, for after it exits; and how many more there were. */
  private warnings: string[] = [];
  private moreWarnings = 0;
  private readonly flushAtExit = (): void => this.flushWarnings();

  constructor(private readonly o: PagerOptions) {
    this.counter = new RowCounter(Math.max(1, o.columns));
    this.stdout = o.stdout ?? process.stdout;
    this.warn = o.warn ?? ((t) => process.stderr.write(`logtool: ${terminalSafe(t)}\n`));
  }

  /** True once the pager process was started. */
  get started(): boolean {
    return this.child !== undefined;
  }

  /**
   * Holds one warning line (with its newline) while the pager shows the output; false when no
   * pager runs and the line should go to stderr now.
   */
  hold(line: string): boolean {
    if (this.state !== 'paging') return false;
    if (this.warnings.length < HELD_WARNINGS) this.warnings.push(line);
    else this.moreWarnings++;
    return true;
  }

  /** Writes the held warnings on stderr, in order (before the run ends, whichever way). */
  flushWarnings(): void {
    const lines = this.warnings;
    const more = this.moreWarnings;
    this.warnings = [];
    this.moreWarnings = 0;
    const write = this.o.stderr ?? ((l: string) => process.stderr.write(l));
    if (lines.length) write(lines.join(''));
    if (more) write(`logtool: … ${more} more warning${more === 1 ? '' : 's'}\n`);
  }

  /**
   * Writes output; false when the reader is behind (wait for `drained()`). Once the pager stopped
   * reading (quit), writes return false and `drained()` waits for it to exit, so that the run
   * gives way and ends then instead of rendering the rest.
   */
  write(text: string): boolean {
    if (text === '') return true;
    switch (this.state) {
      case 'holding':
        this.held.push(text);
        if (this.counter.add(text, this.o.rows) < this.o.rows) return true;
        return this.start();
      case 'paging':
        return this.send(text);
      case 'direct':
        return this.stdout.write(text);
      case 'quit':
        return true;
    }
  }

  /** Resolves once the pager (or stdout) can take more. */
  drained(): Promise<void> {
    if (this.state === 'direct') return new Promise((resolve) => this.stdout.once('drain', resolve));
    if (this.state !== 'paging') return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * The output is complete: held output goes to stdout; a running pager gets its input closed
   * and is waited for (the user reads, then quits it).
   */
  async end(): Promise<void> {
    this.ended = true;
    if (this.state === 'holding') {
      this.state = 'direct';
      const text = this.held.join('');
      this.held = [];
      if (text) this.stdout.write(text);
      return;
    }
    if (this.open) {
      this.open = false;
      this.child?.stdin?.end();
    }
    await this.exited;
  }

  private start(): boolean {
    const env = { ...(this.o.env ?? process.env) };
    // As git: less shows colours and quits when the output fits, unless the user's LESS says otherwise.
    if (env.LESS === undefined) env.LESS = 'FRX';
    if (env.LV === undefined) env.LV = '-c';
    this.state = 'paging';
    // The pager owns Ctrl-C while it runs (less uses it to stop a search); logtool must not die
    // and leave it behind.
    process.on('SIGINT', ignoreSignal).on('SIGQUIT', ignoreSignal);
    // Whichever way the run ends, the warnings held for after the pager are not lost.
    process.once('exit', this.flushAtExit);
    const child = spawn('sh', ['-c', this.o.command], { stdio: ['pipe', 'inherit', 'inherit'], env });
    this.child = child;
    this.open = true;
    this.exited = new Promise<void>((resolve) => {
      let done = false;
      const gone = (code: number | null, failed: boolean) => {
        if (done) return;
        done = true;
        this.exit(code, failed);
        resolve();
      };
      child.on('error', () => gone(null, true));
      child.on('exit', (code) => gone(code, code === 126 || code === 127));
    });
    child.stdin!.on('error', () => this.closed());
    child.stdin!.on('close', () => this.closed());
    child.stdin!.on('drain', () => {
      // Only the pager reads its input: it has started, so the copy is no longer needed.
      this.kept = undefined;
      this.release();
    });
    const text = this.held.join('');
    this.held = [];
    return this.send(text);
  }

  private send(text: string): boolean {
    if (this.kept) {
      if (this.keptSize + text.length <= (this.o.keepLimit ?? KEEP_LIMIT)) {
        this.kept.push(text);
        this.keptSize += text.length;
      } else {
        this.keptAll = false;
      }
    }
    if (this.open && (this.child!.stdin!.destroyed || !this.child!.stdin!.writable)) this.closed();
    if (!this.open) return false;
    try {
      return this.child!.stdin!.write(text);
    } catch {
      this.closed();
      return false;
    }
  }

  /**
   * The pager's input closed (the user quit it, or it never started): writers wait, in
   * `drained()`, for the pager to exit (`exit` releases them).
   */
  private closed(): void {
    this.open = false;
  }

  private exit(code: number | null, failed: boolean): void {
    process.off('SIGINT', ignoreSignal).off('SIGQUIT', ignoreSignal).off('exit', this.flushAtExit);
    this.open = false;
    const kept = this.kept;
    this.kept = undefined;
    if (failed && kept) {
      this.state = 'direct';
      const lost = this.keptAll ? '' : ` (only the first ${Math.round((this.o.keepLimit ?? KEEP_LIMIT) / 1024 / 1024)} MB of it)`;
      this.warn(`pager '${this.o.command}' could not be started (exit ${code ?? 'error'}); showing the output directly${lost}; set LOGTOOL_PAGER or use --no-pager`);
      this.stdout.write(kept.join(''));
    } else {
      this.state = 'quit';
    }
    this.flushWarnings();
    // Quit before the output was complete: nobody reads the rest, the run ends now.
    if (!this.ended && !failed) (this.o.onQuit ?? endRun)();
    this.release();
  }

  private release(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }
}

let active: Pager | undefined;

/**
 * Pages this run's output when it is human output on a terminal, the pager is wanted and one is
 * configured. Output written before is not affected (there is none: a run starts it first).
 */
export function startPager(when: Omit<PageWhen, 'tty'>, stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Pager | undefined {
  if (active) return active;
  if (!wantsPager({ ...when, tty: stream.isTTY })) return undefined;
  const command = pagerCommand(env);
  if (!command) return undefined;
  active = new Pager({ command, rows: stream.rows || 24, columns: stream.columns || 80, env, stdout: stream });
  return active;
}

/** The pager output goes through, if any. */
export function activePager(): Pager | undefined {
  return active;
}

/**
 * Holds a warning line while a pager shows the output (true), for after it exits; false: write
 * it now.
 */
export function holdWarning(line: string): boolean {
  return active ? active.hold(line) : false;
}

/** Writes the warnings held for after the pager (before a run ends early). */
export function flushWarnings(): void {
  active?.flushWarnings();
}

/** Ends paging: held output is written, a running pager is waited for. */
export async function endPager(): Promise<void> {
  const p = active;
  if (!p) return;
  await p.end();
}
