import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DashboardModel, DashboardSnapshot } from '../../analyze/dashboard.js';
import { matchWhere, parseWhere } from '../../filter.js';
import type { LogRecord } from '../../types.js';
import { makeChalk } from '../output.js';
import { safeDeep, terminalSafe } from '../safe.js';
import { recordLine } from '../text/record-line.js';
import { clockFor } from '../text/format.js';
import { ClustersPane, LevelsPane, RatePane, SlowPane, StreamPane } from './panes.js';
import { HelpView, SamplesView, SCROLL_FRAME, ScrollView } from './views.js';

/** What the dashboard is connected to. */
export interface DashboardProps {
  model: DashboardModel;
  /** Renders the trace of an id as lines at most `width` columns wide (reads the inputs again). */
  openTrace: (id: string, width: number) => Promise<string[]>;
  /** Redraws per second at most. */
  fps?: number;
  color?: boolean;
  /** Shown in the header: what is being read, and whether reading has finished. */
  status: () => string;
  /** A warning about the input (mostly unreadable, no levels, nothing in the window), shown in yellow after the status. */
  warning?: () => string | undefined;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  size?: { columns: number; rows: number };
}

const PANES = ['clusters', 'slow', 'stream'] as const;
type View = { kind: 'main' } | { kind: 'help' } | { kind: 'samples'; cluster: number } | { kind: 'trace'; id: string; lines: string[] };

const MIN = { columns: 80, rows: 24 };

function useSize(fixed?: { columns: number; rows: number }) {
  const { stdout } = useStdout();
  const read = () => fixed ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const on = () => setSize(read());
    stdout.on('resize', on);
    return () => void stdout.off('resize', on);
  }, [stdout]);
  return size;
}

/** State mirrored in a ref: keys can arrive faster than renders, and handlers must see the latest value. */
function useRefState<T>(initial: T): [T, (v: T) => void, { current: T }] {
  const [value, setValue] = useState(initial);
  const ref = useRef(initial);
  return [value, (v: T) => ((ref.current = v), setValue(v)), ref];
}

/** A stream filter from `/`: `field=value` (any --where form) or plain text. */
function streamFilter(text: string): (r: LogRecord) => boolean {
  if (!text) return () => true;
  try {
    if (/^[\w.@-]+\s*(=|!=|~|>|<)/.test(text)) {
      const c = parseWhere(text);
      return (r) => matchWhere(r, c);
    }
  } catch {
    /* not a condition: plain text */
  }
  const t = text.toLowerCase();
  return (r) => r.text.toLowerCase().includes(t);
}

/** What typed (or pasted) text adds to the filter: no control characters, no line breaks. */
function printable(input: string): string {
  return input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/** The incident dashboard: the container that owns focus, selection, filter and views. */
export function Dashboard(props: DashboardProps) {
  const { exit } = useApp();
  const size = useSize(props.size);
  const [snap, setSnap] = useState<DashboardSnapshot>(() => safeDeep(props.model.snapshot()));
  const [focus, setFocus, focusRef] = useRefState(0);
  // The selection is read through its ref; the state only makes a change redraw.
  const [, setSel, selRef] = useRefState([0, 0, Number.MAX_SAFE_INTEGER]);
  const [paused, setPaused] = useState<LogRecord[] | undefined>(undefined);
  const [filter, setFilter] = useState('');
  const [typing, setTyping, typed] = useRefState<string | undefined>(undefined);
  const [view, setView] = useState<View>({ kind: 'main' });
  const [offset, setOffset] = useState(0);
  const chalk = useMemo(() => makeChalk(props.color ?? true), [props.color]);

  useEffect(() => {
    // Snapshots on a timer: a fast stream never drives redraws faster than `fps`.
    const t = setInterval(() => {
      if (props.model.dirty) setSnap(safeDeep(props.model.snapshot()));
    }, 1000 / (props.fps ?? 10));
    return () => clearInterval(t);
  }, [props.model]);

  const stream = useMemo(() => (paused ?? snap.recent).filter(streamFilter(filter)), [paused, snap, filter]);
  const lists = [snap.errors.clusters.length, snap.slow.length, stream.length];
  // Dated when the records seen so far cover more than one UTC day.
  const clock = clockFor(snap.stats.first_time, snap.stats.last_time, 'ms');
  const selected = (i: number) => Math.min(selRef.current[i], Math.max(0, lists[i] - 1));

  const trace = (id: string | null | undefined) => {
    if (!id) return;
    setView({ kind: 'trace', id, lines: ['reading…'] });
    setOffset(0);
    // The view's inner width: the terminal's less the border and padding of ScrollView.
    void props.openTrace(id, Math.max(20, size.columns - SCROLL_FRAME)).then((lines) => setView((v) => (v.kind === 'trace' && v.id === id ? { ...v, lines } : v)));
  };

  useInput((input, key) => {
    const t = typed.current;
    if (t !== undefined) {
      if (key.return) {
        setFilter(t);
        setTyping(undefined);
      } else if (key.escape) setTyping(undefined);
      else if (key.backspace || key.delete) setTyping(t.slice(0, -1));
      // Readline's kill-line and word-rubout; other control and meta keys type nothing.
      else if (key.ctrl && input === 'u') setTyping('');
      else if (key.ctrl && input === 'w') setTyping(t.replace(/\S*\s*$/, ''));
      else if (!key.ctrl && !key.meta) setTyping(t + printable(input));
      return;
    }
    // Letter commands only as plain keys: Ctrl-P or Alt-q is not `p` or `q`.
    const letter = (c: string) => input === c && !key.ctrl && !key.meta;
    if (letter('q')) return exit();
    if (view.kind !== 'main') {
      if (key.escape || letter('?')) return setView({ kind: 'main' });
      if (view.kind === 'trace') {
        if (key.upArrow) setOffset((o) => Math.max(0, o - 1));
        if (key.downArrow) setOffset((o) => Math.min(Math.max(0, view.lines.length - 1), o + 1));
      }
      if (view.kind === 'samples') {
        const k = snap.errors.clusters[view.cluster];
        if (key.upArrow) setOffset((o) => Math.max(0, o - 1));
        if (key.downArrow) setOffset((o) => Math.min(Math.max(0, (k?.ids.length ?? 1) - 1), o + 1));
        if (key.return) trace(k?.ids[offset]);
      }
      return;
    }
    if (letter('?')) return setView({ kind: 'help' });
    if (letter('/')) return setTyping(filter);
    if (letter('p')) return setPaused(paused ? undefined : snap.recent);
    const f = focusRef.current;
    if (key.tab || key.rightArrow) return setFocus(key.shift ? (f + PANES.length - 1) % PANES.length : (f + 1) % PANES.length);
    if (key.leftArrow) return setFocus((f + PANES.length - 1) % PANES.length);
    if (key.upArrow || key.downArrow) {
      const next = [...selRef.current];
      next[f] = Math.max(0, Math.min(lists[f] - 1, selected(f) + (key.upArrow ? -1 : 1)));
      return setSel(next);
    }
    if (key.return) {
      const focus = f;
      if (PANES[focus] === 'clusters' && lists[0]) {
        setOffset(0);
        setView({ kind: 'samples', cluster: selected(0) });
      }
      if (PANES[focus] === 'slow') trace(snap.slow[selected(1)]?.slowest[0]?.id);
      if (PANES[focus] === 'stream') trace(stream[selected(2)]?.ids[0]);
    }
  });

  if (size.columns < MIN.columns || size.rows < MIN.rows) {
    return <Text>{`terminal too small: ${size.columns}×${size.rows}, the dashboard needs ${MIN.columns}×${MIN.rows} (q quits)`}</Text>;
  }
  const W = size.columns;
  const H = size.rows - 1;
  const header = (
    <Text wrap="truncate">
      <Text bold>logtool dashboard</Text> <Text dimColor>{terminalSafe(props.status())}</Text>
      {props.warning?.() ? <Text color="yellow"> {terminalSafe(props.warning() ?? '')}</Text> : null}
      {paused ? <Text color="yellow"> PAUSED</Text> : null}
      {filter ? <Text color="cyan"> filter: {terminalSafe(filter)}</Text> : null}
      {typing !== undefined ? <Text color="cyan"> /{terminalSafe(typing)}▏</Text> : null}
      <Text dimColor> · ? keys · q quit</Text>
    </Text>
  );
  if (view.kind === 'help') return <Box flexDirection="column">{header}<HelpView width={W} /></Box>;
  if (view.kind === 'samples' && snap.errors.clusters[view.cluster]) {
    return <Box flexDirection="column">{header}<SamplesView cluster={snap.errors.clusters[view.cluster]} selected={offset} width={W} /></Box>;
  }
  if (view.kind === 'trace') return <Box flexDirection="column">{header}<ScrollView title={`trace ${terminalSafe(view.id)} (↑↓ scroll, Esc back)`} lines={view.lines} offset={offset} height={H} /></Box>;
  const top = Math.max(9, Math.floor(H * 0.36));
  const mid = Math.max(7, Math.floor(H * 0.3));
  const bottom = Math.max(5, H - top - mid);
  const left = Math.floor(W * 0.62);
  return (
    <Box flexDirection="column" width={W}>
      {header}
      <Box>
        <RatePane snap={snap} width={left} height={top} />
        <LevelsPane snap={snap} width={W - left} height={top} />
      </Box>
      <Box>
        <ClustersPane clusters={snap.errors.clusters} selected={selected(0)} focused={focus === 0} width={left} height={mid} />
        <SlowPane groups={snap.slow} selected={selected(1)} focused={focus === 1} width={W - left} height={mid} />
      </Box>
      <StreamPane records={stream} selected={selected(2)} focused={focus === 2} width={W} height={bottom} line={(r) => recordLine(r, chalk, { continuation: false, clock })} title={`records (${stream.length}${filter ? ' matching' : ''})`} />
    </Box>
  );
}
