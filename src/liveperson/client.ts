import { z } from 'zod';
import type { TimeWindow } from '../model';
import type { Authorizer } from './auth/authorizer';
import { OAuth1Authorizer } from './auth/oauth1';
import { OAuth2Authorizer } from './auth/oauth2';
import { CsdsResolver, type CsdsServiceName } from './csds';
import {
  DEFAULT_SETTING_NAMES,
  LivePersonAuthError,
  LivePersonRequestError,
  LivePersonThrottledError,
  LivePersonUnavailableError,
  type LivePersonService,
  type LivePersonSettingNames,
} from './errors';
import { engagementHistoryScopeError } from './chat/scope-error';
import { conversationFilesSchema, downloadSigned, relativePathOf } from './files';
import {
  DEFAULT_NETWORK_DELAY_MS,
  errorDetail,
  parseJson,
  requestError,
  send,
  throttleError,
  withQuickRetries,
  type QuickRetryPolicy,
} from './http';
import { DEFAULT_MAX_CONVERSATION_AGE_MS, ownerOf, pastRetention, planQueries, type SubQuery } from './search-plan';
import type { LivePersonClientOptions, LivePersonSource, LpUser, SearchPage } from './types';
import { parseUsers } from './users';

/** Tuning beyond the shared options; every field has a production default. */
export interface LivePersonClientTuning {
  /** Quick in-client retries of a throttled/failed call before the typed error goes up (default 2). */
  readonly maxQuickRetries?: number;
  /** A quick retry only happens when the wait is at most this long (default 2000 ms); longer waits are the activity's job. */
  readonly maxQuickDelayMs?: number;
  /** Re-fetches of a page flagged `partialResult` before giving up with a retryable error (default 3). */
  readonly partialResultRetries?: number;
  /** Longest a conversation may stay open (sets how far back the `start` range reaches; default 85 days). */
  readonly maxConversationAgeMs?: number;
  /** Replace `isPartial` records by the full record from get-by-id (default true). */
  readonly refetchPartialRecords?: boolean;
  /** Setting names used in error messages (defaults: LP_ACCOUNT_ID, LP_CLIENT_ID / LP_CLIENT_SECRET, …). */
  readonly settingNames?: Partial<LivePersonSettingNames>;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Sections asked for on every record: everything the archive keeps, incl. unauthenticated SDEs (needs v=2). */
export const CONTENT_TO_RETRIEVE = [
  'campaign',
  'messageRecords',
  'agentParticipants',
  'agentParticipantsLeave',
  'agentParticipantsActive',
  'consumerParticipants',
  'transfers',
  'interactions',
  'messageScores',
  'messageStatuses',
  'conversationSurveys',
  'coBrowseSessions',
  'summary',
  'sdes',
  'unAuthSdes',
  'dialogs',
  'responseTime',
] as const;

/** LivePerson's page size limit for search and get-by-id. */
export const MAX_PAGE_SIZE = 100;

const envelopeSchema = z.object({
  _metadata: z.object({
    count: z.number().int().nonnegative(),
    shardsStatusResult: z.object({ partialResult: z.boolean().optional() }).optional(),
  }),
  conversationHistoryRecords: z.array(z.unknown()).optional(),
});
type Envelope = { count: number; partial: boolean; records: unknown[] };

/**
 * The LivePerson source: Messaging Interactions search by end time, get-by-id and the Users API, over CSDS
 * domain lookup and OAuth 2.0 (or OAuth 1.0a) credentials. Failures are typed (`errors.ts`); it retries only a
 * little by itself and otherwise throws, so the Temporal activity owns the back-off.
 */
export class LivePersonClient implements LivePersonSource {
  private readonly csds: CsdsResolver;
  private readonly auth: Authorizer;
  private readonly settings: LivePersonSettingNames;
  private readonly policy: QuickRetryPolicy;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: LivePersonClientOptions & LivePersonClientTuning) {
    if (!/^\S{1,20}$/.test(options.source)) {
      throw new RangeError(`The LivePerson 'source' parameter must be 1-20 characters without spaces, got '${options.source}'`);
    }
    this.settings = { ...DEFAULT_SETTING_NAMES, ...options.settingNames };
    this.timeoutMs = options.requestTimeoutMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.policy = { maxQuickRetries: options.maxQuickRetries ?? 2, maxQuickDelayMs: options.maxQuickDelayMs ?? 2000 };
    this.csds = new CsdsResolver({
      accountId: options.accountId,
      csdsBaseUrl: options.csdsBaseUrl ?? 'https://api.liveperson.net',
      scheme: options.serviceScheme ?? 'https',
      timeoutMs: this.timeoutMs,
      settings: this.settings,
    });
    const a = options.auth;
    this.auth =
      a.kind === 'oauth2'
        ? new OAuth2Authorizer({
            accountId: options.accountId,
            clientId: a.clientId,
            clientSecret: a.clientSecret,
            sentinelBaseUrl: () => this.csds.baseUrl('sentinel'),
            timeoutMs: this.timeoutMs,
            setting: this.settings.clientCredentials,
            accountSetting: this.settings.accountId,
            now: this.now,
          })
        : new OAuth1Authorizer(a, this.settings.oauth1Keys, this.now);
  }

  get accountId(): string {
    return this.options.accountId;
  }

  /**
   * One page of the closed conversations whose end time lies in the covering range of `window`.
   * Page by offset: `offset` 0, `limit`, 2·`limit`, … while `offset < count` (or until `nextOffset` is undefined).
   * Records come back raw; filter them exactly with `inWindow` and normalise them. A window longer than
   * LivePerson's 3-month cap is split into several queries transparently; `count` is their sum.
   */
  async searchClosed(window: TimeWindow, offset: number, limit: number): Promise<SearchPage> {
    if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    const queries = planQueries(window, {
      now: this.now(),
      maxConversationAgeMs: this.options.maxConversationAgeMs ?? DEFAULT_MAX_CONVERSATION_AGE_MS,
    });
    let skip = offset;
    let need = limit;
    let total = 0;
    const collected: { record: unknown; query: number }[] = [];
    for (const [k, q] of queries.entries()) {
      if (need === 0) {
        total += (await this.searchPageOf(q, 0, 1)).count; // only its size matters
        continue;
      }
      let local = skip;
      let count: number | undefined;
      do {
        const page = await this.searchPageOf(q, local, Math.min(need, MAX_PAGE_SIZE));
        count = page.count;
        for (const record of page.records) collected.push({ record, query: k });
        need -= page.records.length;
        local += page.records.length;
        if (page.records.length === 0) break; // past the end (or the data shrank): nothing more here
      } while (need > 0 && local < count);
      skip = Math.max(0, skip - count);
      total += count;
    }
    const owned = collected.filter(({ record, query }) => {
      const t = recordTimes(record);
      if (!t) return true; // unreadable times: keep it, normalisation reports it
      const owner = ownerOf(queries, t.start, t.end);
      return owner < 0 || owner === query;
    });
    const records =
      this.options.refetchPartialRecords === false ? owned.map((o) => o.record) : await this.completePartials(owned.map((o) => o.record));
    const next = offset + limit;
    return { records, count: total, ...(next < total ? { nextOffset: next } : {}) };
  }

  /** All users of the account, deleted ones included (agent e-mails for the normaliser). */
  async listUsers(): Promise<readonly LpUser[]> {
    const path = `/api/account/${this.acct()}/configuration/le-users/users?v=6.0&include_deleted=true`;
    const body = await this.call('accountConfigReadOnly', 'GET', path, undefined, 'the user list');
    const parsed = parseUsers(body);
    if (!parsed) {
      throw new LivePersonUnavailableError(
        `LivePerson's Users API answered account ${this.options.accountId} with something other than a user list`,
        {
          accountId: this.options.accountId,
          service: 'accountConfigReadOnly',
          retryAfterMs: DEFAULT_NETWORK_DELAY_MS,
        },
      );
    }
    return parsed.users;
  }

  /** Full records by conversation id (at most 100 per request; more are batched). Unknown ids are absent from the result. */
  async getConversations(ids: readonly string[]): Promise<unknown[]> {
    const out: unknown[] = [];
    for (let i = 0; i < ids.length; i += MAX_PAGE_SIZE) {
      const chunk = ids.slice(i, i + MAX_PAGE_SIZE);
      const path = `/messaging_history/api/account/${this.acct()}/conversations/conversation/search?${this.query({ v: '2' })}`;
      const env = this.envelope(
        await this.call('msgHist', 'POST', path, { conversationIds: chunk, contentToRetrieve: CONTENT_TO_RETRIEVE }, 'a get-by-id request'),
        'msgHist',
      );
      out.push(...env.records);
    }
    return out;
  }

  /** Conversations of one consumer (participantId), closed ones, one page. */
  async searchByConsumer(consumerId: string, offset: number, limit: number): Promise<{ records: unknown[]; count: number }> {
    const path = `/messaging_history/api/account/${this.acct()}/conversations/consumer/search?${this.query({ offset: String(offset), limit: String(Math.min(limit, MAX_PAGE_SIZE)), v: '2' })}`;
    const env = this.envelope(
      await this.call(
        'msgHist',
        'POST',
        path,
        { consumer: consumerId, status: ['CLOSE'], contentToRetrieve: CONTENT_TO_RETRIEVE },
        'a by-consumer search',
      ),
      'msgHist',
    );
    return { records: env.records, count: env.count };
  }

  /**
   * Signed download URLs of a conversation's hosted files, keyed by their `relativePath` (as in
   * `messageData.file.relativePath`), from the Bulk File Download API (CSDS `fms`). URLs expire within minutes:
   * download right away.
   */
  async conversationFileUrls(conversationId: string): Promise<ReadonlyMap<string, string>> {
    const urls = new Map<string, string>();
    for (let page = 0; page < 1000; page++) {
      const q = new URLSearchParams({ conversationId, page: String(page), pageSize: '100' }).toString();
      const parsed = conversationFilesSchema.safeParse(
        await this.call('fms', 'GET', `/v1/account/${this.acct()}/conversation-files?${q}`, undefined, 'the file listing'),
      );
      if (!parsed.success) {
        throw new LivePersonUnavailableError(`LivePerson fms answered account ${this.options.accountId} without an items list`, {
          accountId: this.options.accountId,
          service: 'fms',
          retryAfterMs: DEFAULT_NETWORK_DELAY_MS,
        });
      }
      for (const url of parsed.data.items) {
        const path = relativePathOf(url);
        if (path !== undefined) urls.set(path, url);
      }
      const next = parsed.data.pagination?.nextPage;
      if (next === null || next === undefined || parsed.data.items.length === 0) break;
    }
    return urls;
  }

  /** Bytes of a hosted file from a signed URL; larger than `maxBytes` (default 150 MB) is a non-retryable error. */
  downloadFile(signedUrl: string, maxBytes = 150 * 1024 * 1024): Promise<Uint8Array> {
    return withQuickRetries(
      this.policy,
      () => downloadSigned(signedUrl, { accountId: this.options.accountId, timeoutMs: this.timeoutMs, maxBytes }),
      this.sleep,
    );
  }

  /**
   * One page of a query; a piece of start times past LivePerson's retention that LivePerson refuses (400) counts as
   * empty, with a warning once: what it could have held is out of reach, and the rest of the search stands.
   */
  private async searchPageOf(q: SubQuery, offset: number, limit: number): Promise<Envelope> {
    if (!pastRetention(q, this.now())) return this.searchPage(q, offset, limit);
    try {
      return await this.searchPage(q, offset, limit);
    } catch (err) {
      if (!(err instanceof LivePersonRequestError)) throw err;
      warnPastRetentionRefused(this.options.accountId, err.message);
      return { records: [], count: 0, partial: false };
    }
  }

  private async searchPage(q: SubQuery, offset: number, limit: number): Promise<Envelope> {
    const path = `/messaging_history/api/account/${this.acct()}/conversations/search?${this.query({ offset: String(offset), limit: String(limit), sort: 'end:asc', v: '2' })}`;
    const body = { start: q.start, end: q.end, status: ['CLOSE'], contentToRetrieve: CONTENT_TO_RETRIEVE };
    const tries = (this.options.partialResultRetries ?? 3) + 1;
    for (let attempt = 1; ; attempt++) {
      const env = this.envelope(await this.call('msgHist', 'POST', path, body, 'a conversation search'), 'msgHist');
      if (!env.partial) return env;
      if (attempt >= tries) {
        throw new LivePersonThrottledError(
          `LivePerson returned an incomplete page (partialResult) ${tries} times for account ${this.options.accountId} (offset ${offset}); some of its shards are not answering. Retry later`,
          { accountId: this.options.accountId, service: 'msgHist', status: 200, retryAfterMs: 5000, reason: 'partial-result' },
        );
      }
      await this.sleep(100 * attempt);
    }
  }

  private async completePartials(records: unknown[]): Promise<unknown[]> {
    const partialIds = records
      .filter(isPartialRecord)
      .map(conversationIdOf)
      .filter((id): id is string => id !== undefined);
    if (partialIds.length === 0) return records;
    const full = new Map<string, unknown>();
    for (const r of await this.getConversations(partialIds)) {
      const id = conversationIdOf(r);
      if (id !== undefined && !isPartialRecord(r)) full.set(id, r);
    }
    // A record still partial after get-by-id stays as it is; the normaliser marks the item partial.
    return records.map((r) => (isPartialRecord(r) ? (full.get(conversationIdOf(r) ?? '') ?? r) : r));
  }

  private envelope(body: unknown, service: LivePersonService): Envelope {
    const parsed = envelopeSchema.safeParse(body);
    if (!parsed.success) {
      throw new LivePersonUnavailableError(
        `LivePerson ${service} answered account ${this.options.accountId} without the expected _metadata.count / conversationHistoryRecords`,
        {
          accountId: this.options.accountId,
          service,
          retryAfterMs: DEFAULT_NETWORK_DELAY_MS,
        },
      );
    }
    const d = parsed.data;
    return {
      count: d._metadata.count,
      partial: d._metadata.shardsStatusResult?.partialResult === true,
      records: d.conversationHistoryRecords ?? [],
    };
  }

  /**
   * One authorised JSON call to a service of this account (CSDS lookup, token, one refresh on 401, status
   * mapping, bounded quick retries), for the clients of other LivePerson APIs that share this one's
   * credentials, e.g. the Engagement History (legacy chat) client.
   */
  request(service: CsdsServiceName, method: 'GET' | 'POST', pathAndQuery: string, body: unknown, what: string): Promise<unknown> {
    return this.call(service, method, pathAndQuery, body, what);
  }

  /** The `source` query parameter this client sends (LivePerson asks every caller to name itself). */
  get sourceName(): string {
    return this.options.source;
  }

  /** One API call with auth, one refresh on 401, status mapping and bounded quick retries. */
  private call(service: CsdsServiceName, method: 'GET' | 'POST', pathAndQuery: string, body: unknown, what: string): Promise<unknown> {
    const accountId = this.options.accountId;
    const ctx = { accountId, service, what };
    return withQuickRetries(
      this.policy,
      async () => {
        const url = `${await this.csds.baseUrl(service)}${pathAndQuery}`;
        for (let refreshed = false; ; refreshed = true) {
          const headers: Record<string, string> = { Authorization: await this.auth.header(method, url), Accept: 'application/json' };
          if (body !== undefined) headers['Content-Type'] = 'application/json';
          const answer = await send(
            { method, url, headers, body: body === undefined ? undefined : JSON.stringify(body), timeoutMs: this.timeoutMs },
            ctx,
          );
          if (answer.status === 401 && !refreshed && this.auth.invalidate()) continue;
          if (answer.status === 401 || answer.status === 403) throw this.authError(service, answer.status, what, errorDetail(answer.text));
          const throttled = throttleError(answer, ctx);
          if (throttled) throw throttled;
          if (answer.status < 200 || answer.status > 299) throw requestError(answer, ctx);
          return parseJson(answer, ctx);
        }
      },
      this.sleep,
    );
  }

  private authError(service: LivePersonService, status: number, what: string, detail: string | undefined): LivePersonAuthError {
    const acct = this.options.accountId;
    const oauth1 = this.options.auth.kind === 'oauth1';
    if (status === 403 && service === 'engHistDomain') return engagementHistoryScopeError(acct, this.auth.setting, oauth1, what, detail);
    const message =
      status === 403
        ? `LivePerson denied ${what} for account ${acct} (HTTP 403${detail ? `: ${detail}` : ''}): the credentials in ${this.auth.setting} lack the permission. Grant the ${oauth1 ? 'API key' : 'OAuth app installation'} access to the Messaging Interactions and Users APIs`
        : oauth1
          ? `LivePerson rejected the OAuth 1.0 API key signature for ${what}, account ${acct} (HTTP 401${detail ? `: ${detail}` : ''}). Fix ${this.auth.setting} in the worker's environment`
          : `LivePerson refused a freshly issued access token for ${what}, account ${acct} (HTTP 401${detail ? `: ${detail}` : ''}). Check that the OAuth app in ${this.auth.setting} is installed for this account and allowed to use ${service}`;
    return new LivePersonAuthError(message, { accountId: acct, service, status, setting: this.auth.setting });
  }

  private acct(): string {
    return encodeURIComponent(this.options.accountId);
  }

  private query(extra: Record<string, string>): string {
    return new URLSearchParams({ ...extra, source: this.options.source }).toString();
  }
}

let warnedPastRetention = false;

function warnPastRetentionRefused(accountId: string, message: string): void {
  if (warnedPastRetention) return;
  warnedPastRetention = true;
  process.emitWarning(
    `LivePerson refused a search of account ${accountId} for conversations started more than 13 months ago (${message}); conversations open longer than LivePerson's retention cannot be found`,
    { code: 'LPA_LP_PAST_RETENTION' },
  );
}

function recordTimes(record: unknown): { start: number; end: number } | undefined {
  const info = infoOf(record);
  const start = Number(info?.startTimeL);
  const end = Number(info?.endTimeL);
  return Number.isFinite(start) && Number.isFinite(end) && end > 0 ? { start, end } : undefined;
}

function infoOf(record: unknown): Record<string, unknown> | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const info = (record as { info?: unknown }).info;
  return typeof info === 'object' && info !== null ? (info as Record<string, unknown>) : undefined;
}

function isPartialRecord(record: unknown): boolean {
  const v = infoOf(record)?.isPartial;
  return v === true || v === 'true';
}

function conversationIdOf(record: unknown): string | undefined {
  const id = infoOf(record)?.conversationId;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}
