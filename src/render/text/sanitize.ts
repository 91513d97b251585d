/** C0 controls (except tab), DEL and C1 controls: anything a terminal may act on. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\u001b': '\\x1b' };

/**
 * Makes log content safe to print on a terminal: escape sequences and control characters are
 * shown as text (`\x1b[2J`), so a log line cannot clear the screen, move the cursor, set the
 * window title or hide text.
 */
export function visible(s: string): string {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(s)) return s;
  return s.replace(CONTROL, (c) => NAMED[c] ?? '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

/** C1 controls survive JSON.stringify unescaped; escaping them keeps JSON output inert on a terminal. */
export function inertJson(json: string): string {
  return json.replace(/[\u007f-\u009f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
