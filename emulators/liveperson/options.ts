/** Settings of the LivePerson emulator, with the defaults the demo stack and the tests rely on. */

/** Fault injection, changeable at run time through `POST /_emulator/faults`. Rates are probabilities in [0, 1]. */
export interface FaultSettings {
  /** Share of API requests answered 429. */
  rate429: number;
  /** `Retry-After` seconds sent with a 429; `null` sends none. */
  retryAfterSeconds: number | null;
  /** Share of API requests answered 500 or 503 (alternating). */
  rate5xx: number;
  /** `Retry-After` seconds sent with a 503; `null` sends none. */
  retryAfter5xxSeconds: number | null;
  /** Share of requests delayed by `slowMs` before they are answered. */
  slowRate: number;
  slowMs: number;
  /** Share of API requests whose connection is dropped without an answer (socket destroyed). */
  dropRate: number;
  /** Share of API requests answered 200 with a truncated, unparseable JSON body (a proxy or a cut connection). */
  malformedJsonRate: number;
  /** Share of MI search pages answered with `shardsStatusResult.partialResult: true` and some records missing. */
  partialResultRate: number;
  /** Share of MI search records returned with `info.isPartial: true` (messages cut short; get-by-id gives all). */
  partialRecordRate: number;
  /** Also inject 429/5xx into the Sentinel token endpoints (off by default: auth faults are tested separately). */
  includeSentinel: boolean;
  /** Relative paths of hosted files that Swift answers 404 (deleted from file storage). */
  missingFiles: string[];
  /** Share of hosted files answered 404, chosen by a hash of the path, so the same file stays missing on retry. */
  missingFileRate: number;
  /** The next this-many Swift downloads are answered 401 "expired", as if their signed URL had run out. Counts down. */
  expireNextFileUrls: number;
  /** Engagement History ignores the `sort` parameter and answers in start order (a server the client must not trust blindly). */
  ehIgnoreSort: boolean;
}

export interface LivePersonEmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  readonly port?: number;
  readonly host?: string;
  readonly accountId?: string;
  /**
   * More accounts served beside `accountId`, each with the same generated conversations rendered with its own
   * id, its own tokens and its own CSDS answers: many tenants on one emulator (the bench's fifty connectors).
   */
  readonly extraAccountIds?: readonly string[];
  readonly seed?: number;
  /** Generated closed conversations (historic, visible at once). */
  readonly conversations?: number;
  /** Their end times are spread over this many days back from `anchorTime`. */
  readonly days?: number;
  /** "Now" of the generated history (epoch ms); default the start time of the emulator. */
  readonly anchorTime?: number;
  /** Upper bound of messages per generated conversation (1..200). */
  readonly maxMessages?: number;
  /** Share of conversations that last days rather than minutes (exercises the client's start-range slicing). */
  readonly longConversationRate?: number;
  /** Longest duration of such a long conversation, in days. */
  readonly maxLongConversationDays?: number;
  /** Generated ended legacy chats (Engagement History); none unless asked, so messaging-only runs are unchanged. */
  readonly chats?: number;
  /** Their end times are spread over this many days back from `anchorTime` (default: `days`). */
  readonly chatDays?: number;
  /** Upper bound of visitor/agent lines per generated chat (1..200; system lines come on top). */
  readonly chatMaxLines?: number;
  /** Live mode: chats ending per minute from the emulator's start on (0 = off). */
  readonly chatLivePerMinute?: number;
  /** Most chats become searchable within this long after they end (LivePerson: 99.5 % within 5 minutes). */
  readonly chatIngestionMaxMs?: number;
  /** Share of chats that become searchable later than `chatIngestionMaxMs`, up to `chatLateMaxMs` (LivePerson: 0.5 %). */
  readonly chatLateRate?: number;
  /** Latest a chat becomes searchable after it ended (LivePerson: 2 hours). */
  readonly chatLateMaxMs?: number;
  /** Share of chats whose data LivePerson never completed: answered `isPartial` even when asked by engagement id. */
  readonly chatPartialRate?: number;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /**
   * OAuth2 scopes of the app installation the client credentials belong to (the token's `scope` claim).
   * Engagement History refuses a token without `data.services.enghist` (403).
   */
  readonly clientScopes?: readonly string[];
  /** OAuth 1.0a credentials the emulator also accepts (HMAC-SHA1 signed requests). */
  readonly oauth1?: {
    readonly consumerKey: string;
    readonly consumerSecret: string;
    readonly accessToken: string;
    readonly accessTokenSecret: string;
  };
  /** Lifetime of issued OAuth2 tokens, seconds. */
  readonly tokenLifetimeSeconds?: number;
  /** Live mode: conversations closing per minute from the emulator's start on (0 = off). */
  readonly livePerMinute?: number;
  /** Live mode: share of new conversations re-opened and closed again later (a new version of the same id). */
  readonly reopenRate?: number;
  /** About how long after its first close a conversation is re-opened and closed again (0.5x to 1.5x this), ms. */
  readonly reopenAfterMs?: number;
  /** A closed conversation is visible to search only this long after its end (LivePerson's ingestion lag). */
  readonly ingestionLagMs?: number;
  /** Answer 400 when the `source` query parameter is missing (the newest docs mark it required). */
  readonly requireSource?: boolean;
  /** Lifetime of signed Swift file URLs, seconds (LivePerson: 60). */
  readonly fileUrlLifetimeSeconds?: number;
  readonly faults?: Partial<FaultSettings>;
  /** Log one line per request to stderr. */
  readonly verbose?: boolean;
  /** The emulator's clock (in-process tests move it to see ingestion delays pass); default `Date.now`. */
  readonly clock?: () => number;
}

export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly accountId: string;
  /** `accountId` first, then the extra accounts, without repeats. */
  readonly accountIds: readonly string[];
  readonly seed: number;
  readonly conversations: number;
  readonly days: number;
  readonly anchorTime: number;
  readonly maxMessages: number;
  readonly longConversationRate: number;
  readonly maxLongConversationDays: number;
  readonly chats: number;
  readonly chatDays: number;
  readonly chatMaxLines: number;
  readonly chatLivePerMinute: number;
  readonly chatIngestionMaxMs: number;
  readonly chatLateRate: number;
  readonly chatLateMaxMs: number;
  readonly chatPartialRate: number;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clientScopes: readonly string[];
  readonly oauth1: LivePersonEmulatorOptions['oauth1'];
  readonly tokenLifetimeSeconds: number;
  readonly livePerMinute: number;
  readonly reopenRate: number;
  readonly reopenAfterMs: number;
  readonly ingestionLagMs: number;
  readonly requireSource: boolean;
  readonly fileUrlLifetimeSeconds: number;
  readonly faults: FaultSettings;
  readonly verbose: boolean;
}

/** The OAuth2 scope Engagement History requires (reference §2, §3). */
export const ENGAGEMENT_HISTORY_SCOPE = 'data.services.enghist';

/** Scopes of the demo app installation: messaging history, users and Engagement History. */
export const DEFAULT_CLIENT_SCOPES: readonly string[] = ['msg.hist', 'users.read', ENGAGEMENT_HISTORY_SCOPE];

export const DEFAULT_FAULTS: FaultSettings = {
  rate429: 0,
  retryAfterSeconds: 1,
  rate5xx: 0,
  retryAfter5xxSeconds: null,
  slowRate: 0,
  slowMs: 2000,
  dropRate: 0,
  malformedJsonRate: 0,
  partialResultRate: 0,
  partialRecordRate: 0,
  includeSentinel: false,
  missingFiles: [],
  missingFileRate: 0,
  expireNextFileUrls: 0,
  ehIgnoreSort: false,
};

export function resolveOptions(o: LivePersonEmulatorOptions): ResolvedOptions {
  const maxMessages = o.maxMessages ?? 40;
  if (!Number.isInteger(maxMessages) || maxMessages < 1 || maxMessages > 200) {
    throw new RangeError(`maxMessages must be an integer in 1..200, got ${maxMessages}`);
  }
  const chatMaxLines = o.chatMaxLines ?? 30;
  if (!Number.isInteger(chatMaxLines) || chatMaxLines < 1 || chatMaxLines > 200) {
    throw new RangeError(`chatMaxLines must be an integer in 1..200, got ${chatMaxLines}`);
  }
  const chatIngestionMaxMs = o.chatIngestionMaxMs ?? 5 * 60_000;
  const chatLateMaxMs = o.chatLateMaxMs ?? 2 * 60 * 60_000;
  if (chatLateMaxMs < chatIngestionMaxMs) {
    throw new RangeError(`chatLateMaxMs (${chatLateMaxMs}) must not be below chatIngestionMaxMs (${chatIngestionMaxMs})`);
  }
  const accountId = o.accountId ?? '12345678';
  for (const id of o.extraAccountIds ?? []) {
    if (!/^\d{1,19}$/.test(id)) throw new RangeError(`extra account ids are numeric LivePerson site ids, got '${id}'`);
  }
  return {
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    accountId,
    accountIds: [...new Set([accountId, ...(o.extraAccountIds ?? [])])],
    seed: o.seed ?? 42,
    conversations: o.conversations ?? 1500,
    days: o.days ?? 3,
    anchorTime: o.anchorTime ?? Date.now(),
    maxMessages,
    longConversationRate: o.longConversationRate ?? 0.01,
    maxLongConversationDays: o.maxLongConversationDays ?? 30,
    chats: o.chats ?? 0,
    chatDays: o.chatDays ?? o.days ?? 3,
    chatMaxLines,
    chatLivePerMinute: o.chatLivePerMinute ?? 0,
    chatIngestionMaxMs,
    chatLateRate: o.chatLateRate ?? 0.005,
    chatLateMaxMs,
    chatPartialRate: o.chatPartialRate ?? 0.02,
    clientId: o.clientId ?? 'lp-demo-client',
    clientSecret: o.clientSecret ?? 'lp-demo-secret',
    clientScopes: [...(o.clientScopes ?? DEFAULT_CLIENT_SCOPES)],
    oauth1: o.oauth1,
    tokenLifetimeSeconds: o.tokenLifetimeSeconds ?? 3600,
    livePerMinute: o.livePerMinute ?? 0,
    reopenRate: o.reopenRate ?? 0,
    reopenAfterMs: o.reopenAfterMs ?? 10 * 60_000,
    ingestionLagMs: o.ingestionLagMs ?? 30_000,
    requireSource: o.requireSource ?? true,
    fileUrlLifetimeSeconds: o.fileUrlLifetimeSeconds ?? 60,
    faults: { ...DEFAULT_FAULTS, ...o.faults, missingFiles: [...(o.faults?.missingFiles ?? DEFAULT_FAULTS.missingFiles)] },
    verbose: o.verbose ?? false,
  };
}
