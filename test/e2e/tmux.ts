import { execFileSync } from 'node:child_process';

/** A real terminal: a tmux server on its own socket, for programs that need a TTY. */
export class Terminal {
  private readonly socket = `logtool-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    readonly width = 120,
    readonly height = 30,
  ) {}

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /**
   * Starts a shell command in a fresh session, as a person at a terminal would: without the CI
   * variable of the test run. `; echo EXIT=$?` lets tests read the exit code.
   */
  start(command: string, cwd: string): void {
    this.tmux('new-session', '-d', '-s', 't', '-x', String(this.width), '-y', String(this.height), '-c', cwd, `env -u CI ${command}; echo EXIT=$?; sleep 30`);
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 't', ...keys);
  }

  /** The screen as text. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 't');
  }

  /**
   * Everything the terminal showed, scrollback included, with lines the terminal wrapped joined
   * again: a line wider than the terminal shows up here as one line longer than `width`.
   */
  transcript(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 't');
  }

  /** Waits until the screen shows the pattern. */
  async waitFor(pattern: RegExp | string, ms = 15_000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      const s = this.screen();
      if (typeof pattern === 'string' ? s.includes(pattern) : pattern.test(s)) return s;
      if (Date.now() > until) throw new Error(`terminal never showed ${pattern}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      /* already gone */
    }
  }
}
