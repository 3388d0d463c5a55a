/**
 * Typed failures of the LivePerson client. Each says whether retrying can help (`retryable`) and, when it
 * can, how long to wait (`retryAfterMs`); the activity layer maps them to Temporal failures without
 * parsing messages. Messages name the cause and the setting or action that fixes it.
 */
import { LpArchiveError } from '../model/errors';

/** Names of the worker settings an operator fixes; overridable through the client options. */
export interface LivePersonSettingNames {
  readonly accountId: string;
  readonly clientCredentials: string;
  readonly oauth1Keys: string;
}

export const DEFAULT_SETTING_NAMES: LivePersonSettingNames = {
  accountId: 'LP_ACCOUNT_ID',
  clientCredentials: 'LP_CLIENT_ID / LP_CLIENT_SECRET',
  oauth1Keys: 'LP_CONSUMER_KEY / LP_CONSUMER_SECRET / LP_ACCESS_TOKEN / LP_ACCESS_TOKEN_SECRET',
};

/** The LivePerson service a request went to (CSDS names, plus `csds` itself). */
export type LivePersonService = 'csds' | 'sentinel' | 'msgHist' | 'engHistDomain' | 'accountConfigReadOnly' | 'swift' | 'fms';

export abstract class LivePersonError extends LpArchiveError {
  abstract override readonly retryable: boolean;
  readonly accountId: string;
  readonly service: LivePersonService;
  /** HTTP status, when LivePerson answered. */
  readonly status?: number;

  protected constructor(message: string, ctx: { accountId: string; service: LivePersonService; status?: number; cause?: unknown }) {
    super(message, ctx.cause === undefined ? undefined : { cause: ctx.cause });
    this.accountId = ctx.accountId;
    this.service = ctx.service;
    this.status = ctx.status;
  }
}

/** Credentials refused or lacking permission. Not retryable: an operator must fix a setting. */
export class LivePersonAuthError extends LivePersonError {
  readonly kind = 'configuration';
  readonly retryable = false;
  /** The setting(s) to fix, e.g. `LP_CLIENT_ID / LP_CLIENT_SECRET`. */
  readonly setting: string;

  constructor(message: string, ctx: { accountId: string; service: LivePersonService; status?: number; setting: string }) {
    super(message, ctx);
    this.setting = ctx.setting;
  }
}

/**
 * The credential works but lacks the OAuth2 scope (or API-key permission) an API needs, e.g. Engagement History's
 * `data.services.enghist`. Not retryable: an administrator must add the scope to the app installation.
 */
export class LivePersonScopeError extends LivePersonAuthError {
  /** The scope the API needs, e.g. `data.services.enghist`. */
  readonly scope: string;

  constructor(message: string, ctx: { accountId: string; service: LivePersonService; status?: number; setting: string; scope: string }) {
    super(message, ctx);
    this.scope = ctx.scope;
  }
}

/** The account id is unknown to LivePerson, or lacks a service we need. Not retryable. */
export class LivePersonAccountError extends LivePersonError {
  readonly kind = 'configuration';
  readonly retryable = false;
  readonly setting: string;

  constructor(message: string, ctx: { accountId: string; service: LivePersonService; status?: number; setting: string }) {
    super(message, ctx);
    this.setting = ctx.setting;
  }
}

export const THROTTLE_REASONS = ['rate-limited', 'server-error', 'partial-result'] as const;
export type ThrottleReason = (typeof THROTTLE_REASONS)[number];

/** LivePerson asked us to slow down (429), failed on its side (5xx) or answered only partly. Retry later. */
export class LivePersonThrottledError extends LivePersonError {
  readonly kind = 'throttled';
  readonly retryable = true;
  /** Wait at least this long before the next attempt (from `Retry-After`, else LivePerson's guidance). */
  override readonly retryAfterMs: number;
  readonly reason: ThrottleReason;
  /** True when LivePerson said how long to wait (`Retry-After`); false when `retryAfterMs` is our default. */
  readonly retryAfterFromServer: boolean;

  constructor(
    message: string,
    ctx: {
      accountId: string;
      service: LivePersonService;
      status?: number;
      retryAfterMs: number;
      reason: ThrottleReason;
      retryAfterFromServer?: boolean;
    },
  ) {
    super(message, ctx);
    this.retryAfterMs = ctx.retryAfterMs;
    this.reason = ctx.reason;
    this.retryAfterFromServer = ctx.retryAfterFromServer ?? false;
  }
}

/** No usable answer: connection refused, timeout, or a body that is not the JSON we expect. Retry later. */
export class LivePersonUnavailableError extends LivePersonError {
  readonly kind = 'transient';
  readonly retryable = true;
  override readonly retryAfterMs: number;

  constructor(
    message: string,
    ctx: { accountId: string; service: LivePersonService; status?: number; retryAfterMs: number; cause?: unknown },
  ) {
    super(message, ctx);
    this.retryAfterMs = ctx.retryAfterMs;
  }
}

/** LivePerson refused the request itself (400, 404, …): a bug or a bad setting; retrying the same call cannot help. */
export class LivePersonRequestError extends LivePersonError {
  readonly kind = 'unexpected';
  readonly retryable = false;
  /** LivePerson's own message from the error body, when it sent one. */
  readonly detail?: string;

  constructor(message: string, ctx: { accountId: string; service: LivePersonService; status?: number; detail?: string }) {
    super(message, ctx);
    this.detail = ctx.detail;
  }
}

/** A hosted file larger than the caller allowed: it is left out and the item archived as partial. Not retryable. */
export class LivePersonFileTooLargeError extends LivePersonError {
  readonly kind = 'item';
  readonly retryable = false;
  /** The file's size as declared (Content-Length) or as received. */
  readonly bytes: number;
  readonly maxBytes: number;

  constructor(message: string, ctx: { accountId: string; bytes: number; maxBytes: number }) {
    super(message, { accountId: ctx.accountId, service: 'swift', status: 200 });
    this.bytes = ctx.bytes;
    this.maxBytes = ctx.maxBytes;
  }
}

/** A conversation record that cannot be normalised. Becomes a failed item with this reason; never a crash. */
export class MalformedRecordError extends LpArchiveError {
  readonly kind = 'item';
  override readonly retryable = false;
  readonly conversationId?: string;
  readonly reason: string;

  constructor(reason: string, conversationId?: string) {
    super(`Malformed LivePerson conversation record${conversationId ? ` ${conversationId}` : ''}: ${reason}`);
    this.reason = reason;
    this.conversationId = conversationId;
  }
}

/** Retryable errors carry a delay; non-retryable ones do not. */
export function retryAfterOf(e: unknown): number | undefined {
  return e instanceof LivePersonThrottledError || e instanceof LivePersonUnavailableError ? e.retryAfterMs : undefined;
}
