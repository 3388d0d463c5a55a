import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { redactError } from '../codec/redact';
import { isRetryable, LpArchiveError, type FailureDetail } from '../model';

/**
 * Turns an error of ours into what Temporal should do with it: its kind travels as the failure's detail (the
 * workflow's failure policy reads it); configuration and refused requests stop Temporal's quick retries;
 * throttling retries after the service's Retry-After, not sooner. Messages, stacks and causes are redacted
 * first: Temporal copies them into history. Anything else passes through (retried as an unknown failure).
 */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure || !(err instanceof Error)) return err;
  redactError(err);
  if (!(err instanceof LpArchiveError)) return err;
  const detail: FailureDetail = { kind: err.kind };
  const retryAfter = err.retryAfterMs !== undefined && err.retryAfterMs > 0 ? { nextRetryDelay: err.retryAfterMs } : {};
  return ApplicationFailure.create({
    type: err.name,
    message: err.message,
    nonRetryable: !isRetryable(err),
    details: [detail],
    ...(isRetryable(err) ? retryAfter : {}),
  });
}

/** The one place activity errors are converted: every activity of the worker runs inside it. */
export const activityErrorInterceptor: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (err) {
        throw toActivityFailure(err);
      }
    },
  },
});
