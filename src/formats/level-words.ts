/**
 * The level of a line an envelope carried that no layout reads (a container's plain output,
 * a CloudWatch message, a Loki line), by one rule:
 *
 * 1. a level word written in the line, the first one found: an upper-case whole word
 *    (`ERROR`, `WARN`, `WARNING`, `INFO`, `DEBUG`, `TRACE`, `FATAL`, `CRITICAL`, `PANIC`,
 *    `NOTICE`), or a level word in any case inside brackets (`[error]`, `<warn>`, `(Info)`), or
 *    a `level=…` / `severity=…` pair;
 * 2. else, when the wrapper says the line went to stdout, `info`: an application's ordinary output;
 * 3. else unknown: many programs write everything to stderr, so stderr alone says nothing.
 *
 * A lower-case word outside brackets does not count: `no error found`, `info about the order`
 * are prose, not levels. ANSI colour codes around a word are ignored.
 */

const UPPER = /(?<![\w-])(ERROR|WARN|WARNING|INFO|DEBUG|TRACE|FATAL|CRITICAL|PANIC|NOTICE)(?![\w-])/;
const BRACKETED = /[[<(](error|err|warn|warning|info|debug|trace|fatal|critical|crit|panic|notice)[\]>)]/i;
const PAIR = /(?<![\w.])(?:level|severity|lvl)=["']?([A-Za-z]+)/i;
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** The level word written in a line (as written), if any; the first of the three forms in the line. */
export function levelWord(line: string): string | undefined {
  const text = line.includes('\x1b[') ? line.replace(ANSI, '') : line;
  let best: RegExpExecArray | null = null;
  for (const re of [UPPER, BRACKETED, PAIR]) {
    const m = re.exec(text);
    if (m && (best === null || m.index < best.index)) best = m;
  }
  return best ? best[1] : undefined;
}

/** The level of an envelope's unread inner line (see the module's rule); undefined: unknown. */
export function innerTextLevel(line: string, stream: unknown): string | undefined {
  return levelWord(line) ?? streamLevel(stream);
}

/** `info` for a line the wrapper says went to stdout; nothing for stderr or no stream. */
export function streamLevel(stream: unknown): string | undefined {
  return stream === 'stdout' ? 'info' : undefined;
}
