/**
 * What a failure means for the pipeline, whichever client raised it. Every client error extends
 * {@link LpArchiveError} and says its kind; the activity interceptor turns it into a Temporal failure and the
 * workflow's failure policy reads the kind back, so no layer matches errors by class name.
 */
export const ERROR_KINDS = [
  /** A setting or credential is wrong: nothing succeeds until an operator fixes it (needs-credentials). */
  'configuration',
  /** The service asks us to slow down: wait (Retry-After) and go on. */
  'throttled',
  /** One item or one mailbox cannot be done: a failed row in the log; the batch goes on. */
  'item',
  /** An outage, a timeout, a 5xx: retry later. */
  'transient',
  /** The thing asked for does not exist (a blob, a manifest): the caller decides what that means. */
  'not-found',
  /** The service refused the request itself (a 400): retrying the same call cannot help; an operator should look. */
  'unexpected',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Kinds a quick retry of the same call can cure. */
const RETRYABLE_KINDS: readonly ErrorKind[] = ['throttled', 'transient'];

/** Base of every error our clients raise. Messages name the cause and the fix. */
export abstract class LpArchiveError extends Error {
  abstract readonly kind: ErrorKind;
  /** Set when a subclass knows better than its kind (e.g. a full mailbox may be emptied: retryable item). */
  readonly retryable?: boolean;
  /** Wait at least this long before the next attempt (from Retry-After, or the client's own backoff). */
  readonly retryAfterMs?: number;

  protected constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The kind of an error, when it is one of ours. */
export function errorKind(err: unknown): ErrorKind | undefined {
  return err instanceof LpArchiveError ? err.kind : undefined;
}

/** Whether a quick retry of the same call can help: the error's own say, else its kind's. */
export function isRetryable(err: LpArchiveError): boolean {
  return err.retryable ?? RETRYABLE_KINDS.includes(err.kind);
}

/** What travels with an activity failure into workflow history (no personal data: a kind only). */
export interface FailureDetail {
  readonly kind: ErrorKind;
}
