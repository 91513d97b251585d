/**
 * What a record says about its failure beyond the message: the error type, the error message
 * and the frame it was raised in, from the normalized error fields or, failing those, from the
 * record's stack text (.NET `Exception`/`@x`, Python `exc_info`/`exception`, Java/Node stacks).
 */
import type { LogRecord } from '../../types.js';

/** A record's error attributes, as far as it has them. */
export interface ErrorFacts {
  type?: string;
  message?: string;
  /** The frame the error was raised in (innermost): `at Foo.bar (x.js:1:2)`, `File "a.py", line 3, in f`. */
  frame?: string;
}

// A stack frame line: Java/.NET/Node `at …`, Python `File "…"`, PHP `#0 …`.
const FRAME = /^\s*(?:at\s|File\s"|#\d+\s)/;
const PY_TRACEBACK = 'Traceback (most recent call last)';
// `Type: message` or a bare `Type`, where Type is an identifier path (`java.lang.X`, `A\B\C`, `a.b+C`).
const EXCEPTION_LINE = /^([A-Za-z_$][\w$]*(?:[.\\+/][A-Za-z_$][\w$]*)*)(?::\s*(.*))?$/;
// The last segment of a type name must read as an exception class, so `Note: x` is a message.
const EXCEPTION_NAME = /(?:^|[.\\+/])[A-Z][\w$]*(?:Error|Exception|Fault|Failure|Interrupt|Exit|Panic)$|(?:^|[.\\+/])(?:Error|Exception)$/;

/** Whether two type names name one type (`java.lang.IllegalStateException` and `IllegalStateException`). */
function sameType(a: string, b: string): boolean {
  const last = (t: string) => t.slice(Math.max(t.lastIndexOf('.'), t.lastIndexOf('\\'), t.lastIndexOf('+')) + 1);
  return a === b || last(a) === last(b);
}

/** The exception line of a stack text split into type and message; `known` is a type name the record gives. */
function splitExceptionLine(line: string, known?: string): Pick<ErrorFacts, 'type' | 'message'> {
  const m = EXCEPTION_LINE.exec(line);
  if (m && (EXCEPTION_NAME.test(m[1]) || (known !== undefined && sameType(known, m[1])))) return m[2] ? { type: m[1], message: m[2] } : { type: m[1] };
  return { message: line };
}

/**
 * Type, message and innermost frame of a stack text. Python tracebacks name the exception on
 * their last unindented line and list frames outermost first; the others (Java, .NET, Node)
 * start with the exception line and list the innermost frame first.
 */
export function stackFacts(stack: string, knownType?: string): ErrorFacts {
  const lines = stack.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return {};
  let exception: string | undefined;
  let frame: string | undefined;
  if (lines[0].startsWith(PY_TRACEBACK)) {
    for (let i = lines.length - 1; i > 0 && (exception === undefined || frame === undefined); i--) {
      if (exception === undefined && !/^\s/.test(lines[i])) exception = lines[i];
      if (frame === undefined && /^\s*File\s"/.test(lines[i])) frame = lines[i].trim();
    }
  } else {
    if (!FRAME.test(lines[0])) exception = lines[0].trim();
    frame = lines.find((l) => FRAME.test(l))?.trim();
  }
  const facts: ErrorFacts = exception ? splitExceptionLine(exception.trim(), knownType) : {};
  if (frame) facts.frame = frame;
  return facts;
}

/**
 * The record's error attributes: normalized fields first, then what its stack text says — but
 * not from a stack naming another type than the record's error type (it tells of another error).
 * Without `frame` the stack is read only when a type or message is missing (the same type and
 * message either way; the frame is for samples only).
 */
export function errorFacts(r: LogRecord, frame = true): ErrorFacts {
  const readStack = r.stack !== undefined && r.stack !== '' && (frame || r.errorType === undefined || r.errorMessage === undefined);
  let s = readStack ? stackFacts(r.stack!, r.errorType) : {};
  if (r.errorType !== undefined && s.type !== undefined && !sameType(r.errorType, s.type)) s = {};
  const facts: ErrorFacts = {};
  const type = r.errorType ?? s.type;
  const message = r.errorMessage ?? s.message;
  if (type !== undefined) facts.type = type;
  if (message !== undefined) facts.message = message;
  if (frame && s.frame !== undefined) facts.frame = s.frame;
  return facts;
}

/** The first non-blank line of a text, trimmed (one-line texts, the usual case, are not split). */
function firstLine(text: string): string {
  if (!text.includes('\n')) return text.trim();
  for (const l of text.split(/\r?\n/)) if (l.trim() !== '') return l.trim();
  return '';
}

/**
 * The failure's cause as one line, `Type: message`, or undefined when the record has no error
 * attributes or its message already says all of it (`Exception caught: TypeError: …` beside
 * `err.name`/`err.message`): then the message alone tells the failures apart.
 */
export function causeText(r: LogRecord, facts: ErrorFacts = errorFacts(r)): string | undefined {
  const type = facts.type?.trim() || undefined;
  const message = facts.message !== undefined ? firstLine(facts.message) || undefined : undefined;
  let text: string | undefined;
  if (type && message) text = message.startsWith(type) ? message : `${type}: ${message}`;
  else text = type ?? message;
  if (text === undefined || (r.message !== undefined && containsWords(r.message, text))) return undefined;
  return text;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Whether `part` occurs in `text` not inside a longer word (`EOF` is not in `EOFError`). */
function containsWords(text: string, part: string): boolean {
  const edge = (c: string | undefined) => c === undefined || !WORD_CHAR.test(c);
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
    if ((at === 0 || edge(text[at - 1]) || !WORD_CHAR.test(part[0])) && (edge(text[at + part.length]) || !WORD_CHAR.test(part[part.length - 1]))) return true;
  }
  return false;
}
