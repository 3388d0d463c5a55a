import { chatOwnerOf, MAX_CHAT_QUERY_SPAN_MS, planChatQueries } from '../../src/liveperson/chat';
import { TEN_MINUTES_MS } from '../../src/model';

const DAY = 24 * 60 * 60 * 1000;
const now = Date.UTC(2026, 10, 20, 12, 0, 0);

describe('planChatQueries: start ranges that cover the chats ending in a window', () => {
  it('reaches back the longest chat duration before the window, on 10-minute boundaries', () => {
    const window = { from: now - 60 * 60_000 + 1234, to: now - 50 * 60_000 + 77 };
    const pieces = planChatQueries(window, { now, maxChatDurationMs: DAY });
    expect(pieces).toHaveLength(1);
    const [p] = pieces;
    expect(p!.from % TEN_MINUTES_MS).toBe(0);
    expect(p!.to % TEN_MINUTES_MS).toBe(0);
    expect(p!.from).toBeLessThanOrEqual(window.from - DAY);
    expect(p!.from).toBeGreaterThan(window.from - DAY - TEN_MINUTES_MS);
    expect(p!.to).toBeGreaterThanOrEqual(window.to);
  });

  it('splits long windows into pieces of at most 28 days (a month at its shortest) that share their boundaries', () => {
    const window = { from: now - 200 * DAY, to: now };
    const pieces = planChatQueries(window, { now, maxChatDurationMs: DAY });
    expect(pieces.length).toBeGreaterThanOrEqual(8);
    for (const p of pieces) expect(p.to - p.from).toBeLessThanOrEqual(MAX_CHAT_QUERY_SPAN_MS);
    const sorted = [...pieces].sort((a, b) => a.from - b.from);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.from).toBe(sorted[i - 1]!.to);
    expect(pieces[0]!.to).toBeGreaterThan(pieces[1]!.to); // newest first
    // Every start instant has exactly one owner, even on a shared boundary.
    const boundary = sorted[1]!.from;
    const owner = chatOwnerOf(pieces, boundary);
    expect(owner).toBeGreaterThanOrEqual(0);
    expect(pieces.filter((p) => boundary >= p.from && boundary <= p.to)).toHaveLength(2);
  });

  it('never asks for start times older than the 13-month retention', () => {
    const pieces = planChatQueries({ from: now - 395 * DAY, to: now - 390 * DAY }, { now, maxChatDurationMs: 3 * DAY });
    const oldest = Math.min(...pieces.map((p) => p.from));
    expect(oldest).toBeGreaterThanOrEqual(now - 396 * DAY - TEN_MINUTES_MS);
    expect(oldest).toBeLessThan(now - 395 * DAY);
  });

  it('refuses an empty window', () => {
    expect(() => planChatQueries({ from: now, to: now }, { now, maxChatDurationMs: DAY })).toThrow(RangeError);
  });
});
