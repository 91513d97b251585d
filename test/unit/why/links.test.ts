import { describe, expect, it } from 'vitest';
import { evidenceLinks, MIN_SHARE, MIN_SHARED, type Link, type LinkNode } from '../../../src/analyze/lib/links.js';
import { RequestSample } from '../../../src/analyze/lib/request-sample.js';

const T0 = Date.parse('2024-05-01T12:00:00Z');
const SLACK = 60_000;

/** Input positions, as records arrive. */
let seq = 0;

/** A pattern that hit each request `id` at time `t` (relative to T0). */
function node(id: string, onset: number, hits: [string, number][], k?: number): LinkNode {
  const requests = new RequestSample(k);
  for (const [rid, t] of hits) requests.add(rid, T0 + t, seq++);
  return { id, onset: T0 + onset, requests };
}

const reqs = (prefix: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => `${prefix}${String(from + i).padStart(4, '0')}`);

/** A's hit at 1 s steps and B's `delay` later in the shared requests. */
const hitsAt = (ids: string[], offset = 0): [string, number][] => ids.map((r, i) => [r, i * 1000 + offset]);

const pairs = (links: Link[]) => links.map((l) => `${l.from}->${l.to}`).sort();

describe('evidenceLinks', () => {
  it('links A to B when A precedes B in shared requests, with counts, share and median delay', () => {
    const shared = reqs('r', 10);
    const onlyB = reqs('b', 10);
    const onlyA = reqs('a', 30);
    // Delays 100, 200, …, 1000 ms: median (500 + 600) / 2.
    const a = node('A', 0, [...hitsAt(shared), ...hitsAt(onlyA)]);
    const b = node('B', 500, [...shared.map((r, i): [string, number] => [r, i * 1000 + (i + 1) * 100]), ...hitsAt(onlyB, 77)]);
    const links = evidenceLinks([b, a], { slackMs: SLACK });
    expect(links).toEqual([{ from: 'A', to: 'B', shared_requests: 10, share: 0.5, of_requests: 20, median_delay_ms: 550, example: 'r0000' }]);
  });

  it('draws no link from time-only co-occurrence (no shared ids)', () => {
    const a = node('A', 0, hitsAt(reqs('a', 50)));
    const b = node('B', 0, hitsAt(reqs('b', 50), 10));
    const c = node('C', 0, hitsAt(reqs('c', 50), 20));
    expect(evidenceLinks([a, b, c], { slackMs: SLACK })).toEqual([]);
  });

  it('draws no A→B when B comes first in most shared requests', () => {
    const shared = reqs('r', 10);
    const hitsA: [string, number][] = [];
    const hitsB: [string, number][] = [];
    shared.forEach((r, i) => {
      const bFirst = i < 7;
      hitsA.push([r, i * 1000 + (bFirst ? 300 : 0)]);
      hitsB.push([r, i * 1000 + (bFirst ? 0 : 300)]);
    });
    const links = evidenceLinks([node('A', 0, hitsA), node('B', 0, hitsB)], { slackMs: SLACK });
    expect(pairs(links)).toEqual(['B->A']);
    expect(links[0].shared_requests).toBe(7);
    expect(links[0].share).toBe(0.7);
    // With B's onset too late for B→A, A→B still needs A first more often than not.
    expect(evidenceLinks([node('A', 0, hitsA), node('B', 2 * SLACK, hitsB)], { slackMs: SLACK })).toEqual([]);
  });

  it('needs MIN_SHARED shared requests', () => {
    for (const n of [MIN_SHARED - 1, MIN_SHARED]) {
      const shared = reqs('r', n);
      const links = evidenceLinks([node('A', 0, hitsAt(shared)), node('B', 0, hitsAt(shared, 50))], { slackMs: SLACK });
      expect(links.length, `n=${n}`).toBe(n >= MIN_SHARED ? 1 : 0);
    }
  });

  it('needs MIN_SHARE of B’s requests', () => {
    const nB = 100;
    const atLeast = Math.ceil(MIN_SHARE * nB);
    for (const n of [atLeast - 1, atLeast]) {
      const shared = reqs('r', n);
      const a = node('A', 0, hitsAt(shared));
      const b = node('B', 0, [...hitsAt(shared, 50), ...hitsAt(reqs('b', nB - n), 50)]);
      const links = evidenceLinks([a, b], { slackMs: SLACK });
      expect(links.length, `n=${n}`).toBe(n >= MIN_SHARE * nB ? 1 : 0);
      if (links.length) expect(links[0].share).toBeCloseTo(n / nB, 3);
    }
  });

  it('draws no link from a pattern whose onset is later than where the other followed it, beyond the slack', () => {
    const shared = reqs('r', 20);
    // B first follows A at +50 ms (its first shared request).
    const mk = (aOnset: number) => evidenceLinks([node('A', aOnset, hitsAt(shared)), node('B', 0, hitsAt(shared, 50))], { slackMs: SLACK });
    expect(pairs(mk(50 + SLACK + 1))).toEqual([]);
    expect(pairs(mk(50 + SLACK))).toEqual(['A->B']);
    expect(pairs(mk(-5 * SLACK))).toEqual(['A->B']);
    // B's own onset may come from another cause (its early requests): it does not veto A → B.
    const late = reqs('late', 20);
    const a = node('A', 30 * SLACK, hitsAt(late, 30 * SLACK));
    const b = node('B', 0, [...hitsAt(reqs('early', 20), 0), ...hitsAt(late, 30 * SLACK + 50)]);
    expect(pairs(evidenceLinks([a, b], { slackMs: SLACK }))).toEqual(['A->B']);
  });

  it('breaks a 3-cycle at its weakest link', () => {
    // A before B in 10 requests, B before C in 8, C before A in 5: all onsets the same.
    const ab = reqs('ab', 10);
    const bc = reqs('bc', 8);
    const ca = reqs('ca', 5);
    const a = node('A', 0, [...hitsAt(ab), ...hitsAt(ca, 50)]);
    const b = node('B', 0, [...hitsAt(ab, 50), ...hitsAt(bc)]);
    const c = node('C', 0, [...hitsAt(bc, 50), ...hitsAt(ca)]);
    for (const order of [
      [a, b, c],
      [c, b, a],
      [b, a, c],
    ]) {
      const links = evidenceLinks(order, { slackMs: SLACK });
      expect(pairs(links)).toEqual(['A->B', 'B->C']);
    }
  });

  it('links an effect to each of its causes, strongest first', () => {
    const s1 = reqs('s', 10);
    const s2 = reqs('t', 5);
    const a1 = node('A1', 0, hitsAt(s1));
    const a2 = node('A2', 0, hitsAt(s2));
    const b = node('B', 0, [...hitsAt(s1, 50), ...hitsAt(s2, 50)]);
    const links = evidenceLinks([a2, b, a1], { slackMs: SLACK });
    expect(links.map((l) => [l.from, l.to, l.shared_requests])).toEqual([
      ['A1', 'B', 10],
      ['A2', 'B', 5],
    ]);
    expect(links[0].share).toBeCloseTo(10 / 15, 3);
    expect(links[1].share).toBeCloseTo(5 / 15, 3);
  });

  it('draws a chain A→B→C, strongest first, without the A→C it implies', () => {
    const s = reqs('r', 12);
    const a = node('A', 0, hitsAt(s));
    const b = node('B', 1000, hitsAt(s, 100));
    const c = node('C', 2000, hitsAt(s.slice(0, 6), 300));
    const links = evidenceLinks([c, a, b], { slackMs: SLACK });
    // C follows A too, in the same 6 requests, but A → B → C already says so.
    expect(pairs(links)).toEqual(['A->B', 'B->C']);
    expect(links[0]).toMatchObject({ from: 'A', to: 'B', shared_requests: 12, median_delay_ms: 100 });
    expect(links[1]).toMatchObject({ from: 'B', to: 'C', shared_requests: 6, median_delay_ms: 200 });
  });

  it('orders hits at the same time by input position', () => {
    const s = reqs('r', 5);
    const a = node('A', 0, hitsAt(s)); // fed first
    const b = node('B', 0, hitsAt(s)); // same times, later positions
    const links = evidenceLinks([a, b], { slackMs: SLACK });
    expect(links).toEqual([{ from: 'A', to: 'B', shared_requests: 5, share: 1, of_requests: 5, median_delay_ms: 0, example: 'r0000' }]);
  });

  it('counts only hits inside the window when one is given', () => {
    const before = reqs('early', 10);
    const inside = reqs('late', 2);
    const hitsA: [string, number][] = [...hitsAt(before), ...hitsAt(inside, 100_000)];
    const hitsB: [string, number][] = [...hitsAt(before, 50), ...hitsAt(inside, 100_050)];
    const nodes = [node('A', 0, hitsA), node('B', 0, hitsB)];
    expect(pairs(evidenceLinks(nodes, { slackMs: SLACK }))).toEqual(['A->B']);
    expect(evidenceLinks(nodes, { slackMs: SLACK, lo: T0 + 90_000 })).toEqual([]);
    expect(evidenceLinks(nodes, { slackMs: SLACK, hi: T0 + 90_000 })[0]).toMatchObject({ shared_requests: 10, share: 1 });
    // A's hits before the window do not count either, though B's in the same requests are inside it.
    const straddle = reqs('s', 10);
    const across = [node('A', 0, hitsAt(straddle)), node('B', 0, hitsAt(straddle, 200_000))];
    expect(pairs(evidenceLinks(across, { slackMs: SLACK }))).toEqual(['A->B']);
    expect(evidenceLinks(across, { slackMs: SLACK, lo: T0 + 100_000 })).toEqual([]);
  });

  it('still finds the link from sampled requests, and says they were sampled', () => {
    const k = 64;
    const shared = reqs('r', 3000);
    const onlyB = reqs('b', 3000);
    const a = node('A', 0, hitsAt(shared), k);
    const b = node('B', 0, [...hitsAt(shared, 200), ...hitsAt(onlyB, 10)], k);
    // A time-only neighbour, sampled too, draws nothing.
    const c = node('C', 0, hitsAt(reqs('c', 3000), 5), k);
    const links = evidenceLinks([a, b, c], { slackMs: SLACK });
    expect(pairs(links)).toEqual(['A->B']);
    expect(links[0].sampled).toBe(true);
    expect(links[0].median_delay_ms).toBe(200);
    // Half of B's requests follow A.
    expect(Math.abs(links[0].share - 0.5)).toBeLessThan(0.15);
    expect(links[0].shared_requests).toBeGreaterThanOrEqual(MIN_SHARED);
    expect(shared).toContain(links[0].example);
  });

  it('counts over the ids both samples keep when one pattern is much busier (coordinated samples)', () => {
    const k = 256;
    const shared = reqs('r', 3000);
    // A is ten times busier: its sample keeps a far smaller hash range than B's.
    const a = node('A', 0, [...hitsAt(shared), ...hitsAt(reqs('a', 27_000), 3)], k);
    const b = node('B', 0, [...hitsAt(shared, 200), ...hitsAt(reqs('b', 3000), 10)], k);
    expect(a.requests.threshold).toBeLessThan(b.requests.threshold / 2);
    const links = evidenceLinks([a, b], { slackMs: SLACK });
    expect(pairs(links)).toEqual(['A->B']);
    expect(links[0].sampled).toBe(true);
    expect(Math.abs(links[0].share - 0.5), `share ${links[0].share}`).toBeLessThan(0.25);
    const links2 = evidenceLinks([b, a], { slackMs: SLACK });
    expect(links2).toEqual(links);
  });

  it('does not mark exact counts as sampled', () => {
    const s = reqs('r', 10);
    const [l] = evidenceLinks([node('A', 0, hitsAt(s)), node('B', 0, hitsAt(s, 5))], { slackMs: SLACK });
    expect(l.sampled).toBeUndefined();
  });
});
