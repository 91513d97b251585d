import asciichart from 'asciichart';
import { Box, Text } from 'ink';
import type { BreakerState, DashboardSnapshot } from '../../analyze/dashboard.js';
import type { ErrorCluster } from '../../analyze/errors.js';
import { describe } from '../../analyze/why-result.js';
import type { SlowGroup } from '../../analyze/slow.js';
import type { Level, LogRecord } from '../../types.js';
import { rebin, widthLabel } from '../../analyze/lib/series.js';
import { clockFor, formatCount, formatDuration, sparkline } from '../text/format.js';
import { cell, displayWidth, pad, shorten, shortenTemplates, table, type Column } from '../text/layout.js';
import { visible } from '../text/sanitize.js';

/** Columns inside a pane of `width`: its border and padding take two on each side. */
export const innerWidth = (width: number) => Math.max(1, width - 4);

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
  const inner = innerWidth(props.width);
  // The axis labels take the width of the largest count (at least 6) and ` ┼`: the plot gets the rest.
  const bin = (label: number) => rebin({ bucket_ms: st.bucket_ms, buckets: st.per_minute.map((m) => ({ start: m.minute, count: m.count, errors: m.errors })) }, Math.max(10, inner - label - 2));
  const labelFor = (buckets: { count: number }[]) => Math.max(6, String(Math.round(buckets.reduce((m, x) => Math.max(m, x.count), 0))).length);
  let label = 6;
  let series = bin(label);
  if (labelFor(series.buckets) > label) series = bin((label = labelFor(series.buckets)));
  const rows = Math.max(3, props.height - 4);
  const b = series.buckets;
  const chart = b.length > 1 ? asciichart.plot([b.map((m) => m.count), b.map((m) => m.errors)], { height: rows - 1, colors: [asciichart.default, asciichart.red], format: (x) => String(Math.round(x)).padStart(label) }) : 'waiting for records with times…';
  const clock = clockFor(st.first_time, st.last_time, 'min');
  const range = st.first_time !== null && st.last_time !== null ? `  ${clock(st.first_time)}–${clock(st.last_time)}` : '';
  const why = props.snap.why;
  const incident = why.verdict === 'incident' && why.window ? ` · incident from ${clock(why.window.start)}${why.trigger ? `, first: ${visible(describe(why.trigger))}` : ''}` : '';
  return (
    <Pane title={`records per ${widthLabel(series.bucket_ms)} (errors in red)${range}${incident}`} width={props.width} height={props.height}>
      {chart.split('\n').map((l, i) => (
        <Text key={i} wrap="truncate-end">
          {l}
        </Text>
      ))}
    </Pane>
  );
}

const LEVEL_COLORS: Record<Level, string | undefined> = { fatal: 'magenta', error: 'red', warn: 'yellow', info: 'green', debug: 'gray', trace: 'gray', unknown: 'gray' };
const LEVELS: Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'unknown'];

/**
 * Counts per level, and circuit-breaker state per service. When the pane is too short for
 * all of it, levels with no records go first (error stays), then the breakers beyond the room
 * are counted in a `+N more` line.
 */
export function LevelsPane(props: { snap: DashboardSnapshot; width: number; height: number }) {
  const lv = props.snap.stats.levels;
  const inner = innerWidth(props.width);
  const body = Math.max(1, props.height - 3);
  const breakers = props.snap.breakers;
  const breakerLines = Math.max(1, breakers.length);
  let levels = LEVELS;
  if (levels.length + 1 + breakerLines > body) levels = LEVELS.filter((l) => lv[l] > 0 || l === 'error');
  // The breakers get what the levels leave (at least their heading and one line).
  const room = Math.max(1, body - levels.length - 1);
  const shown = breakers.length > room ? breakers.slice(0, room - 1) : breakers;
  const more = breakers.length - shown.length;
  const clock = clockFor(props.snap.stats.first_time, props.snap.stats.last_time);
  const lines = shown.map((b) => ({ b, since: b.since !== undefined ? clock(b.since) : '' }));
  // Columns: service (the rest, its middle elided), state, and the time it changed (dropped when it leaves the service too little).
  const stateW = Math.max(0, ...lines.map((l) => l.b.state.length));
  const sinceW = Math.max(0, ...lines.map((l) => displayWidth(l.since)));
  const natural = Math.max(0, ...lines.map((l) => displayWidth(visible(l.b.service))));
  let withSince = sinceW > 0;
  let serviceW = inner - 1 - stateW - (withSince ? 1 + sinceW : 0);
  if (withSince && serviceW < Math.min(natural, 10)) {
    withSince = false;
    serviceW = inner - 1 - stateW;
  }
  serviceW = Math.max(1, Math.min(natural, serviceW));
  const countW = Math.max(...levels.map((l) => formatCount(lv[l]).length));
  const nameW = Math.min(8, Math.max(1, inner - 1 - countW));
  return (
    <Pane title={`levels — ${formatCount(props.snap.stats.records)} records`} width={props.width} height={props.height}>
      {levels.map((l) => (
        <Text key={l} color={LEVEL_COLORS[l]} wrap="truncate-end">
          {cell(l, nameW)} {formatCount(lv[l]).padStart(Math.max(countW, 8))}
        </Text>
      ))}
      <Text bold wrap="truncate-end">
        circuit breakers
      </Text>
      {breakers.length === 0 ? <Text dimColor>none seen</Text> : lines.map((l) => <BreakerLine key={l.b.service} b={l.b} since={withSince ? l.since : ''} serviceWidth={serviceW} stateWidth={stateW} />)}
      {more > 0 ? <Text dimColor wrap="truncate-end">{`+${more} more`}</Text> : null}
    </Pane>
  );
}

/** One breaker: its service (the middle elided to fit), state in colour, and when it changed. */
export function BreakerLine({ b, since, serviceWidth, stateWidth }: { b: BreakerState; since: string; serviceWidth: number; stateWidth: number }) {
  const color = b.state === 'open' ? 'red' : b.state === 'half-open' ? 'yellow' : 'green';
  return (
    <Text wrap="truncate-end">
      {cell(visible(b.service), serviceWidth, 'middle')} <Text color={color}>{since ? pad(b.state, stateWidth) : b.state}</Text>
      <Text dimColor>{since ? ` ${since}` : ''}</Text>
    </Text>
  );
}


/**
 * The top error patterns: count, sparkline, new-vs-baseline marker, template. The template has
 * all the room the pane leaves; when the rows shown do not fit, the start they share goes
 * first, then the middle, so that what tells them apart stays visible.
 */
export function ClustersPane(props: { clusters: ErrorCluster[]; selected: number; focused: boolean; width: number; height: number }) {
  const rows = Math.max(1, props.height - 3);
  const start = Math.max(0, Math.min(props.selected - rows + 1, props.clusters.length - rows));
  const inner = innerWidth(props.width);
  const shown = props.clusters.slice(start, start + rows);
  const countW = Math.max(1, ...shown.map((k) => formatCount(k.count).length));
  const markW = shown.some((k) => k.new) ? 4 : 0;
  const room = Math.max(4, inner - countW - 1 - 12 - 1 - markW);
  const templates = shortenTemplates(shown.map((k) => visible(k.template)), room, { sharedStart: 'shorten' });
  return (
    <Pane title={`top error patterns (${props.clusters.length})`} focused={props.focused} width={props.width} height={props.height}>
      {props.clusters.length === 0 && <Text dimColor>no errors</Text>}
      {shown.map((k, i) => {
        const sel = props.focused && start + i === props.selected;
        const spark = sparkline(k.per_minute.slice(-12));
        return (
          <Text key={k.id} inverse={sel} wrap="truncate-end">
            {formatCount(k.count).padStart(countW)} <Text color="red">{spark.padEnd(12)}</Text> {markW ? <Text color="yellow">{k.new ? 'NEW ' : '    '}</Text> : null}
            {shorten(templates[i], room, 'middle')}
          </Text>
        );
      })}
    </Pane>
  );
}

/** A percentile cell: `≈` marks a sketched group's value (within its relative_error). */
function pct(g: SlowGroup, v: number | null): string {
  return (g.exact ? '' : '≈') + formatDuration(v ?? undefined);
}

/**
 * The slowest operations: p50/p95/p99, violations and count, laid out to the pane's width. When
 * the pane is narrow, `n`, then `viol`, then `p50` are dropped before a key is cut to fewer than
 * 12 columns; keys lose their middle (both ends stay).
 */
export function SlowPane(props: { groups: SlowGroup[]; selected: number; focused: boolean; width: number; height: number }) {
  const rows = Math.max(1, props.height - 4);
  const start = Math.max(0, Math.min(props.selected - rows + 1, props.groups.length - rows));
  const inner = innerWidth(props.width);
  const keyNames = props.groups.length ? Object.keys(props.groups[0].key) : [];
  const columns: Column[] = [
    { header: keyNames.length ? keyNames.join(', ') : 'operation', kind: 'key', min: 12 },
    { header: 'p50', kind: 'number', optional: true },
    { header: 'p95', kind: 'number' },
    { header: 'p99', kind: 'number' },
    { header: 'viol', kind: 'number', optional: true },
    { header: 'n', kind: 'number', optional: true },
  ];
  // Widths come from every group, so that columns do not move while the selection scrolls.
  const cells = props.groups.map((g) => [visible(Object.values(g.key).join(', ')), pct(g, g.p50_ms), pct(g, g.p95_ms), pct(g, g.p99_ms), String(g.violations), formatCount(g.count)]);
  const [head, ...lines] = table(columns, cells, inner);
  return (
    <Pane title="slowest operations" focused={props.focused} width={props.width} height={props.height}>
      <Text dimColor wrap="truncate-end">
        {head}
      </Text>
      {props.groups.slice(start, start + rows).map((g, i) => (
        <Text key={Object.values(g.key).join(',')} inverse={props.focused && start + i === props.selected} color={g.violations ? 'yellow' : undefined} wrap="truncate-end">
          {lines[start + i]}
        </Text>
      ))}
    </Pane>
  );
}

/** The live stream of recent records (already filtered), newest at the bottom. */
export function StreamPane(props: { records: LogRecord[]; selected: number; focused: boolean; width: number; height: number; line: (r: LogRecord) => string; title: string }) {
  const rows = Math.max(1, props.height - 3);
  const start = Math.max(0, Math.min(props.selected - rows + 1, props.records.length - rows));
  const inner = innerWidth(props.width);
  return (
    <Pane title={props.title} focused={props.focused} width={props.width} height={props.height}>
      {props.records.slice(start, start + rows).map((r, i) => (
        <Text key={r.seq} inverse={props.focused && start + i === props.selected} wrap="truncate-end">
          {shorten(props.line(r), inner)}
        </Text>
      ))}
    </Pane>
  );
}
