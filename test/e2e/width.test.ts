import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, scrub } from './cli.js';

/**
 * Every command's human output fits the width it is given (`--width`, `COLUMNS`, 80 when piped):
 * no line is wider, measured as a terminal measures it (colour codes none, wide characters two).
 * The input is made wide on purpose: long service and operation names, messages that share a
 * long start, long ids, wide characters, stack lines.
 */

const WIDTHS = [80, 100, 200];

// Made when the file loads: the test names are built from the commands, which name these paths.
const dir = mkdtempSync(path.join(tmpdir(), 'logtool-width-'));
// Short enough that a command naming it fits 80 columns: commands to copy are never cut.
const WIDE = path.join(dir, 'logs', 'checkoutservice-prod-eu-1.log');
const rules = path.join(dir, 'rules.json');

const SERVICES = ['checkoutservice-production-eu-west-1-blue', 'paymentservice-production-eu-west-1-green', '支払いサービス-本番環境-東京リージョン'];
const OPS = ['hipstershop.CheckoutService/PlaceOrderWithVeryLongOperationName', 'hipstershop.PaymentService/ChargeCardThroughTheExternalGateway', 'GET /api/v1/customers/<id>/orders/<id>/shipments/<id>/tracking-events'];
const PREFIX = 'TraceID: 4bf92f3577b34da6a3ce929d0e0e4736 SpanID: 00f067aa0ba902b7 request to upstream failed after retries exhausted:';

function wideLog(): string {
  const lines: string[] = [];
  const t0 = Date.parse('2024-03-01T10:00:00Z');
  for (let i = 0; i < 400; i++) {
    const s = SERVICES[i % 3];
    const op = OPS[i % 3];
    const id = `request-correlation-id-${String(i % 40).padStart(4, '0')}-aaaaaaaaaaaaaaaaaaaaaaaa`;
    const time = new Date(t0 + i * 1500 + (i === 200 ? 120_000 : 0)).toISOString();
    const base = { timestamp: time, service: s, operation: op, request_id: id, duration_ms: 20 + ((i * 37) % 900) };
    lines.push(JSON.stringify({ ...base, level: 'info', event: i % 2 ? 'operation_start' : 'operation_end', message: `${op} handled\tfor\t\tcustomer ${'x'.repeat(i % 50)}` }));
    if (i % 4 === 0) {
      const tail = ['could not charge card 4111 for order ' + i, 'inventory reservation rejected for sku ' + i, '在庫の予約が拒否されました 注文 ' + i][i % 3];
      lines.push(JSON.stringify({ ...base, level: i % 8 ? 'error' : 'warn', message: `${PREFIX} ${tail}`, error: { type: 'UpstreamUnavailableExceptionWithALongName', message: 'connection reset by peer '.repeat(6), stack: 'at com.example.very.long.package.name.Class.method(Class.java:123)' } }));
    }
    if (i % 50 === 0) lines.push(JSON.stringify({ ...base, level: 'warn', event: 'circuit_breaker_open', message: `circuit breaker opened for ${s} after consecutive failures` }));
  }
  lines.push(lines[5], lines[6]);
  return lines.join('\n') + '\n';
}

beforeAll(() => {
  mkdirSync(path.dirname(WIDE), { recursive: true });
  writeFileSync(WIDE, wideLog());
  writeFileSync(rules, JSON.stringify({ rules: [
    { name: 'p95 of the checkout operation with a name longer than the column', metric: 'p95_ms', where: { operation: OPS[0] }, max: 100 },
    { name: 'error rate', metric: 'error_rate', max: 0.5 },
  ] }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The commands of the report, each on the shipped fixtures and on the wide input. */
function commands(): { name: string; args: string[] }[] {
  const inputs = ['fixtures/incident', WIDE];
  return [
    { name: 'trace', args: ['trace', 'req-000e6', ...inputs] },
    { name: 'trace (wide)', args: ['trace', 'request-correlation-id-0000-aaaaaaaaaaaaaaaaaaaaaaaa', WIDE] },
    { name: 'stats', args: ['stats', ...inputs] },
    { name: 'slow', args: ['slow', ...inputs, '--by', 'service,operation', '--threshold', '500ms'] },
    { name: 'slow --chart', args: ['slow', WIDE, '--chart'] },
    { name: 'errors', args: ['errors', ...inputs] },
    { name: 'errors --level warn', args: ['errors', WIDE, '--level', 'warn'] },
    { name: 'why', args: ['why', ...inputs] },
    { name: 'dedup', args: ['dedup', ...inputs] },
    { name: 'dedup --events all', args: ['dedup', WIDE, '--events', 'all'] },
    { name: 'emergency', args: ['emergency', ...inputs, '--out', dir] },
    { name: 'check', args: ['check', ...inputs, '--rules', rules] },
  ];
}

/** A line as wide as a terminal shows it: a tab moves to the next multiple of 8. */
function shown(line: string): number {
  let col = 0;
  for (const part of line.split('\t').map((p, i, all) => [p, i < all.length - 1] as const)) {
    col += stringWidth(part[0]);
    if (part[1]) col = (Math.floor(col / 8) + 1) * 8;
  }
  return col;
}

function overlong(stdout: string, width: number): string[] {
  return scrub(stdout)
    .split('\n')
    .filter((l) => shown(l) > width)
    .map((l) => `${shown(l)}: ${l}`);
}

describe('human output fits the width', () => {
  for (const width of WIDTHS) {
    for (const c of commands()) {
      it(`${c.name} at ${width} columns: no line is wider`, async () => {
        const r = await runCli([...c.args, '--width', String(width)], { env: { FORCE_COLOR: '1' } });
        expect(r.code, r.stderr).toBeLessThan(2);
        expect(r.stdout.length).toBeGreaterThan(0);
        expect(overlong(r.stdout, width).join('\n')).toBe('');
      });
    }
  }

  it('wide terminals show more than narrow ones', async () => {
    const at = async (w: number) => scrub((await runCli(['slow', WIDE, '--by', 'service,operation', '--width', String(w)])).stdout);
    const [narrow, wider] = [await at(80), await at(200)];
    expect(narrow).not.toContain(OPS[0]);
    expect(wider).toContain(OPS[0]);
  });

  it('COLUMNS sets the width of piped output, and 80 is the default', async () => {
    const byEnv = await runCli(['errors', WIDE], { env: { COLUMNS: '120' } });
    expect(overlong(byEnv.stdout, 120)).toEqual([]);
    expect(Math.max(...scrub(byEnv.stdout).split('\n').map((l) => stringWidth(l)))).toBeGreaterThan(80);
    const plain = await runCli(['errors', WIDE], { env: { COLUMNS: undefined } });
    expect(overlong(plain.stdout, 80)).toEqual([]);
  });

  it('tail fits its lines to --width, and keeps them whole when piped without it', async () => {
    const input = wideLog();
    const fitted = await runCli(['tail', '--width', '80'], { stdin: input });
    expect(fitted.code).toBe(0);
    expect(overlong(fitted.stdout, 80)).toEqual([]);
    const whole = await runCli(['tail'], { stdin: input, env: { COLUMNS: undefined } });
    expect(scrub(whole.stdout)).toContain(`${PREFIX} could not charge card 4111 for order 0`);
  });

  it('never cuts what is there to be copied: ids in next commands, inputs of why, the bundle path', async () => {
    const deep = path.join(dir, 'a-rather-long-directory-name-for-the-logs', 'and-another-level', 'checkoutservice-production-eu-west-1.log');
    mkdirSync(path.dirname(deep), { recursive: true });
    // Ids longer than the room any line has: projects/prod-eu/traces/0007 followed by 72 hex digits.
    writeFileSync(deep, wideLog().replace(/request-correlation-id-(\d{4})-a+/g, (_, n) => `projects/prod-eu/traces/${n}${'9f8e7d6c5b4a'.repeat(6)}`));
    const longId = /logtool trace projects\/prod-eu\/traces\/\d{4}(9f8e7d6c5b4a){6}$/m;
    expect(deep.length).toBeGreaterThan(80);
    const errors = scrub((await runCli(['errors', deep, '--width', '80'])).stdout);
    expect(errors).toMatch(longId);
    // why names its inputs in the commands it suggests: the incident, under a path wider than the terminal.
    const incident = path.join(path.dirname(deep), 'incident-logs-of-the-checkout-service-in-production');
    symlinkSync(path.join(ROOT, 'fixtures/incident'), incident);
    const why = scrub((await runCli(['why', incident, '--width', '80'])).stdout);
    expect(why).toContain('Next:');
    expect(why.replace(/ \\\n\s+/g, ' ')).toContain(`logtool errors ${incident} --since`);
    const slow = scrub((await runCli(['slow', deep, '--width', '80'])).stdout);
    expect(slow).toMatch(longId);
  });

  it('refuses a --width that is not a number of columns, in one line with exit 2', async () => {
    const r = await runCli(['stats', 'fixtures/incident', '--width', 'wide']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("--width 'wide'");
  });
});
