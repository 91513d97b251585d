/** Lines that open or carry a stack trace even without indentation. */
const HEAD = /^(?:Traceback \(most recent call last\)|During handling of the above exception|The above exception was the direct cause|Caused by[: ]|Suppressed: |\.\.\. \d+ (?:more|common frames omitted)|\s*at [\w$.<]|goroutine \d+ \[)/;

/** An exception header: `ValueError: x`, `java.lang.IllegalStateException: x`, `Error: x`. */
const EXCEPTION = /^(?:[a-zA-Z_$][\w$]*\.)*[\w$]*(?:Error|Exception|Throwable|Exit|Interrupt|Fault)\b/;

/** Inside a traceback, its closing line names the exception type (`requests.exceptions.Timeout: …`). */
const TRACEBACK_TAIL = /^[A-Za-z_][\w.]*(?::|$)/;

/** Inside a Go goroutine dump, a frame's function line (`main.(*T).run(0xc0001)`, `created by main.main`): unindented. */
const GO_FRAME = /^(?:created by \S|[\w./-]+(?:\(\*?[\w.[\]]+\))?[\w.[\]]*\(.*\)$)/;

/**
 * Whether a non-JSON line that follows a record looks like that record's continuation:
 * indented text, a stack frame, a traceback header, or an exception line. `inTrace` is true
 * when the record already has continuation lines, which admits a traceback's closing line
 * and a Go stack frame's function line.
 */
export function isContinuation(text: string, inTrace: boolean): boolean {
  const c = text.charCodeAt(0);
  if (c === 32 || c === 9) return true;
  if (HEAD.test(text) || EXCEPTION.test(text)) return true;
  return inTrace && (TRACEBACK_TAIL.test(text) || GO_FRAME.test(text));
}

/** Whether a line holds only white space. */
export function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b !== 32 && b !== 9 && b !== 13) return false;
  }
  return true;
}
