import { coveringRange, TEN_MINUTES_MS, type TimeWindow } from '../model';

/**
 * How one collection window becomes MI search queries. LivePerson requires a `start` range, caps every range
 * at 3 months and rounds to 10 minutes; we archive by *end* time. So each query carries an `end` range (the
 * window's covering range, split into ≤ 89-day pieces) and a `start` range reaching back as far as a
 * conversation may have been open (split the same way). Bounds are inclusive on LivePerson's side, so
 * neighbouring pieces share their boundary instant; `ownerOf` gives every record exactly one owning query.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** 89 days is the shortest span of 3 calendar months (Feb–Apr), so a piece never breaks the cap. */
export const MAX_QUERY_SPAN_MS = 89 * DAY_MS;

/** LivePerson keeps MI data 13 months; asking for older start times is pointless. */
export const RETENTION_MS = 396 * DAY_MS;

/**
 * A start reach past the retention: the late-arrival sweep and the completeness proof ask one piece of start
 * times before LivePerson's 13 months as well, so that a conversation open longer, if LivePerson still returns it,
 * is archived and reported (pastRetention) instead of never being seen.
 */
export const PAST_RETENTION_REACH_MS = RETENTION_MS + MAX_QUERY_SPAN_MS;

/** Default longest time a conversation may stay open: one query's start range covers it for windows ≤ 4 days. */
export const DEFAULT_MAX_CONVERSATION_AGE_MS = 85 * DAY_MS;

/** Inclusive [from, to], aligned to 10 minutes, as sent to LivePerson. */
export interface InclusiveRange {
  readonly from: number;
  readonly to: number;
}

export interface SubQuery {
  readonly start: InclusiveRange;
  readonly end: InclusiveRange;
}

export interface PlanOptions {
  readonly now: number;
  /** How long before its end a conversation may have started; capped by retention. */
  readonly maxConversationAgeMs: number;
}

/** The covering queries of a window, newest start piece first (where most conversations are). */
export function planQueries(window: TimeWindow, o: PlanOptions): SubQuery[] {
  if (!(window.to > window.from)) throw new RangeError(`empty or inverted window ${window.from}..${window.to}`);
  const cover = coveringRange(window);
  // Normally LivePerson's retention; a reach past it (the sweep, the proof) adds one piece before it.
  const retentionFloor = floor10(o.now - Math.min(Math.max(o.maxConversationAgeMs, RETENTION_MS), PAST_RETENTION_REACH_MS));
  const queries: SubQuery[] = [];
  for (const end of split(cover.from, cover.to)) {
    const wanted = floor10(end.from - o.maxConversationAgeMs);
    const startFrom = Math.min(Math.max(wanted, retentionFloor), end.from);
    for (const start of split(startFrom, end.to).reverse()) queries.push({ start, end });
  }
  return queries;
}

/** Splits [from, to] into consecutive inclusive pieces of at most MAX_QUERY_SPAN_MS, sharing boundaries. */
function split(from: number, to: number): InclusiveRange[] {
  const out: InclusiveRange[] = [];
  let f = from;
  do {
    const t = Math.min(f + MAX_QUERY_SPAN_MS, to);
    out.push({ from: f, to: t });
    f = t;
  } while (f < to);
  return out;
}

function floor10(ms: number): number {
  return Math.floor(ms / TEN_MINUTES_MS) * TEN_MINUTES_MS;
}

/** Whether a query asks for start times older than LivePerson's retention (`now` as when it was planned). */
export function pastRetention(q: SubQuery, now: number): boolean {
  return q.start.from < floor10(now - RETENTION_MS);
}

/** Index of the first query whose ranges contain (start, end): the one query that delivers the record. */
export function ownerOf(queries: readonly SubQuery[], startTime: number, endTime: number): number {
  return queries.findIndex((q) => within(q.start, startTime) && within(q.end, endTime));
}

function within(r: InclusiveRange, t: number): boolean {
  return t >= r.from && t <= r.to;
}
