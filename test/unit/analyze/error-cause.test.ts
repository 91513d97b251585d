import { describe, expect, it } from 'vitest';
import { causeText, errorFacts, stackFacts } from '../../../src/analyze/lib/error-cause.js';
import { rec } from './records.js';

/** Stacks as loggers write them, and what a reader should take from each. */
const STACKS: { name: string; stack: string; facts: ReturnType<typeof stackFacts> }[] = [
  {
    name: 'Java',
    stack: 'java.lang.IllegalStateException: failed to obtain node locks\n\tat org.es.NodeEnv.<init>(NodeEnv.java:291)\n\tat org.es.Node.<init>(Node.java:12)',
    facts: { type: 'java.lang.IllegalStateException', message: 'failed to obtain node locks', frame: 'at org.es.NodeEnv.<init>(NodeEnv.java:291)' },
  },
  {
    name: '.NET (CRLF)',
    stack: 'System.Net.Mail.SmtpException: Mailbox unavailable\r\n   at Notifier.Send() in /src/Notifier.cs:line 40\r\n   at Worker.Run()',
    facts: { type: 'System.Net.Mail.SmtpException', message: 'Mailbox unavailable', frame: 'at Notifier.Send() in /src/Notifier.cs:line 40' },
  },
  {
    name: 'Node',
    stack: 'TypeError: Cannot read properties of undefined\n    at charge (/app/bank.js:88:11)\n    at process (/app/queue.js:3:1)',
    facts: { type: 'TypeError', message: 'Cannot read properties of undefined', frame: 'at charge (/app/bank.js:88:11)' },
  },
  {
    name: 'Python (innermost frame last, exception last)',
    stack: 'Traceback (most recent call last):\n  File "app.py", line 52, in <module>\n    handler()\n  File "/lib/requests/models.py", line 1021, in raise_for_status\n    raise HTTPError(msg)\nrequests.exceptions.HTTPError: 500 Server Error',
    facts: { type: 'requests.exceptions.HTTPError', message: '500 Server Error', frame: 'File "/lib/requests/models.py", line 1021, in raise_for_status' },
  },
  { name: 'bare exception name', stack: 'Traceback (most recent call last):\n  File "a.py", line 1, in f\nKeyboardInterrupt', facts: { type: 'KeyboardInterrupt', frame: 'File "a.py", line 1, in f' } },
  { name: 'a first line that is no exception name', stack: 'Note: retry budget spent\n    at retry (/app/r.js:1:1)', facts: { message: 'Note: retry budget spent', frame: 'at retry (/app/r.js:1:1)' } },
  { name: 'frames only', stack: '    at a (/x.js:1:1)\n    at b (/x.js:2:2)', facts: { frame: 'at a (/x.js:1:1)' } },
  { name: 'blank', stack: '\n  \n', facts: {} },
];

describe('stack facts', () => {
  for (const s of STACKS) it(`reads the type, message and innermost frame of a ${s.name} stack`, () => expect(stackFacts(s.stack)).toEqual(s.facts));
});

describe('error facts of a record', () => {
  it('prefer the normalized fields and fill the rest from the stack', () => {
    const r = rec({ errorType: 'SmtpException', stack: 'System.Net.Mail.SmtpException: Mailbox unavailable\n   at Notifier.Send()' });
    expect(errorFacts(r)).toEqual({ type: 'SmtpException', message: 'Mailbox unavailable', frame: 'at Notifier.Send()' });
  });

  it('ignore a stack that names another type than the record (another error)', () => {
    const r = rec({ errorType: 'TimeoutError', stack: 'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: boom' });
    expect(errorFacts(r)).toEqual({ type: 'TimeoutError' });
  });
});

describe('the cause of a failure', () => {
  it('is `Type: message` from the error attributes', () => {
    expect(causeText(rec({ message: 'operation failed', errorType: 'DbError', errorMessage: 'deadlock detected' }))).toBe('DbError: deadlock detected');
    expect(causeText(rec({ message: 'operation failed', errorMessage: 'context deadline exceeded' }))).toBe('context deadline exceeded');
    expect(causeText(rec({ message: 'operation failed', errorType: 'DbError' }))).toBe('DbError');
  });

  it('is the first line of a multi-line error message', () => {
    expect(causeText(rec({ message: 'failed', errorMessage: '\nquota exceeded\n  details: …' }))).toBe('quota exceeded');
  });

  it('does not repeat a type the message already starts with', () => {
    expect(causeText(rec({ message: 'failed', errorType: 'ValueError', errorMessage: 'ValueError: bad int' }))).toBe('ValueError: bad int');
  });

  it('is left out when the message already says it', () => {
    const r = rec({ message: 'Exception caught: TypeError: Arguments list has wrong type', errorType: 'TypeError', errorMessage: 'Arguments list has wrong type' });
    expect(causeText(r)).toBeUndefined();
    expect(causeText(rec({ message: 'operation failed' }))).toBeUndefined();
  });
});

describe('a stack whose exception name is the record’s error type', () => {
  it('is split on that name even when it does not read as an exception class', () => {
    const r = rec({ errorType: 'WarehouseUnavailable', stack: 'Traceback (most recent call last):\n  File "/app/w.py", line 17, in check\ninventory.errors.WarehouseUnavailable: 503' });
    expect(errorFacts(r)).toEqual({ type: 'WarehouseUnavailable', message: '503', frame: 'File "/app/w.py", line 17, in check' });
    expect(causeText(r)).toBe('WarehouseUnavailable: 503');
  });
});

describe('a cause inside a longer word of the message', () => {
  it('is still a cause of its own', () => {
    expect(causeText(rec({ message: 'EOFError while reading the body', errorMessage: 'EOF' }))).toBe('EOF');
    expect(causeText(rec({ message: 'read failed: EOF', errorMessage: 'EOF' }))).toBeUndefined();
  });
});
