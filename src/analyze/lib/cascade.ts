/** A link in a cascade: `to` followed `from` in shared requests, or started soon after it. */
export interface Cascade {
  from: string;
  to: string;
  lag_ms: number;
  /** Requests in which `from` occurred before `to`. */
  shared_requests: number;
}

/** What cascade detection needs of a cluster: its start and when it first hit each request. */
export interface CascadeInput {
  id: string;
  first_seen: number | undefined;
  requests: Map<string, number>;
}

/** Clusters considered: the biggest ones, where a cascade story matters. */
const TOP = 20;
/** One shared request is a coincidence; two make a pattern. */
const MIN_SHARED = 2;

/** In how many shared requests `a` occurred before `b`. */
function precedes(a: CascadeInput, b: CascadeInput): number {
  const [small, big, flip] = a.requests.size < b.requests.size ? [a.requests, b.requests, false] : [b.requests, a.requests, true];
  let n = 0;
  for (const [id, t] of small) {
    const u = big.get(id);
    if (u === undefined) continue;
    const [ta, tb] = flip ? [u, t] : [t, u];
    if (ta < tb) n++;
  }
  return n;
}

/**
 * Links each cluster to the cluster that most often came before it inside the same requests
 * (the likely cause); a cluster sharing no requests is linked to the one that started just
 * before it, within `windowMs`. Links are ordered by when their `to` cluster started.
 */
export function findCascades(clusters: CascadeInput[], windowMs: number): Cascade[] {
  const timed = clusters
    .slice(0, TOP)
    .filter((c) => c.first_seen !== undefined)
    .sort((a, b) => a.first_seen! - b.first_seen! || a.id.localeCompare(b.id));
  const links: Cascade[] = [];
  for (let j = 0; j < timed.length; j++) {
    const to = timed[j];
    let best: { from: CascadeInput; n: number } | undefined;
    for (let i = 0; i < timed.length; i++) {
      if (i === j) continue;
      const n = precedes(timed[i], to);
      if (n >= MIN_SHARED && n > precedes(to, timed[i]) && (!best || n > best.n)) best = { from: timed[i], n };
    }
    if (!best && j > 0 && to.first_seen! - timed[j - 1].first_seen! <= windowMs) best = { from: timed[j - 1], n: 0 };
    if (best) links.push({ from: best.from.id, to: to.id, lag_ms: Math.max(0, to.first_seen! - best.from.first_seen!), shared_requests: best.n });
  }
  return links;
}

/** The cluster that started the cascade: the one with the most clusters downstream of it. */
export function cascadeRoot(links: Cascade[]): string | undefined {
  const children = new Map<string, string[]>();
  for (const l of links) children.set(l.from, [...(children.get(l.from) ?? []), l.to]);
  const size = (id: string, seen: Set<string>): number => {
    if (seen.has(id)) return 0;
    seen.add(id);
    return 1 + (children.get(id) ?? []).reduce((a, c) => a + size(c, seen), 0);
  };
  const targets = new Set(links.map((l) => l.to));
  let best: string | undefined;
  let most = 0;
  for (const l of links) {
    if (targets.has(l.from)) continue;
    const n = size(l.from, new Set());
    if (n > most) [best, most] = [l.from, n];
  }
  return best;
}
