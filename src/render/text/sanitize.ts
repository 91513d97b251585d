/**
 * The renderers' names for the terminal-hygiene functions of `../safe.ts`: `visible` shows
 * escape sequences, control and bidi characters as text (`\x1b[2J`, `<U+202E>`), so a log line
 * cannot clear the screen, move the cursor, set the window title, hide or reorder text;
 * `inertJson` keeps serialized JSON free of the raw characters JSON.stringify leaves in.
 */
export { terminalSafe as visible, jsonSafe as inertJson } from '../safe.js';
