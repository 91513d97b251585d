import type { ChalkInstance } from 'chalk';
import type { RuleResult } from '../../check/engine.js';
import { METRICS } from '../../check/metrics.js';
import { fit, formatDuration } from './format.js';
import { visible } from './sanitize.js';

/** A metric value in its unit: durations readable, ratios as percentages with the raw value. */
export function formatMetric(metric: string, v: number | null | undefined): string {
  if (v === null || v === undefined) return 'no data';
  const unit = METRICS[metric]?.unit;
  if (unit === 'ms') return formatDuration(v);
  if (unit === 'ratio') return `${Number(v.toPrecision(4))} (${(v * 100).toFixed(2)}%)`;
  return String(Number(v.toFixed(6)));
}

/** The limit of a rule as text: `≤ 2s`, `≥ 100`, or both. */
export function limitText(r: RuleResult): string {
  const parts: string[] = [];
  if (r.min !== undefined) parts.push(`≥ ${formatMetric(r.metric, r.min)}`);
  if (r.max !== undefined) parts.push(`≤ ${formatMetric(r.metric, r.max)}`);
  return parts.join(' and ');
}

/** The pass/fail table of `check`. */
export function renderCheck(results: RuleResult[], c: ChalkInstance): string {
  const w = Math.min(40, results.reduce((m, r) => Math.max(m, r.name.length), 4));
  const L = [c.bold(`${fit('rule', w)}  ${fit('metric', 18)} ${'value'.padStart(18)}  ${fit('limit', 22)} result`)];
  for (const r of results) {
    const verdict = r.passed ? c.green('PASS') : c.red.bold('FAIL');
    L.push(`${fit(visible(r.name), w)}  ${fit(r.metric, 18)} ${formatMetric(r.metric, r.value).padStart(18)}  ${fit(limitText(r), 22)} ${verdict}${r.reason ? ` ${r.reason}` : ''}`);
  }
  const failed = results.filter((r) => !r.passed).length;
  L.push('', failed ? c.red(`${failed} of ${results.length} rules failed`) : c.green(`all ${results.length} rules passed`));
  return L.join('\n') + '\n';
}

const xml = (s: string) => s.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: one testcase per rule, a failure element with value and limit for the failed ones. */
export function junitXml(results: RuleResult[], rulesFile: string, seconds: number): string {
  const failed = results.filter((r) => !r.passed).length;
  const cases = results.map((r) => {
    const head = `    <testcase classname="logtool.check" name="${xml(r.name)}" time="0">`;
    if (r.passed) return `${head}\n      <system-out>${xml(`${r.metric} = ${formatMetric(r.metric, r.value)} (${limitText(r)})`)}</system-out>\n    </testcase>`;
    const msg = `${r.metric} = ${formatMetric(r.metric, r.value)}, limit ${limitText(r)}${r.reason ? ` (${r.reason})` : ''}`;
    return `${head}\n      <failure message="${xml(msg)}" type="threshold">${xml(`${r.name}: ${msg}${Object.keys(r.where).length ? `\nwhere ${JSON.stringify(r.where)}` : ''}`)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="logtool check" tests="${results.length}" failures="${failed}" errors="0" time="${seconds.toFixed(3)}">`,
    `  <testsuite name="${xml(rulesFile)}" tests="${results.length}" failures="${failed}" errors="0" skipped="0" time="${seconds.toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** GitHub Actions workflow commands: an `::error` annotation per failed rule. */
export function githubAnnotations(results: RuleResult[], rulesFile: string): string {
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return results
    .filter((r) => !r.passed)
    .map((r) => `::error file=${esc(rulesFile)},title=${esc(`logtool check: ${r.name}`).replace(/[,:]/g, (ch) => (ch === ',' ? '%2C' : '%3A'))}::${esc(`${r.metric} = ${formatMetric(r.metric, r.value)}, limit ${limitText(r)}${r.reason ? ` (${r.reason})` : ''}`)}\n`)
    .join('');
}
