import { Box, Text } from 'ink';
import type { ErrorCluster } from '../../analyze/errors.js';
import { visible } from '../text/sanitize.js';

/** The keys, for `?`. */
export function HelpView() {
  const keys: [string, string][] = [
    ['Tab / → ', 'next pane'],
    ['Shift-Tab / ←', 'previous pane'],
    ['↑ ↓', 'move in the pane'],
    ['Enter', 'pattern: its samples; operation or record: its trace'],
    ['/', 'filter the stream (text, or field=value)'],
    ['p', 'pause / resume the stream'],
    ['Esc', 'back'],
    ['?', 'this help'],
    ['q, Ctrl-C', 'quit'],
  ];
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>keys</Text>
      {keys.map(([k, v]) => (
        <Text key={k}>
          <Text color="cyan">{k.padEnd(16)}</Text>
          {v}
        </Text>
      ))}
    </Box>
  );
}

/** A pattern's samples and the ids of affected requests (Enter on an id opens its trace). */
export function SamplesView(props: { cluster: ErrorCluster; selected: number }) {
  const k = props.cluster;
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>{visible(k.template)}</Text>
      <Text dimColor>
        {k.id} · {k.count} records · {k.services.map(visible).join(', ')} · {k.error_types.map(visible).join(', ')}
      </Text>
      <Text bold>samples</Text>
      {k.samples.map((s) => (
        <Text key={s.source} wrap="truncate">
          {visible(s.message)} <Text dimColor>{s.source}</Text>
        </Text>
      ))}
      <Text bold>requests (Enter: trace)</Text>
      {k.ids.map((id, i) => (
        <Text key={id} inverse={i === props.selected}>
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
