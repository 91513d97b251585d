import { describe, expect, it } from 'vitest';
import { pairWithBaseline, structuralScore } from '../../../src/analyze/lib/baseline-match.js';
import { mergeSlots, shiftSlots } from '../../../src/analyze/lib/pattern-slots.js';

const ref = (template: string, id = `id-${template}`) => ({ id, template });

describe('structural agreement of templates', () => {
  const cases: [string, string, number | undefined][] = [
    ['Tool SearchTool failed', 'Tool <*> failed', 2],
    ['Tool <*> failed', 'Tool SearchTool failed', 2],
    ['order ord_<*> failed', 'order ord_17 failed', 2],
    ['Tool SearchTool failed', 'Tool MailTool failed', undefined],
    ['Tool <*> failed now', 'Tool <*> failed', undefined],
    ['a b c d', '<*> <*> <*> d', undefined],
    ['<*> <*>', 'disk full', undefined],
  ];
  for (const [a, b, score] of cases) it(`'${a}' ~ '${b}' → ${score}`, () => expect(structuralScore(a, b)).toBe(score));
});

describe('pairing with a baseline', () => {
  it('pairs equal ids or templates first, then the closest structural match, one to one', () => {
    const baseline = [ref('Tool SearchTool failed'), ref('Tool MailTool failed'), ref('disk full on <*>'), ref('old failure <*>')];
    const current = [ref('Tool <*> failed'), ref('disk full on <*>', 'renamed'), ref('Tool DbTool failed')];
    const p = pairWithBaseline(current, baseline);
    expect(p.matched.map((m) => m?.template)).toEqual(['Tool SearchTool failed', 'disk full on <*>', undefined]);
    expect(p.gone.map((g) => g.template)).toEqual(['Tool MailTool failed', 'old failure <*>']);
  });

  it('gives a baseline pattern to the current one sharing most constants', () => {
    const p = pairWithBaseline([ref('<*> call <*> failed'), ref('Tool call <*> failed')], [ref('Tool call SearchTool failed')]);
    expect(p.matched.map((m) => m?.template)).toEqual([undefined, 'Tool call SearchTool failed']);
  });
});

describe('slot summaries', () => {
  it('add counts of equal values per position over clusters merged into one pattern; distinct is a lower bound', () => {
    const a = [{ position: 0, values: [{ value: 'SearchTool', count: 9 }, { value: 'MailTool', count: 4 }], distinct: 2 }];
    const b = [
      { position: 0, values: [{ value: 'MailTool', count: 7 }, { value: 'DbTool', count: 1 }], distinct: 5 },
      { position: 1, values: [{ value: 'x', count: 1 }], distinct: 1 },
    ];
    expect(mergeSlots([a, b])).toEqual([
      { position: 0, values: [{ value: 'MailTool', count: 11 }, { value: 'SearchTool', count: 9 }, { value: 'DbTool', count: 1 }], distinct: 5 },
      { position: 1, values: [{ value: 'x', count: 1 }], distinct: 1 },
    ]);
    expect(mergeSlots([a])).toBe(a);
    expect(shiftSlots(b, 2).map((s) => s.position)).toEqual([2, 3]);
  });
});
