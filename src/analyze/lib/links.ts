/**
 * Links between patterns, drawn only on shared-request evidence: B follows A when, in the
 * requests both hit, A came first in at least `MIN_SHARED` of them and in at least `MIN_SHARE`
 * of B's requests, A came first more often than after, and A's onset is not later than the
 * first request in which B followed it (an effect with two causes follows each in its own
 * requests, so B's own onset may come from the other cause). Patterns that merely changed at
 * the same time are never linked.
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
  /** `shared_requests` over `of_requests`, the requests `to` occurred in. */
  share: number;
  of_requests: number;
  /** The median time from `from` to `to` in those requests. */
  median_delay_ms: number;
  /** A request showing the chain (for `logtool trace`). */
  example: string;
  /** Set when the counts come from a sample of each pattern's requests (bottom-k, coordinated). */
  sampled?: boolean;
  /** Set when `from` began after `to` had (from another cause): a later cause of it, not its first. */
  later_cause?: boolean;
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
  let firstFollowed = Infinity;
  for (const [id, hb] of b.requests.hits) {
    if (hb.h >= thr || hb.t < lo || hb.t > hi) continue;
    nB++;
    const ha = a.requests.hits.get(id);
    if (!ha || ha.h >= thr || ha.t < lo || ha.t > hi) continue;
    if (ha.t < hb.t || (ha.t === hb.t && ha.seq < hb.seq)) {
      forward++;
      delays.push(hb.t - ha.t);
      if (hb.t < firstFollowed) firstFollowed = hb.t;
      if (!example || id < example) example = id;
    } else backward++;
  }
  return { nB, forward, backward, delays, example, firstFollowed, sampled: thr < 1 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Every link that meets the evidence rules, strongest first; a link that would close a cycle is
 * left out, and so is A → C when A → B → C already says it (the transitive reduction).
 */
export function evidenceLinks(nodes: LinkNode[], opts: LinkOptions): Link[] {
  const lo = opts.lo ?? -Infinity;
  const hi = opts.hi ?? Infinity;
  const candidates: Link[] = [];
  for (const b of nodes) {
    for (const a of nodes) {
      if (a === b) continue;
      const ev = evidence(a, b, lo, hi);
      if (ev.forward < MIN_SHARED || ev.forward <= ev.backward || ev.forward < MIN_SHARE * ev.nB) continue;
      if (a.onset > ev.firstFollowed + opts.slackMs) continue;
      candidates.push({
        from: a.id,
        to: b.id,
        shared_requests: ev.forward,
        share: Math.round((ev.forward / ev.nB) * 1000) / 1000,
        of_requests: ev.nB,
        median_delay_ms: Math.round(median(ev.delays)),
        example: ev.example,
        ...(ev.sampled ? { sampled: true } : {}),
        ...(a.onset > b.onset + opts.slackMs ? { later_cause: true } : {}),
      });
    }
  }
  candidates.sort((x, y) => y.shared_requests - x.shared_requests || x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
  const out = new Map<string, Set<string>>();
  const reaches = (from: string, target: string, skip?: Link): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length) {
      const at = stack.pop()!;
      if (at === target) return true;
      if (seen.has(at)) continue;
      seen.add(at);
      for (const next of out.get(at) ?? []) if (!(skip && at === skip.from && next === skip.to)) stack.push(next);
    }
    return false;
  };
  const kept: Link[] = [];
  for (const l of candidates) {
    if (reaches(l.to, l.from)) continue;
    if (!out.has(l.from)) out.set(l.from, new Set());
    out.get(l.from)!.add(l.to);
    kept.push(l);
  }
  return kept.filter((l) => !reaches(l.from, l.to, l));
}
