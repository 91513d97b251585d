import type { ChalkInstance } from 'chalk';
import type { RuleResult } from '../../check/engine.js';
import { METRICS } from '../../check/metrics.js';
import { formatDuration } from './format.js';
import { displayWidth, PIPE_WIDTH, table, type Cell, type Column } from './layout.js';
import { wrapWords } from './notes.js';
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

/** The pass/fail table of `check`, fitted to `width`: values, limits and verdicts whole, names shortened in the middle. */
export function renderCheck(results: RuleResult[], c: ChalkInstance, width = PIPE_WIDTH): string {
  const columns: Column[] = [
    { header: 'rule', kind: 'key', min: 12 },
    { header: 'metric', kind: 'key', min: 10 },
    { header: 'value', kind: 'number' },
    { header: 'limit', kind: 'number', right: false },
    { header: 'result', kind: 'number', right: false },
  ];
  const verdict = (r: RuleResult) => (r.passed ? c.green : c.red.bold);
  const rows = (withReason: boolean) =>
    results.map((r): Cell[] => [
      visible(r.name),
      r.metric,
      formatMetric(r.metric, r.value),
      limitText(r),
      // The verdict is coloured, its reason (shown whole: the row was measured to hold it) is not.
      { text: (r.passed ? 'PASS' : 'FAIL') + (withReason && r.reason ? ` ${visible(r.reason)}` : ''), paint: (s) => verdict(r)(s.slice(0, 4)) + s.slice(4) },
    ]);
  // The reason of a verdict goes beside it when the row has room for all of it, else below the table.
  const bare = table(columns, rows(false), width, { gap: '  ' });
  const reasons = results.map((r) => displayWidth(visible(r.reason ?? '')));
  const beside = Math.max(0, ...reasons) > 0 && Math.max(...bare.map(displayWidth)) + 1 + Math.max(...reasons) <= width;
  const lines = beside ? table(columns.map((col, i) => (i === 4 ? { ...col, kind: 'text' as const } : col)), rows(true), width, { gap: '  ' }) : bare;
  const L = [c.bold(lines[0].trimEnd()), ...lines.slice(1)];
  if (!beside) results.forEach((r) => r.reason && L.push(...wrapWords(`${visible(r.name)}: ${visible(r.reason)}`, width).map((l) => c.dim(l))));
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
