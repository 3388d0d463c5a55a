import { z } from 'zod';
import type { TimeWindow } from '../../model';
import type { LivePersonClient } from '../client';
import { LivePersonThrottledError, LivePersonUnavailableError } from '../errors';
import { DEFAULT_NETWORK_DELAY_MS } from '../http';
import { isObject, timeOf } from '../normalize/lenient';
import type { InclusiveRange } from '../search-plan';
import type { LivePersonSource, LpUser, SearchPage } from '../types';
import { chatOwnerOf, DEFAULT_MAX_CHAT_DURATION_MS, planChatQueries } from './chat-search-plan';

/** Tuning of the chat source; every field has a production default. */
export interface EngagementHistoryTuning {
  /** Longest a chat may last: how far before a window the start range reaches (default 24 hours). */
  readonly maxChatDurationMs?: number;
  /** Re-fetches of a page flagged `partialResult` before giving up with a retryable error (default 3). */
  readonly partialResultRetries?: number;
  /** Replace `isPartial` records by the record fetched by its engagement id (default true). */
  readonly refetchPartialRecords?: boolean;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Engagement History's page size limit. */
export const CHAT_PAGE_SIZE = 100;

const envelopeSchema = z.object({
  _metadata: z.object({
    count: z.number().int().nonnegative(),
    next: z.unknown().optional(),
    shardsStatusResult: z.object({ partialResult: z.boolean().optional() }).optional(),
  }),
  interactionHistoryRecords: z.array(z.unknown()).optional(),
});

interface EhPage {
  readonly records: readonly unknown[];
  /** `_metadata.count`: chats of the whole piece. */
  readonly count: number;
  /** `_metadata.next` was given, or the count says more records follow. */
  readonly more: boolean;
}

/**
 * The legacy chat source: LivePerson Engagement History (CSDS `engHistDomain`), over the credentials, CSDS
 * answer and Users API of a `LivePersonClient` (one token for both sources). It offers what the messaging
 * source offers (`LivePersonSource`): pages of the chats that ended in a window, raw, plus the users.
 *
 * EH filters on start time only, so a window's chats are those that started in [from − maxChatDuration, to].
 * Pages are read newest end first (`sort=end:desc`): a piece's list then starts with the few chats that
 * ended after the window, then the window's own, then the many that ended before it. The offset space of
 * a piece is cut at the first chat that ended before the window (found from the page itself, or by a binary
 * search with one-record probes), so a live window reads its own chats and not a day of older ones. A page
 * that is not in that order turns the cut off (the piece is read whole), so a server that ignores `sort`
 * costs time, never chats.
 * `count` is the sum of those cut lengths; records come back raw, to be filtered exactly by end time.
 */
export class EngagementHistoryClient implements LivePersonSource {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly api: LivePersonClient,
    private readonly tuning: EngagementHistoryTuning = {},
  ) {
    this.now = tuning.now ?? Date.now;
    this.sleep = tuning.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get accountId(): string {
    return this.api.accountId;
  }

  /**
   * One page of the chats that ended in `window` (plus a few around it: filter exactly by `info.endTimeL`).
   * Page by offset: 0, `limit`, 2·`limit`, … while `offset < count` (or until `nextOffset` is undefined).
   */
  async searchClosed(window: TimeWindow, offset: number, limit: number): Promise<SearchPage> {
    if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    const pieces = planChatQueries(window, {
      now: this.now(),
      maxChatDurationMs: this.tuning.maxChatDurationMs ?? DEFAULT_MAX_CHAT_DURATION_MS,
    });
    let skip = offset;
    let need = limit;
    let total = 0;
    const collected: { record: unknown; piece: number }[] = [];
    for (const [k, piece] of pieces.entries()) {
      const read = await this.readPiece(piece, window.from, skip, need);
      for (const record of read.records) collected.push({ record, piece: k });
      need -= read.records.length;
      skip = Math.max(0, skip - read.prefix);
      total += read.prefix;
    }
    // Pieces share their boundary instant: a chat that started exactly there is kept by one piece only.
    const owned = collected
      .filter(({ record, piece }) => {
        const start = chatTimes(record)?.start;
        const owner = start === undefined ? -1 : chatOwnerOf(pieces, start);
        return owner < 0 || owner === piece;
      })
      .map((o) => o.record);
    const records = this.tuning.refetchPartialRecords === false ? owned : await this.completePartials(owned, pieces);
    const next = offset + limit;
    return { records, count: total, ...(next < total ? { nextOffset: next } : {}) };
  }

  /** All users of the account (agent e-mails), from the Users API as for messaging. */
  listUsers(): Promise<readonly LpUser[]> {
    return this.api.listUsers();
  }

  /** A chat by its engagement id (EH ignores the time range then, but still wants a valid `start`). */
  async getChat(engagementId: string, near: InclusiveRange): Promise<unknown> {
    const page = await this.searchPage({ ...near, engagementId }, 0, 1);
    return page.records.find((r) => engagementIdOf(r) === engagementId);
  }

  /**
   * The records of one piece at local offsets [skip, skip + need) that lie before its cut, and the cut (the
   * offset of the first chat that ended before `boundary`, or the piece's length).
   */
  private async readPiece(
    piece: InclusiveRange,
    boundary: number,
    skip: number,
    need: number,
  ): Promise<{ records: unknown[]; prefix: number }> {
    const out: unknown[] = [];
    let local = skip;
    let count: number | undefined;
    while (out.length < need) {
      const page = await this.searchPage(piece, local, Math.min(need - out.length, CHAT_PAGE_SIZE));
      count = page.count;
      if (!endDescending(page.records)) return this.readUncut(piece, out, local, need, page);
      const cut = page.records.findIndex((r) => endsBefore(r, boundary));
      if (cut === 0 && local === skip && skip > 0) return { records: out, prefix: await this.cutIn(piece, boundary, 0, skip) };
      if (cut >= 0) {
        out.push(...page.records.slice(0, cut));
        return { records: out, prefix: local + cut };
      }
      if (page.records.length === 0) {
        // Past the end of the list (or it shrank): the cut lies before here.
        return { records: out, prefix: local === skip ? await this.cutIn(piece, boundary, 0, Math.min(skip, page.count)) : local };
      }
      out.push(...page.records);
      local += page.records.length;
      if (!page.more) return { records: out, prefix: local };
    }
    return { records: out, prefix: await this.cutIn(piece, boundary, local, count) };
  }

  /**
   * Goes on reading the piece whole, without a cut: what to do once a page shows that LivePerson did not sort by
   * end time (a cut would drop chats). Costs the whole start range; loses nothing.
   */
  private async readUncut(
    piece: InclusiveRange,
    out: unknown[],
    local: number,
    need: number,
    fetched: EhPage,
  ): Promise<{ records: unknown[]; prefix: number }> {
    warnUnsorted(this.api.accountId);
    let page = fetched; // asked at `local`
    for (let at = local; ;) {
      out.push(...page.records.slice(0, need - out.length));
      at += page.records.length;
      if (out.length >= need || page.records.length === 0 || !page.more) return { records: out, prefix: page.count };
      page = await this.searchPage(piece, at, Math.min(need - out.length, CHAT_PAGE_SIZE));
    }
  }

  /** Binary search for the first local offset in [lo, hi) whose chat ended before `boundary`; `hi` when none did. */
  private async cutIn(piece: InclusiveRange, boundary: number, lo: number, hi?: number): Promise<number> {
    let top: number = hi ?? (await this.searchPage(piece, lo, 1)).count;
    let low = lo;
    while (low < top) {
      const mid: number = (low + top) >>> 1;
      const probe = await this.searchPage(piece, mid, 1);
      const r = probe.records[0];
      if (r === undefined || endsBefore(r, boundary)) top = mid;
      else low = mid + 1;
    }
    return low;
  }

  private async searchPage(body: InclusiveRange & { engagementId?: string }, offset: number, limit: number): Promise<EhPage> {
    const acct = encodeURIComponent(this.api.accountId);
    const q = new URLSearchParams({ offset: String(offset), limit: String(limit), sort: 'end:desc', source: this.api.sourceName });
    const path = `/interaction_history/api/account/${acct}/interactions/search?${q.toString()}`;
    // `interactive` is left out: a chat in which the visitor never wrote is still a record to keep.
    const request = {
      start: { from: body.from, to: body.to },
      ended: true,
      ...(body.engagementId !== undefined ? { engagementId: body.engagementId } : {}),
    };
    const tries = (this.tuning.partialResultRetries ?? 3) + 1;
    for (let attempt = 1; ; attempt++) {
      const parsed = envelopeSchema.safeParse(await this.api.request('engHistDomain', 'POST', path, request, 'a chat search'));
      if (!parsed.success) {
        throw new LivePersonUnavailableError(
          `LivePerson Engagement History answered account ${this.api.accountId} without the expected _metadata.count / interactionHistoryRecords`,
          { accountId: this.api.accountId, service: 'engHistDomain', retryAfterMs: DEFAULT_NETWORK_DELAY_MS },
        );
      }
      const d = parsed.data;
      const records = d.interactionHistoryRecords ?? [];
      if (d._metadata.shardsStatusResult?.partialResult !== true) {
        return { records, count: d._metadata.count, more: d._metadata.next !== undefined || offset + records.length < d._metadata.count };
      }
      // Some shards did not answer: the page may silently lack chats. Never take it as complete.
      if (attempt >= tries) {
        throw new LivePersonThrottledError(
          `LivePerson Engagement History returned an incomplete page (partialResult) ${tries} times for account ${this.api.accountId} (offset ${offset}); some of its shards are not answering. Retry later`,
          { accountId: this.api.accountId, service: 'engHistDomain', status: 200, retryAfterMs: 5000, reason: 'partial-result' },
        );
      }
      await this.sleep(100 * attempt);
    }
  }

  /** Replaces `isPartial` records by the full record fetched by engagement id; one still partial is kept as it is. */
  private async completePartials(records: unknown[], pieces: readonly InclusiveRange[]): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const r of records) {
      const id = engagementIdOf(r);
      const start = chatTimes(r)?.start;
      const piece = start === undefined ? undefined : pieces[chatOwnerOf(pieces, start)];
      if (!isPartialRecord(r) || id === undefined || piece === undefined) {
        out.push(r);
        continue;
      }
      const full = await this.getChat(id, piece);
      out.push(full !== undefined && !isPartialRecord(full) ? full : r);
    }
    return out;
  }
}

function infoOf(record: unknown): Record<string, unknown> | undefined {
  const info = isObject(record) ? record.info : undefined;
  return isObject(info) ? info : undefined;
}

function chatTimes(record: unknown): { start?: number; end?: number } | undefined {
  const info = infoOf(record);
  return info ? { start: timeOf(info, 'startTime'), end: timeOf(info, 'endTime') } : undefined;
}

/** Whether a chat ended before `boundary`; a chat without a readable end is never counted as before. */
function endsBefore(record: unknown, boundary: number): boolean {
  const end = chatTimes(record)?.end;
  return end !== undefined && end < boundary;
}

/** Whether records come newest end first, as asked (`sort=end:desc`); records without a readable end are ignored. */
function endDescending(records: readonly unknown[]): boolean {
  let previous = Infinity;
  for (const r of records) {
    const end = chatTimes(r)?.end;
    if (end === undefined) continue;
    if (end > previous) return false;
    previous = end;
  }
  return true;
}

let warnedUnsorted = false;

function warnUnsorted(accountId: string): void {
  if (warnedUnsorted) return;
  warnedUnsorted = true;
  // Once per process: the reads stay correct, only slower; an operator should know why.
  process.emitWarning(
    `LivePerson Engagement History did not sort account ${accountId}'s chats by end time (sort=end:desc); chat windows are read whole, which is correct but slower`,
    { code: 'LPA_EH_UNSORTED' },
  );
}

function isPartialRecord(record: unknown): boolean {
  const v = infoOf(record)?.isPartial;
  return v === true || v === 'true';
}

/** `info.engagementId` as a string (LivePerson documents it numeric; JSON may carry either). */
export function engagementIdOf(record: unknown): string | undefined {
  const id = infoOf(record)?.engagementId;
  if (typeof id === 'string' && id.length > 0) return id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : undefined;
}
