import { describe, expect, it } from 'vitest';
import { createMiner, OVERFLOW_TEMPLATE, templateId } from '../../../src/analyze/lib/miner.js';

/** Feeds one message per non-empty line and returns the final templates, sorted. */
function templates(input: string, opts = {}): string[] {
  const miner = createMiner(opts);
  for (const line of input.split('\n').map((l) => l.trim()).filter(Boolean)) miner.add(line);
  return miner.clusters().map((c) => c.template).sort();
}

describe('template miner', () => {
  it('groups the spec example: numbers with units and prefixed ids', () => {
    expect(
      templates(`
        Bank API timeout after 2731ms for charge ch_1
        Bank API timeout after 3012ms for charge ch_2
      `),
    ).toEqual(['Bank API timeout after <*> for charge <*>']);
  });

  it('merges variables that are words', () => {
    expect(
      templates(`
        Table users not found
        Table orders not found
      `),
    ).toEqual(['Table <*> not found']);
    expect(
      templates(`
        Invalid user webmaster from 173.234.31.186
        Invalid user test9 from 52.80.34.196
        Invalid user admin from 10.0.0.1
      `),
    ).toEqual(['Invalid user <*> from <*>']);
  });

  it('keeps genuinely different templates apart', () => {
    expect(
      templates(`
        Connection refused by database primary
        Disk quota exceeded on volume 3
        Connection refused by cache replica
        Disk quota exceeded on volume 7
        session opened for user root
      `),
    ).toEqual(['Connection refused by <*> <*>', 'Disk quota exceeded on volume <*>', 'session opened for user root']);
  });

  it('splits on a handful of recurring words (event states), not on one-off names', () => {
    const lines: string[] = [];
    for (let i = 0; i < 10; i++) {
      lines.push(`Block broadcast_${i} stored as bytes in memory (estimated size ${i}.2 KB)`);
      lines.push(`Block broadcast_${i} stored as values in memory (estimated size ${i}.8 KB)`);
    }
    expect(templates(lines.join('\n'))).toEqual([
      'Block <*> stored as bytes in memory (estimated size <*>)',
      'Block <*> stored as values in memory (estimated size <*>)',
    ]);
  });

  it('gives the same id to the same template, on every run', () => {
    const a = createMiner();
    const b = createMiner();
    a.add('Table users not found');
    a.add('Table orders not found');
    b.add('Table carts not found');
    b.add('Table stock not found');
    const [ca] = a.clusters();
    const [cb] = b.clusters();
    expect(ca.id).toBe(cb.id);
    expect(ca.id).toBe(templateId('Table <*> not found'));
    expect(ca.id).toMatch(/^[0-9a-f]{12}$/);
  });

  it('returns a handle from add() that resolves to the final cluster', () => {
    const miner = createMiner();
    const first = miner.add('Table users not found');
    expect(first.isNew).toBe(true);
    expect(first.template).toBe('Table users not found');
    const second = miner.add('Table orders not found');
    expect(second.isNew).toBe(false);
    expect(second.template).toBe('Table <*> not found');
    // The first message's id followed its template as it generalized.
    expect(miner.resolve(first.cluster).template).toBe('Table <*> not found');
    expect(miner.match('Table refunds not found')?.id).toBe(second.clusterId);
    expect(miner.match('Something else entirely')).toBeUndefined();
  });

  it('sends messages beyond the cluster cap to an overflow cluster and counts them', () => {
    const miner = createMiner({ maxClusters: 2 });
    miner.add('alpha started');
    miner.add('beta stopped cleanly');
    miner.add('gamma crashed hard now');
    miner.add('delta vanished');
    miner.add('alpha started');
    expect(miner.overflow).toBe(2);
    const byTemplate = Object.fromEntries(miner.clusters().map((c) => [c.template, c.count]));
    expect(byTemplate).toEqual({ 'alpha started': 2, 'beta stopped cleanly': 1, [OVERFLOW_TEMPLATE]: 2 });
  });

  it('handles empty and whitespace-only messages', () => {
    expect(templates('\n', {})).toEqual([]);
    const miner = createMiner();
    miner.add('');
    miner.add('   ');
    expect(miner.clusters()).toEqual([{ id: templateId(''), template: '', count: 2, slots: [] }]);
  });

  it('merges a name with few values: tools and tables are one pattern each (the spec example)', () => {
    const lines: string[] = [];
    let k = 0;
    for (const [tool, n] of [['SearchTool', 14], ['MailTool', 10], ['CalendarTool', 6]] as const) {
      for (let i = 0; i < n; i++) lines.push(`Tool call ${tool} failed: connection reset by peer 10.0.0.${k++ % 5}:443`);
    }
    for (const [table, n] of [['orders', 9], ['users', 5], ['payments', 4]] as const) {
      for (let i = 0; i < n; i++) lines.push(`DB timeout after ${100 + i}ms on table ${table}`);
    }
    expect(templates(lines.join('\n'))).toEqual(['DB timeout after <*> on table <*>', 'Tool call <*> failed: connection reset by peer <*>']);
    // Lower-case names one word after the kind noun merge as well.
    const lower: string[] = [];
    for (const [tool, n] of [['search', 9], ['mail', 6], ['calendar', 6]] as const) for (let i = 0; i < n; i++) lower.push(`Tool call ${tool} timed out`);
    expect(templates(lower.join('\n'))).toEqual(['Tool call <*> timed out']);
  });

  it('still splits event words that change together (from X to Y), not independent values', () => {
    const lines: string[] = [];
    const steps = [['NEW', 'SCHEDULED'], ['SCHEDULED', 'ASSIGNED'], ['ASSIGNED', 'RUNNING'], ['RUNNING', 'SUCCEEDED']];
    for (let i = 0; i < 5; i++) for (const [a, b] of steps) lines.push(`attempt_${i}_0 TaskAttempt Transitioned from ${a} to ${b}`);
    expect(templates(lines.join('\n'))).toEqual(steps.map(([a, b]) => `<*> TaskAttempt Transitioned from ${a} to ${b}`).sort());
    // Four directions each way, every combination seen: two independent variables, one pattern.
    const dirs = ['north', 'south', 'east', 'west'];
    const free: string[] = [];
    for (let r = 0; r < 3; r++) for (const a of dirs) for (const b of dirs) free.push(`copy replica ${r} from ${a} to ${b}`);
    expect(templates(free.join('\n'))).toEqual(['copy replica <*> from <*> to <*>']);
  });

  it('keeps tokens carrying masked values of different fields apart', () => {
    const lines = ['session opened for user root by LOGIN(uid=0)'];
    for (const u of ['cyrus', 'news', 'test', 'cyrus', 'news']) lines.push(`session opened for user ${u} by (uid=0)`);
    expect(templates(lines.join('\n'))).toEqual(['session opened for user <*> by (uid=<*>)', 'session opened for user root by LOGIN(uid=<*>)']);
  });

  it('reports each slot with its original values and counts', () => {
    const miner = createMiner();
    let k = 0;
    for (const [tool, n] of [['SearchTool', 14], ['MailTool', 10], ['CalendarTool', 6], ['DbTool', 3]] as const) {
      for (let i = 0; i < n; i++) miner.add(`Tool call ${tool} failed: connection reset by peer 10.0.0.${k++ % 2 + 1}:443 uid=${i % 2}`);
    }
    const [c] = miner.clusters();
    expect(c.template).toBe('Tool call <*> failed: connection reset by peer <*> uid=<*>');
    expect(c.slots).toEqual([
      {
        position: 0,
        values: [
          { value: 'SearchTool', count: 14 },
          { value: 'MailTool', count: 10 },
          { value: 'CalendarTool', count: 6 },
          { value: 'DbTool', count: 3 },
        ],
        distinct: 4,
      },
      { position: 1, values: [{ value: '10.0.0.1:443', count: 17 }, { value: '10.0.0.2:443', count: 16 }], distinct: 2 },
      { position: 2, values: [{ value: '0', count: 17 }, { value: '1', count: 16 }], distinct: 2 },
    ]);
  });

  it('counts the values a position held before it became a wildcard', () => {
    const miner = createMiner();
    for (let i = 0; i < 3; i++) miner.add('Table users not found');
    miner.add('Table orders not found');
    miner.add('Table carts not found');
    expect(miner.clusters()[0].slots).toEqual([
      { position: 0, values: [{ value: 'users', count: 3 }, { value: 'carts', count: 1 }, { value: 'orders', count: 1 }], distinct: 3 },
    ]);
  });

  it('sums slots over every handle that resolves to one template, aligned to the final template', () => {
    const miner = createMiner();
    const handles = new Set<number>();
    // Five table names: tracked per name (five handles), then one template.
    for (const t of ['a', 'b', 'c', 'd', 'e']) for (let i = 0; i < 3; i++) handles.add(miner.add(`Query on table t${t}x took ${i}ms`).cluster);
    expect(handles.size).toBeGreaterThan(1);
    const finals = new Set([...handles].map((h) => miner.resolve(h)));
    expect(finals.size).toBe(1);
    const [c] = finals;
    expect(c.slots.map((s) => [s.position, s.distinct, s.values.reduce((n, v) => n + v.count, 0)])).toEqual([
      [0, 5, 15],
      [1, 3, 15],
    ]);
    // A split cluster: the split word is constant in each template and has no slot.
    const split = createMiner();
    for (let i = 0; i < 10; i++) {
      split.add(`Block broadcast_${i} stored as bytes in memory (estimated size ${i}.2 KB)`);
      split.add(`Block broadcast_${i} stored as values in memory (estimated size ${i}.8 KB)`);
    }
    for (const s of split.clusters()) {
      expect(s.slots.map((x) => x.position)).toEqual([0, 1]);
      expect(s.slots[0].distinct).toBe(10);
      expect(s.slots[0].values[0].value).toMatch(/^broadcast_\d$/);
      // The masked `0.2 KB` spans two original tokens; the slot shows the original text.
      expect(s.slots[1].values[0].value).toMatch(s.template.includes('bytes') ? /^\d\.2 KB$/ : /^\d\.8 KB$/);
    }
  });

  it('keeps slots bounded on many distinct values (the sketch itself is tested on a million)', () => {
    const miner = createMiner();
    for (let i = 0; i < 100_000; i++) miner.add(`cache miss for key k${i.toString(36)}z`);
    const [c] = miner.clusters();
    expect(c.count).toBe(100_000);
    expect(c.slots).toHaveLength(1);
    expect(c.slots[0].values.length).toBeLessThanOrEqual(5);
    for (const v of c.slots[0].values) expect(v.count).toBe(1);
    expect(c.slots[0].distinct).toBeGreaterThan(60_000);
    expect(c.slots[0].distinct).toBeLessThan(140_000);
  });

  it('stops creating slot sketches at its budget, and still counts and groups', () => {
    const miner = createMiner({ maxSlotSketches: 2 });
    for (let i = 0; i < 5; i++) miner.add(`disk ${i} full on node-${i}a`);
    for (let i = 0; i < 5; i++) miner.add(`queue q${i}x stalled after ${i}s`);
    const byTemplate = Object.fromEntries(miner.clusters().map((c) => [c.template, c]));
    // The first template's two slots took the budget; the second reports no values.
    expect(byTemplate['disk <*> full on <*>'].slots.map((s) => s.distinct)).toEqual([5, 5]);
    expect(byTemplate['queue <*> stalled after <*>'].count).toBe(5);
    expect(byTemplate['queue <*> stalled after <*>'].slots.map((s) => s.values)).toEqual([[], []]);
  });

  it('matches every message it was given to the cluster add() filed it under', () => {
    const miner = createMiner();
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) {
      lines.push(`REPORT : ${i} ${i * 7} ${i * 13} 240`);
      lines.push(`onExtend:${1514038530000 + i} ${i % 3} 0 4`);
      lines.push(`Table ${['users', 'orders', 'carts'][i % 3]} not found`);
      lines.push(`job ${i} moved from ${['NEW', 'RUNNING', 'DONE'][i % 3]} to ${['RUNNING', 'DONE', 'GONE'][i % 3]}`);
    }
    const handles = lines.map((l) => miner.add(l).cluster);
    lines.forEach((l, i) => expect(miner.match(l)).toBe(miner.resolve(handles[i])));
  });

  it('matches a message beyond the cluster cap to the overflow pattern', () => {
    const miner = createMiner({ maxClusters: 1 });
    miner.add('alpha started');
    miner.add('beta stopped cleanly');
    expect(miner.match('beta stopped cleanly')?.template).toBe(OVERFLOW_TEMPLATE);
  });
});
