import { TEN_MINUTES_MS, type TimeWindow } from '../../model';
import type { InclusiveRange } from '../search-plan';

/**
 * How one collection window becomes Engagement History queries. EH filters on the chat's *start* only (no end
 * filter), requires a `start` range, caps it at one month and rounds it to 10 minutes; we archive by *end*
 * time. So a window [from, to) is covered by the start range [from − maxChatDuration, to], split into pieces
 * of at most 28 days (the shortest month), newest first. Bounds are inclusive on LivePerson's side, so
 * neighbouring pieces share their boundary instant; `chatOwnerOf` gives every chat exactly one owning piece.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** 28 days: one month at its shortest (February), so a piece never breaks Engagement History's 1-month cap. */
export const MAX_CHAT_QUERY_SPAN_MS = 28 * DAY_MS;

/** Engagement History keeps chats 13 months; asking for older start times is pointless. */
export const CHAT_RETENTION_MS = 396 * DAY_MS;

/**
 * Default longest chat: a chat that ended in a window started at most this long before the window. Legacy chats
 * last minutes; a day leaves a wide margin, and costs little because pages are read newest end first (see the client).
 */
export const DEFAULT_MAX_CHAT_DURATION_MS = DAY_MS;

export interface ChatPlanOptions {
  readonly now: number;
  readonly maxChatDurationMs: number;
}

/** The start-range pieces covering the chats that end in `window`, newest first. */
export function planChatQueries(window: TimeWindow, o: ChatPlanOptions): InclusiveRange[] {
  if (!(window.to > window.from)) throw new RangeError(`empty or inverted window ${window.from}..${window.to}`);
  if (!(o.maxChatDurationMs >= 0)) throw new RangeError(`maxChatDurationMs must be >= 0, got ${o.maxChatDurationMs}`);
  const to = Math.ceil(window.to / TEN_MINUTES_MS) * TEN_MINUTES_MS;
  const wanted = floor10(window.from - o.maxChatDurationMs);
  const from = Math.min(Math.max(wanted, floor10(o.now - CHAT_RETENTION_MS)), floor10(window.from));
  const pieces: InclusiveRange[] = [];
  let f = from;
  do {
    const t = Math.min(f + MAX_CHAT_QUERY_SPAN_MS, to);
    pieces.push({ from: f, to: t });
    f = t;
  } while (f < to);
  return pieces.reverse();
}

/** Index of the first piece whose range contains `startTime`: the one piece that delivers the chat. */
export function chatOwnerOf(pieces: readonly InclusiveRange[], startTime: number): number {
  return pieces.findIndex((p) => startTime >= p.from && startTime <= p.to);
}

function floor10(ms: number): number {
  return Math.floor(ms / TEN_MINUTES_MS) * TEN_MINUTES_MS;
}
