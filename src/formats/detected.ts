/** The layout most of an input's records were read with (`json`, `logfmt`, `docker/json`…); undefined without records. */
export function detectedLayout(layouts: Record<string, number>): string | undefined {
  let best: string | undefined;
  let most = 0;
  for (const [name, n] of Object.entries(layouts)) {
    if (n > most) {
      best = name;
      most = n;
    }
  }
  return best;
}

/** `logfmt`, or `logfmt 93%, json 7%` when an input mixes layouts (up to three named). */
export function describeLayouts(layouts: Record<string, number>): string | undefined {
  const entries = Object.entries(layouts).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return undefined;
  if (entries.length === 1) return entries[0][0];
  const total = entries.reduce((s, [, n]) => s + n, 0);
  const shown = entries.slice(0, 3).map(([name, n]) => `${name} ${Math.max(1, Math.round((100 * n) / total))}%`);
  return entries.length > 3 ? `${shown.join(', ')}, …` : shown.join(', ');
}
