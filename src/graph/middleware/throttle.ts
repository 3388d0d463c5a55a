import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { MailboxLimiter } from '../mailbox-limiter';
import { rethrowTyped } from './failure-sink';
import { bodyBytes, contextUrl, mailboxKeyOf, retryAfterMs, setHeader } from './http';

export interface RetryPolicy {
  readonly maxRetries: number;
  readonly maxRetryWaitMs: number;
  readonly requestTimeoutMs: number;
  readonly backoffBaseMs: number;
}

const RETRYABLE = new Set([429, 503, 504]);

/** Exponential backoff with jitter, for answers that carry no Retry-After. */
export function backoffMs(attempt: number, baseMs: number): number {
  return Math.round(baseMs * 2 ** attempt * (0.75 + Math.random() * 0.5));
}

/**
 * Per-mailbox limiting and bounded retries, between our auth middleware and the last handler (UndiciHandler).
 *
 * - Takes a mailbox permit before sending and keeps it until the whole response body has arrived (the last
 *   handler returns only then), so the service never sees more than the configured in-flight requests per
 *   mailbox from this process.
 * - 429 (and any Retry-After) pauses that mailbox only; the request is resent after the pause.
 * - A 503/504 or a lost connection is retried only for reads: a write may have taken effect, and the
 *   caller must check (by import key) before sending it again.
 * - After `maxRetries`, or when the server asks for a wait longer than `maxRetryWaitMs`, the last response is
 *   handed back and becomes a typed error; there is no hot loop.
 */
export class MailboxThrottleMiddleware implements Middleware {
  private nextMiddleware: Middleware | undefined;

  constructor(
    private readonly limiter: MailboxLimiter,
    private readonly policy: RetryPolicy,
    /** The connector these requests are for (the limiter's fair share of upload budgets). */
    private readonly party?: string,
  ) {}

  setNext(next: Middleware): void {
    this.nextMiddleware = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.nextMiddleware;
    if (!next) throw new Error('MailboxThrottleMiddleware needs a next middleware.');
    const key = mailboxKeyOf(contextUrl(context));
    const method = (context.options?.method ?? 'GET').toUpperCase();
    const idempotent = method === 'GET' || method === 'HEAD';
    const bytes = bodyBytes(context.options?.body);
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) setHeader(context, 'Retry-Attempt', String(attempt));
      let permit: (() => void) | undefined;
      try {
        permit =
          key === undefined
            ? undefined
            : await this.limiter.acquire(key, bytes, this.policy.maxRetryWaitMs, this.party !== undefined ? { party: this.party } : {});
      } catch (err) {
        rethrowTyped(context, err);
      }
      let failure: unknown;
      try {
        context.options = { ...context.options, signal: AbortSignal.timeout(this.policy.requestTimeoutMs) };
        context.response = undefined;
        await next.execute(context);
      } catch (err) {
        failure = err;
      } finally {
        permit?.();
      }
      const canRetry = attempt < this.policy.maxRetries;
      if (failure !== undefined) {
        if (!idempotent || !canRetry) throw failure instanceof Error ? failure : new Error('Graph request failed without an error object.');
        await sleep(backoffMs(attempt, this.policy.backoffBaseMs));
        continue;
      }
      const response = context.response;
      if (!response || !RETRYABLE.has(response.status)) return;
      const asked = retryAfterMs(response.headers);
      const wait = asked ?? backoffMs(attempt, this.policy.backoffBaseMs);
      if (key !== undefined && (response.status === 429 || asked !== undefined)) this.limiter.pause(key, Date.now() + wait);
      const safe = response.status === 429 || idempotent;
      if (!safe || !canRetry || wait > this.policy.maxRetryWaitMs) return;
      // A paused mailbox waits in `acquire`; other requests wait here.
      if (key === undefined || (response.status !== 429 && asked === undefined)) await sleep(wait);
    }
  }
}
