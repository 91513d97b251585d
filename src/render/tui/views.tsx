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
    ['  Ctrl-U / Ctrl-W', 'in the filter: clear it / delete a word'],
    ['p', 'pause / resume the stream'],
    ['Esc', 'back'],
    ['?', 'this help'],
    ['q, Ctrl-C', 'quit'],
  ];
  const kw = Math.max(...keys.map(([k]) => k.length)) + 2;
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
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

/** A text view that scrolls: the trace timeline. */
export function ScrollView(props: { title: string; lines: string[]; offset: number; height: number }) {
  const rows = Math.max(1, props.height - 3);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} height={props.height}>
      <Text bold>{props.title}</Text>
      {props.lines.slice(props.offset, props.offset + rows).map((l, i) => (
        <Text key={props.offset + i} wrap="truncate">
          {l}
        </Text>
      ))}
    </Box>
  );
}
