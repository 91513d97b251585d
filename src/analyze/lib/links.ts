/**
 * Links between patterns, drawn only on shared-request evidence: B follows A when, in the
 * requests both hit, A came first in at least `MIN_SHARED` of them and in at least `MIN_SHARE`
 * of B's requests, A came first more often than after, and A's onset is not later than B's.
 * Patterns that merely changed at the same time are never linked.
 */
import type { RequestSample } from './request-sample.js';

/** Fewer shared requests than this are a coincidence. */
export const MIN_SHARED = 3;
/** The share of B's requests in which A must come first. */
export const MIN_SHARE = 0.2;

/** A pattern as links see it. */
export interface LinkNode {
  id: string;
  /** When the pattern began (or changed); a link never points back in time beyond `slackMs`. */
  onset: number;
  requests: RequestSample;
}

/** `to` follows `from` in the same requests. */
export interface Link {
  from: string;
  to: string;
  /** Requests in which `from` occurred before `to`. */
  shared_requests: number;
  /** `shared_requests` over the requests `to` occurred in. */
  share: number;
  /** The median time from `from` to `to` in those requests. */
  median_delay_ms: number;
  /** A request showing the chain (for `logtool trace`). */
  example: string;
  /** Set when the counts come from a sample of each pattern's requests (bottom-k, coordinated). */
  sampled?: boolean;
}

export interface LinkOptions {
  /** Only hits in [lo, hi] count (the incident window); default: all. */
  lo?: number;
  hi?: number;
  /** How far a link's `from` onset may lie after its `to` onset (the onset resolution). */
  slackMs: number;
}

/** Evidence that `a` precedes `b`, counted over the ids both samples would keep. */
function evidence(a: LinkNode, b: LinkNode, lo: number, hi: number) {
  const thr = Math.min(a.requests.threshold, b.requests.threshold);
  let nB = 0;
  let forward = 0;
  let backward = 0;
  const delays: number[] = [];
  let example = '';
  for (const [id, hb] of b.requests.hits) {
    if (hb.h >= thr || hb.t < lo || hb.t > hi) continue;
    nB++;
    const ha = a.requests.hits.get(id);
    if (!ha || ha.h >= thr || ha.t < lo || ha.t > hi) continue;
    if (ha.t < hb.t || (ha.t === hb.t && ha.seq < hb.seq)) {
      forward++;
      delays.push(hb.t - ha.t);
      if (!example || id < example) example = id;
    } else backward++;
  }
  return { nB, forward, backward, delays, example, sampled: thr < 1 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * For each pattern, the one pattern it most often follows in shared requests (if any meets the
 * evidence rules); strongest links first, a link that would close a cycle is left out.
 */
export function evidenceLinks(nodes: LinkNode[], opts: LinkOptions): Link[] {
  const lo = opts.lo ?? -Infinity;
  const hi = opts.hi ?? Infinity;
  const candidates: Link[] = [];
  for (const b of nodes) {
    let best: Link | undefined;
    let bestOnset = Infinity;
    for (const a of nodes) {
      if (a === b || a.onset > b.onset + opts.slackMs) continue;
      const ev = evidence(a, b, lo, hi);
      if (ev.forward < MIN_SHARED || ev.forward <= ev.backward || ev.forward < MIN_SHARE * ev.nB) continue;
      if (best && (ev.forward < best.shared_requests || (ev.forward === best.shared_requests && a.onset >= bestOnset))) continue;
      bestOnset = a.onset;
      best = {
        from: a.id,
        to: b.id,
        shared_requests: ev.forward,
        share: Math.round((ev.forward / ev.nB) * 1000) / 1000,
        median_delay_ms: Math.round(median(ev.delays)),
        example: ev.example,
        ...(ev.sampled ? { sampled: true } : {}),
      };
    }
    if (best) candidates.push(best);
  }
  candidates.sort((x, y) => y.shared_requests - x.shared_requests || x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
  const parent = new Map<string, string>();
  const reaches = (from: string, target: string) => {
    for (let at: string | undefined = from, steps = 0; at !== undefined && steps <= nodes.length; at = parent.get(at), steps++) if (at === target) return true;
    return false;
  };
  const links: Link[] = [];
  for (const l of candidates) {
    if (reaches(l.from, l.to)) continue;
    parent.set(l.to, l.from);
    links.push(l);
  }
  return links;
}
