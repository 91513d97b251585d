/**
 * Pairs this run's patterns with a baseline's, one to one. A template that got more general
 * between runs (a token became `<*>`) is the same pattern, not a new one plus a gone one.
 */

/** A pattern as a baseline stores it. */
export interface PatternRef {
  id: string;
  template: string;
}

/** For each current pattern (by index), the baseline pattern it continues, if any. */
export interface BaselinePairing {
  matched: (PatternRef | undefined)[];
  /** Baseline patterns no current pattern continues. */
  gone: PatternRef[];
}

const WILDCARD = '<*>';

/** A token with `<*>` inside (`ch_<*>`, `<*>ms`) as a whole-token regex. */
function globOf(token: string): RegExp {
  return new RegExp('^' + token.split(WILDCARD).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 's');
}

/** Whether two tokens can be the same position of one pattern: equal, or one's wildcard covers the other. */
function tokensAgree(a: string, b: string): boolean {
  if (a === b || a === WILDCARD || b === WILDCARD) return true;
  return (a.includes(WILDCARD) && globOf(a).test(b)) || (b.includes(WILDCARD) && globOf(b).test(a));
}

const tokens = (t: string) => t.trim().split(/\s+/);

/**
 * How well two templates agree structurally: undefined unless they have the same token count,
 * agree at every position, and share at least as many constants as they have differing
 * positions (one more general by a token or two, as the miner's own 50% similarity); else the
 * number of positions where both hold the same constant (the more, the closer).
 */
export function structuralScore(a: string, b: string): number | undefined {
  const ta = tokens(a);
  const tb = tokens(b);
  if (ta.length !== tb.length) return undefined;
  let same = 0;
  let differ = 0;
  for (let i = 0; i < ta.length; i++) {
    if (!tokensAgree(ta[i], tb[i])) return undefined;
    if (ta[i] !== tb[i]) differ++;
    else if (!ta[i].includes(WILDCARD)) same++;
  }
  return same > 0 && same >= differ ? same : undefined;
}

/**
 * Pairs current patterns with baseline ones: equal ids or templates first, then structurally
 * agreeing templates, closest first (most shared constants; ties go to the earlier current
 * pattern, then the earlier baseline entry). Each side is used at most once.
 */
export function pairWithBaseline(current: PatternRef[], baseline: PatternRef[]): BaselinePairing {
  const matched: (PatternRef | undefined)[] = new Array(current.length).fill(undefined);
  const used = new Array<boolean>(baseline.length).fill(false);
  const byKey = new Map<string, number[]>();
  const byLength = new Map<number, number[]>();
  const push = <K>(m: Map<K, number[]>, k: K, j: number) => {
    const list = m.get(k);
    if (list) list.push(j);
    else m.set(k, [j]);
  };
  baseline.forEach((e, j) => {
    push(byKey, `i:${e.id}`, j);
    push(byKey, `t:${e.template}`, j);
    push(byLength, tokens(e.template).length, j);
  });
  const take = (i: number, j: number) => {
    matched[i] = baseline[j];
    used[j] = true;
  };
  // Exact: the id (same template text) or the same template under another id (an older id scheme).
  for (const prefix of ['i:', 't:'] as const) {
    current.forEach((c, i) => {
      if (matched[i]) return;
      const j = (byKey.get(prefix + (prefix === 'i:' ? c.id : c.template)) ?? []).find((x) => !used[x]);
      if (j !== undefined) take(i, j);
    });
  }
  const pairs: { i: number; j: number; score: number }[] = [];
  current.forEach((c, i) => {
    if (matched[i]) return;
    for (const j of byLength.get(tokens(c.template).length) ?? []) {
      if (used[j]) continue;
      const score = structuralScore(c.template, baseline[j].template);
      if (score !== undefined) pairs.push({ i, j, score });
    }
  });
  pairs.sort((a, b) => b.score - a.score || a.i - b.i || a.j - b.j);
  for (const p of pairs) if (!matched[p.i] && !used[p.j]) take(p.i, p.j);
  return { matched, gone: baseline.filter((_, j) => !used[j]) };
}
