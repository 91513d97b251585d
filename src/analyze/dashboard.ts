import { errorsAnalysis, isBreakerEvent, type Baseline, type ErrorsResult } from './errors.js';
import { slowAnalysis, sortGroups, type SlowGroup } from './slow.js';
import { statsAnalysis, type StatsResult } from './stats.js';
import { whyAnalysis } from './why.js';
import type { WhyResult } from './why-result.js';
import type { LogRecord } from '../types.js';

/** Circuit-breaker state of one service, from its latest breaker event. */
export interface BreakerState {
  service: string;
  state: 'open' | 'half-open' | 'closed';
  since: number | undefined;
}

/** What the dashboard draws, taken from the analyses at one moment. */
export interface DashboardSnapshot {
  stats: StatsResult;
  errors: ErrorsResult;
  slow: SlowGroup[];
  breakers: BreakerState[];
  recent: LogRecord[];
  /** When the incident started and its earliest change, as `why` finds them. */
  why: WhyResult;
}

const RECENT = 500;

/** The most recent records by time (input order breaks ties): replayed files interleave correctly. */
function latest(rs: LogRecord[]): LogRecord[] {
  return [...rs].sort((a, b) => (a.time ?? 0) - (b.time ?? 0) || a.seq - b.seq).slice(-RECENT);
}

function breakerState(r: LogRecord): BreakerState['state'] {
  const t = `${r.eventType ?? ''} ${r.message ?? ''}`.toLowerCase();
  if (/half[ _-]?open/.test(t)) return 'half-open';
  if (/clos/.test(t)) return 'closed';
  return 'open';
}

/**
 * The dashboard's model: the same pure analyses as `stats`, `errors` and `slow`, plus breaker
 * states and a ring of recent records. The renderer only reads snapshots, on a timer.
 */
export class DashboardModel {
  private readonly stats = statsAnalysis.init();
  private readonly errorsA;
  private readonly errorsS;
  private readonly slowA = slowAnalysis({ slowest: 5 });
  private readonly slowS = this.slowA.init();
  private readonly whyA = whyAnalysis();
  private readonly whyS = this.whyA.init();
  /** `why` over the whole run is heavier than the other panes: kept between snapshots. */
  private why: { result: WhyResult; records: number; snapshots: number } | undefined;
  private records = 0;
  private readonly breakers = new Map<string, BreakerState>();
  private recent: LogRecord[] = [];
  /** Changes since the last snapshot; an idle dashboard does not recompute. */
  dirty = true;

  constructor(baseline?: Baseline) {
    this.errorsA = errorsAnalysis({ baseline });
    this.errorsS = this.errorsA.init();
  }

  add(r: LogRecord): void {
    statsAnalysis.add(this.stats, r);
    this.errorsA.add(this.errorsS, r);
    this.slowA.add(this.slowS, r);
    this.whyA.add(this.whyS, r);
    this.records++;
    if (isBreakerEvent(r)) {
      const service = r.service ?? r.component ?? '?';
      this.breakers.set(service, { service, state: breakerState(r), since: r.time });
    }
    this.recent.push(r);
    if (this.recent.length > RECENT * 2) this.recent = latest(this.recent);
    this.dirty = true;
  }

  /** Recomputed when a tenth more records (at least 1,000) arrived, or every 20 snapshots with any new record. */
  private whyResult(): WhyResult {
    const w = this.why;
    const grown = w === undefined || this.records - w.records >= Math.max(1000, w.records / 10) || (w.snapshots >= 20 && this.records > w.records);
    if (grown) this.why = { result: this.whyA.result(this.whyS), records: this.records, snapshots: 0 };
    else w.snapshots++;
    return this.why!.result;
  }

  snapshot(): DashboardSnapshot {
    this.dirty = false;
    return {
      stats: statsAnalysis.result(this.stats),
      errors: this.errorsA.result(this.errorsS),
      slow: sortGroups(this.slowA.result(this.slowS).groups, 'p95'),
      breakers: [...this.breakers.values()].sort((a, b) => a.service.localeCompare(b.service)),
      recent: latest(this.recent),
      why: this.whyResult(),
    };
  }
}
