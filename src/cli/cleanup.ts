/** Work to finish before the process ends (closing a ClickHouse connection's sockets). */
const pending: Array<() => Promise<void>> = [];

/** Registers work `main` runs once the command is done, whatever its outcome. */
export function onExit(fn: () => Promise<void>): void {
  pending.push(fn);
}

/** Runs and forgets the registered work. */
export async function runExitWork(): Promise<void> {
  const all = pending.splice(0);
  await Promise.all(all.map((fn) => fn().catch(() => undefined)));
}
