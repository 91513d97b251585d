/**
 * The values seen at each `<*>` of a template, as the miner reports them per cluster, merged
 * into the patterns `errors` shows.
 */
import type { Cluster, SlotSummary } from './miner.js';

export type { SlotSummary };

/** A cluster's slot summaries. */
export function slotsOf(c: Cluster): SlotSummary[] {
  return c.slots;
}

/** How many `<*>` a template holds (slot positions of a following part start there). */
export function wildcardCount(template: string): number {
  return template.split('<*>').length - 1;
}

/**
 * Merges slot summaries of clusters that became one pattern: counts of equal values add up per
 * position, and `distinct` is the largest seen, a lower bound of the merged distinct count
 * (the summaries keep only their top values, so overlaps are unknown).
 */
export function mergeSlots(lists: SlotSummary[][]): SlotSummary[] {
  if (lists.length === 1) return lists[0];
  const byPos = new Map<number, { values: Map<string, number>; distinct: number }>();
  for (const list of lists) {
    for (const s of list) {
      let m = byPos.get(s.position);
      if (!m) byPos.set(s.position, (m = { values: new Map(), distinct: 0 }));
      for (const v of s.values) m.values.set(v.value, (m.values.get(v.value) ?? 0) + v.count);
      m.distinct = Math.max(m.distinct, s.distinct, m.values.size);
    }
  }
  return [...byPos]
    .sort((a, b) => a[0] - b[0])
    .map(([position, m]) => ({
      position,
      values: [...m.values].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)),
      distinct: m.distinct,
    }));
}

/** Slot summaries moved by `offset` positions (the slots of a later part of a joined template). */
export function shiftSlots(slots: SlotSummary[], offset: number): SlotSummary[] {
  return offset === 0 ? slots : slots.map((s) => ({ ...s, position: s.position + offset }));
}
