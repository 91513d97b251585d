/**
 * Typed errors carry their exit code; the one catch in `cli/main.ts` maps them to the process
 * exit status and prints the message as one line (never a stack trace).
 */
export class LogtoolError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad arguments, options, rules or config: exit 2. */
export class UsageError extends LogtoolError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** An input or output that cannot be read or written: exit 2. */
export class InputError extends LogtoolError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** The answer is "no": a check, `--fail-on` limit or lookup failed: exit 1. */
export class CheckFailed extends LogtoolError {
  constructor(message: string) {
    super(message, 1);
  }
}
