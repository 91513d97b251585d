import { Box, Text } from 'ink';
import type { ErrorCluster } from '../../analyze/errors.js';
import { displayWidth, shorten } from '../text/layout.js';
import { visible } from '../text/sanitize.js';

/** The keys, for `?`. */
export function HelpView(props: { width?: number }) {
  const keys: [string, string][] = [
    ['Tab / → ', 'next pane'],
    ['Shift-Tab / ←', 'previous pane'],
    ['↑ ↓', 'move in the pane'],
    ['Enter', 'pattern: its samples; operation or record: its trace'],
    ['/', 'filter the stream (text, or field=value)'],
    ['  Ctrl-U / Ctrl-W', 'in the filter: clear it / delete a word'],
    ['p', 'pause / resume the stream'],
    ['Esc', 'back'],
    ['?', 'this help'],
    ['q, Ctrl-C', 'quit'],
  ];
  const kw = Math.max(...keys.map(([k]) => k.length)) + 2;
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={props.width}>
      <Text bold>keys</Text>
      {keys.map(([k, v]) => (
        <Text key={k} wrap="truncate-end">
          <Text color="cyan">{k.padEnd(kw)}</Text>
          {v}
        </Text>
      ))}
    </Box>
  );
}

/**
 * A pattern's samples and the ids of affected requests (Enter on an id opens its trace). The
 * template is shown whole (it may take several lines); a sample loses its middle when it does
 * not fit, so that both the start and the end of the message stay beside its source.
 */
export function SamplesView(props: { cluster: ErrorCluster; selected: number; width?: number }) {
  const k = props.cluster;
  const inner = (props.width ?? 80) - 4;
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} width={props.width}>
      <Text bold>{visible(k.template)}</Text>
      <Text dimColor wrap="truncate-end">
        {[k.id, `${k.count} records`, k.services.map(visible).join(', '), k.error_types.map(visible).join(', ')].filter(Boolean).join(' · ')}
      </Text>
      <Text bold>samples</Text>
      {k.samples.map((s) => (
        <Text key={s.source} wrap="truncate-end">
          {shorten(visible(s.message), Math.max(20, inner - 1 - displayWidth(s.source)), 'middle')} <Text dimColor>{s.source}</Text>
        </Text>
      ))}
      <Text bold>requests (Enter: trace)</Text>
      {k.ids.map((id, i) => (
        <Text key={id} inverse={i === props.selected} wrap="truncate-end">
          {visible(id)}
        </Text>
      ))}
    </Box>
  );
}

/** Columns ScrollView's frame takes from its width: the border and the padding on each side. */
export const SCROLL_FRAME = 4;

/**
 * A text view that scrolls: the trace timeline. The lines come fitted to the view's inner width
 * (the terminal's less SCROLL_FRAME); `truncate` only guards a terminal resized since.
 */
export function ScrollView(props: { title: string; lines: string[]; offset: number; height: number }) {
  const rows = Math.max(1, props.height - 3);
  const end = Math.min(props.lines.length, props.offset + rows);
  const where = props.lines.length > rows ? ` ${props.offset + 1}–${end} of ${props.lines.length}` : '';
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} height={props.height}>
      <Text bold wrap="truncate">
        {props.title}
        <Text dimColor>{where}</Text>
      </Text>
      {props.lines.slice(props.offset, end).map((l, i) => (
        <Text key={props.offset + i} wrap="truncate">
          {l}
        </Text>
      ))}
    </Box>
  );
}
