import asciichart from 'asciichart';
import { Box, Text } from 'ink';
import type { BreakerState, DashboardSnapshot } from '../../analyze/dashboard.js';
import type { ErrorCluster } from '../../analyze/errors.js';
import { describe } from '../../analyze/why-result.js';
import type { SlowGroup } from '../../analyze/slow.js';
import type { Level, LogRecord } from '../../types.js';
import { rebin, widthLabel } from '../../analyze/lib/series.js';
import { clockFor, fit, formatCount, formatDuration, sparkline } from '../text/format.js';
import { visible } from '../text/sanitize.js';

/** A bordered pane with a title; the focused one is highlighted. */
export function Pane(props: { title: string; focused?: boolean; width: number; height?: number; children: React.ReactNode }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={props.focused ? 'cyan' : 'gray'} width={props.width} height={props.height} paddingX={1}>
      <Text bold color={props.focused ? 'cyan' : undefined} wrap="truncate-end">
        {props.title}
      </Text>
      {props.children}
    </Box>
  );
}

/** Records and errors over the whole covered time range, silent buckets included, one column per bucket. */
export function RatePane(props: { snap: DashboardSnapshot; width: number; height: number }) {
  const st = props.snap.stats;
  const cols = Math.max(10, props.width - 14);
  const series = rebin({ bucket_ms: st.bucket_ms, buckets: st.per_minute.map((m) => ({ start: m.minute, count: m.count, errors: m.errors })) }, cols);
  const rows = Math.max(3, props.height - 4);
  const b = series.buckets;
  const chart = b.length > 1 ? asciichart.plot([b.map((m) => m.count), b.map((m) => m.errors)], { height: rows - 1, colors: [asciichart.default, asciichart.red], format: (x) => String(Math.round(x)).padStart(6) }) : 'waiting for records with times…';
  const clock = clockFor(st.first_time, st.last_time, 'min');
  const range = st.first_time !== null && st.last_time !== null ? `  ${clock(st.first_time)}–${clock(st.last_time)}` : '';
  const why = props.snap.why;
  const incident = why.verdict === 'incident' && why.window ? ` · incident from ${clock(why.window.start)}${why.trigger ? `, first: ${visible(describe(why.trigger))}` : ''}` : '';
  return (
    <Pane title={`records per ${widthLabel(series.bucket_ms)} (errors in red)${range}${incident}`} width={props.width} height={props.height}>
      <Text>{chart}</Text>
    </Pane>
  );
}

const LEVEL_COLORS: Record<Level, string | undefined> = { fatal: 'magenta', error: 'red', warn: 'yellow', info: 'green', debug: 'gray', trace: 'gray', unknown: 'gray' };

/** Counts per level, and circuit-breaker state per service. */
export function LevelsPane(props: { snap: DashboardSnapshot; width: number; height: number }) {
  const lv = props.snap.stats.levels;
  return (
    <Pane title={`levels — ${formatCount(props.snap.stats.records)} records`} width={props.width} height={props.height}>
      {(['fatal', 'error', 'warn', 'info', 'debug', 'unknown'] as Level[]).map((l) => (
        <Text key={l} color={LEVEL_COLORS[l]}>
          {fit(l, 8)}
          {formatCount(lv[l]).padStart(9)}
        </Text>
      ))}
      <Text bold>circuit breakers</Text>
      {props.snap.breakers.length === 0 ? <Text dimColor>none seen</Text> : props.snap.breakers.map((b) => <BreakerLine key={b.service} b={b} clock={clockFor(props.snap.stats.first_time, props.snap.stats.last_time)} />)}
    </Pane>
  );
}

function BreakerLine({ b, clock }: { b: BreakerState; clock: (t: number | undefined) => string }) {
  const color = b.state === 'open' ? 'red' : b.state === 'half-open' ? 'yellow' : 'green';
  return (
    <Text>
      {fit(visible(b.service), 16)} <Text color={color}>{b.state}</Text>
      <Text dimColor>{b.since !== undefined ? ` ${clock(b.since)}` : ''}</Text>
    </Text>
  );
}

/** The top error patterns: count, sparkline, template, new-vs-baseline marker. */
export function ClustersPane(props: { clusters: ErrorCluster[]; selected: number; focused: boolean; width: number; height: number }) {
  const rows = Math.max(1, props.height - 3);
  const start = Math.max(0, Math.min(props.selected - rows + 1, props.clusters.length - rows));
  const inner = props.width - 4;
  return (
    <Pane title={`top error patterns (${props.clusters.length})`} focused={props.focused} width={props.width} height={props.height}>
      {props.clusters.length === 0 && <Text dimColor>no errors</Text>}
      {props.clusters.slice(start, start + rows).map((k, i) => {
        const sel = props.focused && start + i === props.selected;
        const spark = sparkline(k.per_minute.slice(-12));
        const mark = k.new ? 'NEW ' : '';
        return (
          <Text key={k.id} inverse={sel} wrap="truncate">
            {formatCount(k.count).padStart(6)} <Text color="red">{spark.padEnd(12)}</Text> <Text color="yellow">{mark}</Text>
            {fit(visible(k.template), Math.max(10, inner - 21 - mark.length))}
          </Text>
        );
      })}
    </Pane>
  );
}

/** A percentile cell: `≈` marks a sketched group's value (within its relative_error). */
function pct(g: SlowGroup, v: number | null): string {
  return ((g.exact ? '' : '≈') + formatDuration(v ?? undefined)).padStart(7);
}

/** The slowest operations: p50/p95/p99 and violations. */
export function SlowPane(props: { groups: SlowGroup[]; selected: number; focused: boolean; width: number; height: number }) {
  const rows = Math.max(1, props.height - 4);
  const start = Math.max(0, Math.min(props.selected - rows + 1, props.groups.length - rows));
  const name = Math.max(8, props.width - 4 - 39);
  return (
    <Pane title="slowest operations" focused={props.focused} width={props.width} height={props.height}>
      <Text dimColor>{`${fit('operation', name)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'viol'.padStart(5)} ${'n'.padStart(6)}`}</Text>
      {props.groups.slice(start, start + rows).map((g, i) => (
        <Text key={Object.values(g.key).join(',')} inverse={props.focused && start + i === props.selected} color={g.violations ? 'yellow' : undefined} wrap="truncate">
          {`${fit(visible(Object.values(g.key).join(', ')), name)} ${pct(g, g.p50_ms)} ${pct(g, g.p95_ms)} ${pct(g, g.p99_ms)} ${String(g.violations).padStart(5)} ${formatCount(g.count).padStart(6)}`}
        </Text>
      ))}
    </Pane>
  );
}

/** The live stream of recent records (already filtered), newest at the bottom. */
export function StreamPane(props: { records: LogRecord[]; selected: number; focused: boolean; width: number; height: number; line: (r: LogRecord) => string; title: string }) {
  const rows = Math.max(1, props.height - 3);
  const start = Math.max(0, Math.min(props.selected - rows + 1, props.records.length - rows));
  return (
    <Pane title={props.title} focused={props.focused} width={props.width} height={props.height}>
      {props.records.slice(start, start + rows).map((r, i) => (
        <Text key={r.seq} inverse={props.focused && start + i === props.selected} wrap="truncate">
          {props.line(r)}
        </Text>
      ))}
    </Pane>
  );
}
