import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './cli.js';
import { Terminal } from './tmux.js';

const WIDTHS = [80, 100, 200];
const TID = '4bf92f3577b34da6a3ce929d0e0e4736';
const LONG_SERVICE = 'hipstershop.CheckoutService-' + 'x'.repeat(40) + '-eu-west-1';
let dir: string;
let otel: string;

/**
 * An OpenTelemetry-demo-like trace: every message starts with the traced id and a span id, long
 * service names, long ids and messages, a stack, silences between steps.
 */
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'logtool-trace-width-'));
  otel = path.join(dir, 'otel.jsonl');
  const services = ['frontend', 'checkoutservice', 'paymentservice', LONG_SERVICE, 'emailservice'];
  const words = ['payment went through', 'order placed for user 42 with 3 items and a long description of the cart ' + 'contents '.repeat(20), 'shipping quote computed', 'sending confirmation email', 'request complete'];
  let t = Date.parse('2024-03-01T10:00:00Z');
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    t += i % 7 === 3 ? 2500 : 40;
    const span = (1e15 + i * 7919).toString(16);
    lines.push(JSON.stringify({
      timestamp: new Date(t).toISOString(),
      severity: i % 9 === 4 ? 'ERROR' : 'INFO',
      service: services[i % 5],
      trace_id: TID,
      span_id: span,
      operation: i % 9 === 4 ? 'Charge/' + 'VeryLongOperationName'.repeat(3) : undefined,
      duration_ms: i % 9 === 4 ? 1234 : undefined,
      error: i % 9 === 4 ? { type: 'io.grpc.StatusRuntimeException', message: 'UNAVAILABLE: upstream connect error or disconnect/reset before headers '.repeat(2), stack: 'io.grpc.StatusRuntimeException: UNAVAILABLE\n\tat io.grpc.stub.ClientCalls.toStatusRuntimeException(ClientCalls.java:' + '9'.repeat(150) + ')' } : undefined,
      message: `TraceID: ${TID} SpanID: ${span} ${words[i % 5]}`,
    }));
  }
  writeFileSync(otel, lines.join('\n') + '\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function widest(text: string): number {
  return Math.max(...stripAnsi(text).split('\n').map((l) => stringWidth(l)));
}

describe('trace fits the width', () => {
  for (const w of WIDTHS) {
    it(`fixtures/incident at ${w} columns: no line wider, every message's start and every gap's two sides shown`, async () => {
      const r = await runCli(['trace', 'req-000e6', 'fixtures/incident', '--width', String(w)], { cwd: ROOT, env: { FORCE_COLOR: '1' } });
      expect(r.code).toBe(0);
      expect(widest(r.stdout)).toBeLessThanOrEqual(w);
      const text = stripAnsi(r.stdout);
      for (const start of ['POST /api/checkout received', 'Bank API timeout after', 'Retrying charge ch_b78ea8', 'Sent confirmation email']) expect(text).toContain(start);
      const gaps = text.split('\n').filter((l) => /^ {4} *[\d.]+s +\+/.test(l));
      expect(gaps).toHaveLength(4);
      // The longest gap: a retry, then the next timeout, both in payment-service.
      expect(gaps[0]).toMatch(/3\.11s +\+2\.93s +paym.*Retr.*→ +paym.*Bank/);
    });

    it(`a trace with long services, messages and ids at ${w} columns: no line wider, rows tell their messages apart`, async () => {
      const r = await runCli(['trace', TID, otel, '--width', String(w)], { env: { FORCE_COLOR: '1' } });
      expect(r.code).toBe(0);
      expect(widest(r.stdout)).toBeLessThanOrEqual(w);
      const text = stripAnsi(r.stdout);
      for (const m of ['payment went through', 'shipping quote computed', 'request complete']) expect(text).toContain(m);
      // A long service name keeps both ends.
      expect(text).toMatch(w === 200 ? new RegExp(LONG_SERVICE.replace(/\./g, '\\.')) : /hipstershop.*…x*-eu-west-1/);
    });
  }

  it('without --width, piped output fits 80 columns', async () => {
    const r = await runCli(['trace', TID, otel], { env: { COLUMNS: undefined } });
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
  });

  it('--json lists every gap with the records on both sides', async () => {
    const r = await runCli(['trace', TID, otel, '--json', '--gap', '10ms']);
    const s = (JSON.parse(r.stdout) as { summary: { gaps: Record<string, unknown>[]; gaps_total: number } }).summary;
    expect(s.gaps_total).toBe(39);
    expect(s.gaps).toHaveLength(39);
    expect(s.gaps[0]).toMatchObject({ gap_ms: 2500, after_message: expect.stringContaining('SpanID'), before_service: expect.any(String) });
    const human = await runCli(['trace', TID, otel, '--gap', '10ms', '--width', '120']);
    expect(human.stdout).toContain('+29 more gaps (--json for all)');
  });
});

describe('dashboard trace view in a real terminal', () => {
  for (const [w, h] of [[80, 30], [200, 40]]) {
    it(`at ${w} columns the rows show elapsed time, service, level and message`, async () => {
      const term = new Terminal(w, h);
      try {
        term.start(`node ${BIN} dashboard ${otel}`, ROOT);
        await term.waitFor('replayed 40 records');
        // The stream pane (Tab twice), its selected record, its trace.
        term.keys('Tab');
        await new Promise((r) => setTimeout(r, 300));
        term.keys('Tab');
        await new Promise((r) => setTimeout(r, 300));
        term.keys('Enter');
        await term.waitFor(new RegExp(`trace ${TID} .*Esc back`));
        const screen = await term.waitFor('payment went through');
        const rows = screen.split('\n').filter((l) => /\+[\d.]+m?s +\S+ +(INFO|ERROR)/.test(l));
        expect(rows.length).toBeGreaterThan(10);
        expect(screen).toMatch(/\+40ms +checkoutservice +INFO +.*order placed/);
        expect(screen).toMatch(/paymentservice +ERROR/);
        for (const l of screen.split('\n')) expect(stringWidth(l)).toBeLessThanOrEqual(w);
        term.keys('q');
        await term.waitFor('EXIT=0');
      } finally {
        term.kill();
      }
    });
  }

  it('fixtures/incident at 80 columns: the slow pane opens a trace whose rows and gaps fit', async () => {
    const term = new Terminal(80, 40);
    try {
      term.start(`node ${BIN} dashboard fixtures/incident`, ROOT);
      await term.waitFor('replayed 3,709 records from 9 files');
      term.keys('Tab');
      await new Promise((r) => setTimeout(r, 300));
      term.keys('Enter');
      const screen = await term.waitFor(/gaps +\d+ silences/);
      expect(screen).toMatch(/\+2\.93s +payment-service +ERROR +│ Bank API timeout/);
      expect(screen).toMatch(/3\.11s +\+2\.93s +paym/);
      term.keys('q');
      await term.waitFor('EXIT=0');
    } finally {
      term.kill();
    }
  });
});
