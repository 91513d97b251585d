import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../../src/source/clickhouse/failure.js';
import { parseTarget } from '../../../src/source/clickhouse/url.js';

const target = parseTarget('clickhouse://logtool:hunter2@db.local:8123/logs?table=t', {});

/** An error as @clickhouse/client raises one from a server answer (code parsed from the body). */
function serverError(code: number, text: string): Error {
  return Object.assign(new Error(text), { code: String(code), type: 'X' });
}

describe('describeFailure', () => {
  it.each([
    [serverError(516, 'logtool: Authentication failed: password is incorrect, or there is no user with such name.'), /authentication failed for user 'logtool'/],
    [serverError(193, 'Wrong password for user logtool'), /authentication failed/],
    [serverError(60, "Table logs.t doesn't exist."), /table not found: logs\.t/],
    [serverError(81, "Database nope doesn't exist"), /database not found: nope/],
    [serverError(159, 'Timeout exceeded: elapsed 1.2 seconds, maximum: 1'), /ran past --timeout/],
    [serverError(115, 'Unknown setting param_since'), /query parameters need ClickHouse 19\.17/],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }), /connection refused/],
    [Object.assign(new Error('getaddrinfo ENOTFOUND db.local'), { code: 'ENOTFOUND' }), /host not found/],
    [new Error('Timeout error.'), /no answer in time/],
  ])('%s → one line naming the server', (err, msg) => {
    const line = describeFailure(err, target);
    expect(line).toMatch(/^http:\/\/logtool@db\.local:8123\/logs: /);
    expect(line).toMatch(msg);
    expect(line).not.toContain('\n');
    expect(line).not.toContain('hunter2');
  });

  it('recognises an error the server sent after rows began (HTTP 200, then Code: N in the body)', () => {
    const midStream = new SyntaxError('Unexpected token \'C\', "Code: 395, e.displayText() = DB::Exception: Value passed to \'throwIf\' function is non zero" is not valid JSON');
    const line = describeFailure(midStream, target, true);
    expect(line).toMatch(/failed mid-answer \(error 395\); nothing was reported/);
  });

  it('a network failure wrapped in causes is still found', () => {
    const inner = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(describeFailure(Object.assign(new Error('request failed'), { cause: inner }), target)).toMatch(/closed the connection/);
  });

  it('scrubs the password from any message that carries it', () => {
    expect(describeFailure(new Error('bad url http://logtool:hunter2@db.local'), target)).not.toContain('hunter2');
  });
});
