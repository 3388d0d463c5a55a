/**
 * Typed failures of the Graph client. Each carries what an operator needs (the cause and the fix) and
 * whether retrying can help, so activities can map them to retryable / non-retryable Temporal failures.
 */
import { LpArchiveError } from '../model/errors';

/** Base class: every error the Graph client throws is one of these. */
export abstract class GraphClientFailure extends LpArchiveError {
  /** True when a later retry (e.g. by the Temporal activity) can succeed without anyone changing anything. */
  abstract override readonly retryable: boolean;
}

/** 429 / 503 / 504 that persisted through the client's own bounded retries. Always retryable. */
export class GraphThrottledError extends GraphClientFailure {
  readonly kind = 'throttled';
  readonly retryable = true;
  constructor(
    readonly statusCode: number,
    readonly code: string,
    /** How long Graph asked us to wait (Retry-After), or the client's backoff when it did not say. */
    override readonly retryAfterMs: number,
    /** Mailbox the request was for, when it was a mailbox request. */
    readonly userId: string | undefined,
  ) {
    super(
      `Graph is throttling or unavailable (HTTP ${statusCode} ${code})${userId ? ` for mailbox ${userId}` : ''}; retry after ${Math.ceil(retryAfterMs / 1000)} s. This is normal under load: the import slows down and goes on.`,
    );
  }
}

/**
 * The app registration or its credentials are wrong: bad secret, unknown client id, missing permission or
 * admin consent. Nothing will succeed until an admin fixes it, so it is not retryable.
 */
export class GraphConfigError extends GraphClientFailure {
  readonly kind = 'configuration';
  readonly retryable = false;
  constructor(
    readonly code: string,
    message: string,
    /** What to change, in words an admin can act on. */
    readonly fix: string,
    /** The application permission that is missing, when that is the cause. */
    readonly permission?: string,
  ) {
    super(`${message} Fix: ${fix}`);
  }
}

/** Why one mailbox cannot take items; other mailboxes are unaffected. */
export const MAILBOX_FAILURES = ['no-mailbox', 'not-in-directory', 'blocked-by-policy', 'quota-exceeded'] as const;
export type MailboxFailure = (typeof MAILBOX_FAILURES)[number];

/** A per-mailbox problem: no mailbox, blocked by an access policy, quota exceeded. */
export class GraphMailboxError extends GraphClientFailure {
  readonly kind = 'item';
  constructor(
    readonly userId: string,
    readonly code: string,
    readonly reason: MailboxFailure,
    message: string,
    /** A full mailbox may be emptied or enlarged by an admin; the other reasons need a mapping change. */
    readonly retryable: boolean = reason === 'quota-exceeded',
  ) {
    super(message);
  }
}

/** The item cannot be imported as built (too large for any Graph path, or refused as invalid). Not retryable. */
export class GraphItemRejectedError extends GraphClientFailure {
  readonly kind = 'item';
  readonly retryable = false;
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/**
 * Any other Graph failure: transient (5xx, network, a folder that vanished) or unexpected (4xx that means
 * a bug in this client). `retryable` tells which.
 */
export class GraphRequestError extends GraphClientFailure {
  readonly kind: 'transient' | 'unexpected';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly requestId?: string,
  ) {
    super(message);
    this.kind = retryable ? 'transient' : 'unexpected';
  }
}
