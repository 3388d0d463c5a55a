import { DEFAULT_MAX_CONVERSATION_AGE_MS, MAX_QUERY_SPAN_MS, ownerOf, planQueries, RETENTION_MS } from '../../src/liveperson/search-plan';
import { TEN_MINUTES_MS } from '../../src/model';

const DAY = 24 * 60 * 60 * 1000;
const now = Date.UTC(2026, 10, 20, 12, 0, 0);
const aligned = (t: number) => t % TEN_MINUTES_MS === 0;

describe('planQueries: covering MI queries for an end-time window', () => {
  it('covers a short window with one query whose start range reaches back the maximum conversation age', () => {
    const q = planQueries(
      { from: now - 5 * 60_000 - 17, to: now - 60_000 + 3 },
      { now, maxConversationAgeMs: DEFAULT_MAX_CONVERSATION_AGE_MS },
    );
    expect(q).toHaveLength(1);
    const [only] = q;
    expect(only!.end).toEqual({ from: now - 10 * 60_000, to: now });
    expect(only!.start.to).toBe(only!.end.to);
    expect(only!.start.from).toBe(only!.end.from - DEFAULT_MAX_CONVERSATION_AGE_MS);
  });

  it('keeps every range of a long window within LivePerson’s 3-month cap, aligned to 10 minutes', () => {
    const window = { from: now - 200 * DAY + 1, to: now - 1 };
    const q = planQueries(window, { now, maxConversationAgeMs: 150 * DAY });
    expect(q.length).toBeGreaterThan(3);
    for (const { start, end } of q) {
      for (const r of [start, end]) {
        expect(r.to - r.from).toBeLessThanOrEqual(MAX_QUERY_SPAN_MS);
        expect(aligned(r.from) && aligned(r.to)).toBe(true);
      }
      expect(start.to).toBeLessThanOrEqual(end.to);
      expect(start.from).toBeGreaterThanOrEqual(Math.floor((now - RETENTION_MS) / TEN_MINUTES_MS) * TEN_MINUTES_MS);
    }
    // Per end piece, the start pieces tile [end.from - max age, end.to] without gaps, newest first.
    for (const end of new Set(q.map((x) => x.end))) {
      const starts = q.filter((x) => x.end === end).map((x) => x.start);
      expect(starts[0]!.to).toBe(end.to);
      for (let i = 1; i < starts.length; i++) expect(starts[i]!.to).toBe(starts[i - 1]!.from);
      expect(starts.at(-1)!.from).toBe(Math.max(end.from - 150 * DAY, Math.floor((now - RETENTION_MS) / TEN_MINUTES_MS) * TEN_MINUTES_MS));
    }
    // The end pieces tile the covering range without gaps.
    const ends = [...new Map(q.map((x) => [x.end.from, x.end])).values()];
    expect(ends[0]!.from).toBe(Math.floor(window.from / TEN_MINUTES_MS) * TEN_MINUTES_MS);
    for (let i = 1; i < ends.length; i++) expect(ends[i]!.from).toBe(ends[i - 1]!.to);
    expect(ends.at(-1)!.to).toBe(Math.ceil(window.to / TEN_MINUTES_MS) * TEN_MINUTES_MS);
  });

  it('gives a conversation on a shared boundary exactly one owning query', () => {
    const q = planQueries({ from: now - 200 * DAY, to: now }, { now, maxConversationAgeMs: 150 * DAY });
    const boundaryEnd = q[0]!.end.to; // shared by the first two end pieces
    const boundaryStart = q[0]!.start.from; // shared by two start pieces
    const containing = q.filter(
      (x) => boundaryStart >= x.start.from && boundaryStart <= x.start.to && boundaryEnd >= x.end.from && boundaryEnd <= x.end.to,
    );
    expect(containing.length).toBeGreaterThan(1);
    expect(ownerOf(q, boundaryStart, boundaryEnd)).toBe(q.indexOf(containing[0]!));
  });

  it('refuses an empty window', () => {
    expect(() => planQueries({ from: now, to: now }, { now, maxConversationAgeMs: DAY })).toThrow(RangeError);
  });
});
