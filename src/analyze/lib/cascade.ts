/** A link in a cascade: `to` started after `from`, sharing requests or close in time. */
export interface Cascade {
  from: string;
  to: string;
  lag_ms: number;
  shared_requests: number;
}

/** What cascade detection needs of a cluster. */
export interface CascadeInput {
  id: string;
  first_seen: number | undefined;
  requests: Set<string>;
}

/** Clusters considered: the biggest ones, where a cascade story matters. */
const TOP = 20;

/**
 * Links each cluster to the earlier one that most plausibly caused it: the predecessor sharing
 * the most requests, or else the nearest predecessor that started within `windowMs`.
 * Clusters are taken in order of first occurrence, so the first link's `from` started first.
 */
export function findCascades(clusters: CascadeInput[], windowMs: number): Cascade[] {
  const timed = clusters
    .slice(0, TOP)
    .filter((c) => c.first_seen !== undefined)
    .sort((a, b) => a.first_seen! - b.first_seen! || a.id.localeCompare(b.id));
  const links: Cascade[] = [];
  for (let j = 1; j < timed.length; j++) {
    const to = timed[j];
    let best: { from: CascadeInput; shared: number } | undefined;
    for (let i = 0; i < j; i++) {
      const shared = countShared(timed[i].requests, to.requests);
      if (shared > 0 && (!best || shared > best.shared)) best = { from: timed[i], shared };
    }
    if (!best) {
      const prev = timed[j - 1];
      if (to.first_seen! - prev.first_seen! <= windowMs) best = { from: prev, shared: 0 };
    }
    if (best) links.push({ from: best.from.id, to: to.id, lag_ms: to.first_seen! - best.from.first_seen!, shared_requests: best.shared });
  }
  return links;
}

function countShared(a: Set<string>, b: Set<string>): number {
  const [small, big] = a.size < b.size ? [a, b] : [b, a];
  let n = 0;
  for (const x of small) if (big.has(x)) n++;
  return n;
}
