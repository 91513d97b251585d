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
});
