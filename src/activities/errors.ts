import { ApplicationFailure } from '@temporalio/common';
import { redactError } from '../codec/redact';
import { CONFIG_ERROR_TYPES } from './contracts';

interface MaybeThrottled {
  readonly name?: string;
  readonly message?: string;
  readonly retryAfterMs?: number;
  /** Client errors say whether a retry can help (e.g. a 400 from LivePerson cannot). */
  readonly retryable?: boolean;
}

/**
 * Turns a client error into what Temporal should do with it: configuration errors stop retrying (the
 * workflow shows needs-credentials); throttling retries after the server's Retry-After, not sooner;
 * anything else retries with the activity's backoff.
 */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (!(err instanceof Error)) return err;
  const e = redactError(err) as Error & MaybeThrottled; // message, stack and causes go into history
  if ((CONFIG_ERROR_TYPES as readonly string[]).includes(e.name)) {
    return ApplicationFailure.create({ type: e.name, message: e.message, nonRetryable: true });
  }
  if (e.retryable === false) {
    return ApplicationFailure.create({ type: e.name, message: e.message, nonRetryable: true });
  }
  if (typeof e.retryAfterMs === 'number' && e.retryAfterMs > 0) {
    return ApplicationFailure.create({ type: e.name, message: e.message, nextRetryDelay: e.retryAfterMs });
  }
  return err;
}

/** Runs an activity body and maps its errors (see toActivityFailure). */
export async function mapErrors<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
