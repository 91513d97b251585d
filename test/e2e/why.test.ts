import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compare } from '../../src/eval/why-eval.js';
import { generateIncident, INCIDENT_SHAPES, writeIncidentLogs, type GeneratedIncident, type IncidentShape } from '../../src/fixtures/incidents.js';
import { runCli, scrub } from './cli.js';
import { expectFits, FAILURE_ENDS, writeWideInput } from './wide-input.js';

/**
 * `why` through the binary on generated multi-service incidents with a known root cause: each
 * shape with several seeds, judged against the generator's truth (verdict, window start, trigger,
 * links only between patterns that really follow each other inside the same requests).
 */
const root = mkdtempSync(path.join(tmpdir(), 'logtool-why-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SEEDS = [1, 2, 3];
/** How far the window may start from the truth's first departing record. */
const START_TOLERANCE_S = 180;

function write(shape: IncidentShape, seed: number): { dir: string; g: GeneratedIncident } {
  const g = generateIncident(shape, seed);
  const dir = path.join(root, `${shape}-${seed}`);
  writeIncidentLogs(dir, g);
  return { dir, g };
}

const cases = INCIDENT_SHAPES.flatMap((shape) => SEEDS.map((seed) => ({ shape, seed })));

describe('why on generated incidents', () => {
  for (const { shape, seed } of cases) {
    it(`${shape} seed ${seed}`, async () => {
      const { dir, g } = write(shape, seed);
      const r = await runCli(['why', dir, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      const row = compare(g.truth, out);
      expect(row.got, out.reason).toBe(g.truth.verdict);
      expect(row.false_links, row.false_link_examples.join('; ')).toBe(0);
      if (g.truth.verdict === 'incident') {
        expect(row.start_error_s, out.reason).toBeLessThanOrEqual(START_TOLERANCE_S);
        expect(row.trigger_found, `named ${row.trigger_got}`).toBe(true);
        for (const text of g.truth.not_trigger) expect(out.trigger.template ?? '').not.toContain(text);
        for (const op of g.truth.not_trigger_ops ?? []) expect(out.trigger.kind === 'latency' && out.trigger.operation === op.operation && out.trigger.service === op.service).toBe(false);
        // Every change has its test and onset; a link's evidence adds up.
        for (const c of out.changes) {
          expect(Date.parse(c.onset)).toBeGreaterThanOrEqual(Date.parse(out.window.start));
          expect(c.p_value).toBeLessThan(0.01);
        }
        for (const l of out.links) {
          expect(l.shared_requests).toBeGreaterThanOrEqual(3);
          expect(l.share).toBeGreaterThanOrEqual(0.2);
          expect(l.shared_requests).toBeLessThanOrEqual(out.changes.find((c: { pattern_id?: string }) => c.pattern_id === l.to).during);
        }
      } else {
        expect(out.window).toBeNull();
        expect(out.trigger).toBeNull();
        expect(out.links).toEqual([]);
        expect(out.changes).toEqual([]);
      }
    });
  }
});

describe('why: what users see and gate on', () => {
  it('shows one screen: the window, the trigger with its evidence, the links and a request to trace', async () => {
    const { dir } = write('dependency_timeout_breaker', 1);
    const r = await runCli(['why', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Incident from \d\d:\d\d:\d\d /);
    expect(r.stdout).toMatch(/Trigger \(the earliest change\): /);
    expect(r.stdout).toMatch(/Followed each other in the same requests\n[^]*\n\s+in \d+ of \d+ requests, median \+/);
    const trace = /Next: logtool trace (\S+) /.exec(r.stdout);
    expect(trace).not.toBeNull();
    const t = await runCli(['trace', trace![1], dir, '--json']);
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout).records.length).toBeGreaterThan(1);
  });

  it('says plainly that nothing happened on a fault-free period, and draws nothing', async () => {
    const { dir } = write('fault_free', 4);
    const r = await runCli(['why', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^no incident found: /);
    expect(r.stdout).not.toMatch(/Trigger|Followed/);
  });

  it('shows the deploy just before a new error as context', async () => {
    for (const seed of SEEDS) {
      const { dir } = write('deploy_new_error', seed);
      const out = JSON.parse((await runCli(['why', dir, '--json'])).stdout);
      expect(out.markers.map((m: { message: string }) => m.message).join('\n')).toContain('Deployed version');
      for (const m of out.markers) expect(Date.parse(m.time)).toBeLessThan(Date.parse(out.window.start) + out.bin_ms);
    }
    // None on a dependency slowing down: nothing was deployed.
    const { dir } = write('dependency_timeout_breaker', 1);
    expect(JSON.parse((await runCli(['why', dir, '--json'])).stdout).markers).toEqual([]);
  });

  it('--fail-on incident: 1 on an incident, 0 without, 2 when the logs cannot tell', async () => {
    const incident = write('deploy_new_error', 2).dir;
    const quiet = write('fault_free', 2).dir;
    const little = write('insufficient_data', 1).dir;
    expect((await runCli(['why', incident, '--fail-on', 'incident'])).code).toBe(1);
    expect((await runCli(['why', quiet, '--fail-on', 'incident'])).code).toBe(0);
    const r = await runCli(['why', little, '--fail-on', 'incident']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^insufficient data: /);
  });

  it('compares with an earlier run given as --baseline-file', async () => {
    const { dir, g } = write('deploy_new_error', 3);
    const at = new Date(g.truth.window!.start).toISOString();
    // The period before the deploy, recorded as a later run would have it.
    const before = await runCli(['why', dir, '--until', at, '--json']);
    expect(before.code, before.stderr).toBe(0);
    const file = path.join(root, 'baseline.json');
    writeFileSync(file, before.stdout);
    const r = await runCli(['why', dir, '--since', at, '--baseline-file', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toBe('incident');
    expect(out.baseline.source).toBe(file);
    const news = out.changes.filter((c: { kind: string }) => c.kind === 'new_pattern').map((c: { template: string }) => c.template);
    expect(news.some((t: string) => t.includes(g.truth.trigger!.kind === 'pattern' ? g.truth.trigger!.contains : '?'))).toBe(true);
    // The ordinary errors of the baseline period are known, not new.
    expect(news.some((t: string) => /SMTP|Stock reservation|Coupon|Client closed/.test(t))).toBe(false);
    // An `errors --json` of the same period serves too: absent from it is new.
    const errs = await runCli(['errors', dir, '--until', at, '--level', 'warn', '--json']);
    writeFileSync(file, errs.stdout);
    const e = JSON.parse((await runCli(['why', dir, '--since', at, '--baseline-file', file, '--json'])).stdout);
    expect(e.verdict).toBe('incident');
    expect(e.trigger.template).toContain(g.truth.trigger!.kind === 'pattern' ? g.truth.trigger!.contains : '?');
  });

  it('errors links patterns only on shared requests: never the breaker as the start, never by time alone', async () => {
    for (const seed of SEEDS) {
      const { dir, g } = write('dependency_timeout_breaker', seed);
      const r = await runCli(['errors', dir, '--level', 'warn', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.started_first).toBeUndefined();
      const template = new Map(out.clusters.map((c: { id: string; template: string }) => [c.id, c.template]));
      for (const l of out.cascades) {
        expect(l.shared_requests).toBeGreaterThanOrEqual(3);
        const from = String(template.get(l.from));
        const to = String(template.get(l.to));
        // Inside a request: the timeout is retried, fails the payment, fails the checkout.
        const known = g.truth.causal_pairs.some(([c, e]) => from.includes(c) && to.includes(e)) || /timed out|timeout/i.test(from);
        expect(known, `${from} → ${to}`).toBe(true);
      }
    }
  });
});

describe('why fits the width', () => {
  const wideDir = mkdtempSync(path.join(tmpdir(), 'logtool-why-wide-'));
  afterAll(() => rmSync(wideDir, { recursive: true, force: true }));
  for (const width of [80, 100, 200]) {
    it(`--width ${width}: no line wider, on the fixtures and on long shared-start messages from long-named services`, async () => {
      const wide = writeWideInput(wideDir, 'wide.jsonl');
      for (const input of ['fixtures/incident', wide]) {
        const r = await runCli(['why', input, '--width', String(width)], { env: { FORCE_COLOR: '1' } });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/^\S*Incident from /);
        expectFits(r.stdout, width);
      }
      const text = scrub((await runCli(['why', wide, '--width', String(width)])).stdout);
      const news = text.split('\n').filter((l) => /^ {2}\d\d:\d\d:\d\d {2}new /.test(l));
      expect(news).toHaveLength(FAILURE_ENDS.length);
      for (const end of FAILURE_ENDS) expect(news.filter((l) => l.includes(end.split(' ').slice(0, 2).join(' ')))).toHaveLength(1);
    });
  }
});
