import { fieldTextOf } from './lib/field.js';
import { hash64, hash64Joined, HashTable, lastHash } from './lib/hash.js';
import type { Analysis, LogRecord } from '../types.js';

/** Lifecycle event types: each must occur once per request and operation. */
export const LIFECYCLE = /(?:^|[_.-])(?:start|started|begin|began|end|ended|complete|completed|finish|finished)$/i;

/** Options of the dedup audit. */
export interface DedupOptions {
  key?: string[];
  /** `lifecycle` (default), `all`, or the event types to audit. */
  events?: 'lifecycle' | 'all' | string[];
  /** Slots of each hash table at most (12 bytes each, 1–4 more once there are several files); beyond it the audit is marked approximate. */
  maxSlots?: number;
  examples?: number;
}

/** A key seen more than once: only duplicates get an entry, so memory follows them. */
interface KeyEntry {
  count: number;
  key: Record<string, string>;
  sources: string[];
}

interface TextEntry {
  count: number;
  sources: string[];
  files: Set<string>;
  text: string;
}

interface Tally {
  keyed: number;
  duplicates: number;
}

interface State {
  records: number;
  keyed: number;
  skipped: number;
  files: string[];
  fileIndex: Map<string, number>;
  keySeen: HashTable;
  textSeen: HashTable;
  keys: Map<string, KeyEntry>;
  texts: Map<string, TextEntry>;
  byOperation: Map<string, Tally>;
  byLogger: Map<string, Tally>;
  /** Duplicates beyond the detailed groups: counted, not listed. */
  untracked: number;
  untrackedCopies: number;
}

/** One event logged more than once. */
export interface DuplicateGroup {
  key: Record<string, string>;
  count: number;
  sources: string[];
}

/** Result of `dedup`. */
export interface DedupResult {
  key: string[];
  events: 'lifecycle' | 'all' | string[];
  records: number;
  keyed_records: number;
  skipped_records: number;
  duplicates: DuplicateGroup[];
  /** Extra copies of audited events: the sum of count − 1 over duplicate groups. */
  duplicate_events: number;
  rate: number;
  by_operation: { operation: string; keyed: number; duplicates: number; rate: number }[];
  by_logger: { logger: string; keyed: number; duplicates: number; rate: number }[];
  exact_duplicates: { groups: number; records: number; examples: { count: number; sources: string[]; cross_file: boolean; text: string }[] };
  approximate: boolean;
}

const SOURCES = 5;
/** Duplicate groups kept with their keys and sources; beyond this only counts grow (memory stays bounded). */
const MAX_GROUPS = 50_000;

function tally(m: Map<string, Tally>, k: string, dup: boolean): void {
  let t = m.get(k);
  if (!t) {
    t = { keyed: 0, duplicates: 0 };
    m.set(k, t);
  }
  if (dup) t.duplicates++;
  else t.keyed++;
}

/** The source of a first occurrence remembered by a hash table. */
function where(s: State, f: { file: number; line: number }): string {
  return `${s.files[f.file]}:${f.line}`;
}

/** Audits events logged more than once (by key) and byte-identical records (by text). */
export function dedupAnalysis(o: DedupOptions = {}): Analysis<State, DedupResult> {
  const key = o.key && o.key.length ? o.key : ['correlation_id', 'operation', 'event_type'];
  const events = o.events ?? 'lifecycle';
  const wanted = Array.isArray(events) ? new Set(events) : undefined;
  const keyText = key.map(fieldTextOf);
  const loggerText = fieldTextOf('logger');
  const loggerNameText = fieldTextOf('logger_name');
  const audited = (r: LogRecord) => events === 'all' || (wanted ? r.eventType !== undefined && wanted.has(r.eventType) : r.eventType !== undefined && LIFECYCLE.test(r.eventType));
  return {
    init: () => ({
      records: 0,
      keyed: 0,
      skipped: 0,
      files: [],
      fileIndex: new Map(),
      keySeen: new HashTable(o.maxSlots),
      textSeen: new HashTable(o.maxSlots),
      keys: new Map(),
      texts: new Map(),
      byOperation: new Map(),
      byLogger: new Map(),
      untracked: 0,
      untrackedCopies: 0,
    }),
    add(s, r) {
      s.records++;
      let file = s.fileIndex.get(r.file);
      if (file === undefined) {
        file = s.files.push(r.file) - 1;
        s.fileIndex.set(r.file, file);
      }
      hash64(r.text);
      const copyOf = s.textSeen.add(file, r.line);
      if (copyOf) {
        const h = `${lastHash.hi}:${lastHash.lo}`;
        let t = s.texts.get(h);
        if (!t && s.texts.size < MAX_GROUPS) {
          t = { count: 1, sources: [where(s, copyOf)], files: new Set([s.files[copyOf.file]]), text: r.text };
          s.texts.set(h, t);
        }
        if (t) {
          t.count++;
          if (t.sources.length < SOURCES) t.sources.push(r.source);
          t.files.add(r.file);
        } else s.untrackedCopies++;
      }
      // A copy of a record from another file is the same event written to two sinks: it is
      // reported with the exact duplicates, not audited again as the event logged twice.
      if (copyOf && copyOf.file !== file) return;
      if (!audited(r)) return;
      const values: string[] = [];
      for (const text of keyText) {
        const v = text(r);
        if (v === undefined) {
          s.skipped++;
          return;
        }
        values.push(v);
      }
      s.keyed++;
      hash64Joined(values);
      const first = s.keySeen.add(file, r.line);
      const op = r.operation ?? '(none)';
      const logger = loggerText(r) ?? loggerNameText(r) ?? r.component ?? r.service ?? '(none)';
      tally(s.byOperation, op, first !== undefined);
      tally(s.byLogger, logger, first !== undefined);
      if (!first) return;
      const h = `${lastHash.hi}:${lastHash.lo}`;
      let e = s.keys.get(h);
      if (!e) {
        if (s.keys.size >= MAX_GROUPS) {
          s.untracked++;
          return;
        }
        e = { count: 1, key: Object.fromEntries(key.map((f, i) => [f, values[i]])), sources: [where(s, first)] };
        s.keys.set(h, e);
      }
      e.count++;
      if (e.sources.length < SOURCES) e.sources.push(r.source);
    },
    result(s) {
      const duplicates: DuplicateGroup[] = [];
      let extra = s.untracked;
      for (const e of s.keys.values()) {
        if (e.count < 2) continue;
        extra += e.count - 1;
        duplicates.push({ key: e.key, count: e.count, sources: e.sources });
      }
      duplicates.sort((a, b) => b.count - a.count || a.sources[0].localeCompare(b.sources[0]));
      const exact = [...s.texts.values()];
      exact.sort((a, b) => b.count - a.count || a.sources[0].localeCompare(b.sources[0]));
      const rows = <K extends string>(m: Map<string, Tally>, name: K) =>
        [...m]
          .map(([k, t]) => ({ [name]: k, keyed: t.keyed + t.duplicates, duplicates: t.duplicates, rate: t.duplicates / (t.keyed + t.duplicates) }) as { [P in K]: string } & { keyed: number; duplicates: number; rate: number })
          .sort((a, b) => b.duplicates - a.duplicates || b.rate - a.rate);
      return {
        key,
        events,
        records: s.records,
        keyed_records: s.keyed,
        skipped_records: s.skipped,
        duplicates,
        duplicate_events: extra,
        rate: s.keyed ? extra / s.keyed : 0,
        by_operation: rows(s.byOperation, 'operation'),
        by_logger: rows(s.byLogger, 'logger'),
        exact_duplicates: {
          groups: exact.length,
          records: exact.reduce((a, t) => a + t.count - 1, 0) + s.untrackedCopies,
          examples: exact.slice(0, o.examples ?? 10).map((t) => ({ count: t.count, sources: t.sources, cross_file: t.files.size > 1, text: t.text })),
        },
        approximate: s.keySeen.full || s.textSeen.full || s.untracked > 0 || s.untrackedCopies > 0,
      };
    },
  };
}
