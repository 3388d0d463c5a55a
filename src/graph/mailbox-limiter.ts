import { setTimeout as sleep } from 'node:timers/promises';
import { GraphThrottledError } from './errors';

export interface MailboxLimiterOptions {
  readonly concurrency: number;
  readonly requestBudget: number;
  readonly requestWindowMs: number;
  readonly uploadBudgetBytes: number;
  readonly uploadWindowMs: number;
}

interface MailboxState {
  inFlight: number;
  peak: number;
  readonly waiters: (() => void)[];
  pausedUntil: number;
  readonly requests: number[];
  readonly uploads: { t: number; bytes: number }[];
}

/** Releases a mailbox permit; idempotent. */
export type Permit = () => void;

/**
 * Outlook's per app + mailbox limits, enforced in this process before a request leaves: at most N in
 * flight per mailbox (FIFO), a request budget and an upload-byte budget per window, and a pause when Graph
 * says `Retry-After` for that mailbox. Other mailboxes are never slowed by one that is throttled.
 */
export class MailboxLimiter {
  private readonly boxes = new Map<string, MailboxState>();

  constructor(private readonly opts: MailboxLimiterOptions) {}

  private state(key: string): MailboxState {
    let s = this.boxes.get(key);
    if (!s) {
      s = { inFlight: 0, peak: 0, waiters: [], pausedUntil: 0, requests: [], uploads: [] };
      this.boxes.set(key, s);
    }
    return s;
  }

  /** Highest in-flight count seen for a mailbox (for tests and metrics). */
  peak(key: string): number {
    return this.boxes.get(key)?.peak ?? 0;
  }

  /** Graph asked this mailbox to wait: no new request for it starts before `untilMs`. */
  pause(key: string, untilMs: number): void {
    const s = this.state(key);
    s.pausedUntil = Math.max(s.pausedUntil, untilMs);
  }

  /**
   * Waits for the mailbox's pause to pass, a free slot, and room in the budgets, then takes the slot.
   * A wait longer than `maxWaitMs` is not done here: it becomes a `GraphThrottledError` for the caller's
   * retry policy.
   */
  async acquire(key: string, bytes: number, maxWaitMs: number): Promise<Permit> {
    const s = this.state(key);
    for (;;) {
      const now = Date.now();
      const pauseLeft = s.pausedUntil - now;
      if (pauseLeft > 0) {
        if (pauseLeft > maxWaitMs) throw new GraphThrottledError(429, 'MailboxPaused', pauseLeft, key);
        await sleep(pauseLeft);
        continue;
      }
      const budgetWait = this.budgetWait(s, bytes, now);
      if (budgetWait > 0) {
        if (budgetWait > maxWaitMs) throw new GraphThrottledError(429, 'MailboxBudgetExhausted', budgetWait, key);
        await sleep(budgetWait);
        continue;
      }
      if (s.inFlight >= this.opts.concurrency) {
        await new Promise<void>((resolve) => s.waiters.push(resolve));
        continue;
      }
      s.inFlight++;
      s.peak = Math.max(s.peak, s.inFlight);
      s.requests.push(now);
      if (bytes > 0) s.uploads.push({ t: now, bytes });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        s.inFlight--;
        s.waiters.shift()?.();
      };
    }
  }

  /** How long until the request and byte budgets have room (0 = now). */
  private budgetWait(s: MailboxState, bytes: number, now: number): number {
    while (s.requests.length > 0 && (s.requests[0] ?? 0) <= now - this.opts.requestWindowMs) s.requests.shift();
    while (s.uploads.length > 0 && (s.uploads[0]?.t ?? 0) <= now - this.opts.uploadWindowMs) s.uploads.shift();
    let wait = 0;
    if (s.requests.length >= this.opts.requestBudget) wait = (s.requests[0] ?? now) + this.opts.requestWindowMs - now;
    if (bytes > 0 && s.uploads.length > 0) {
      const used = s.uploads.reduce((n, u) => n + u.bytes, 0);
      if (used + bytes > this.opts.uploadBudgetBytes) {
        // Wait until enough of the window has expired to fit this upload.
        let freed = 0;
        for (const u of s.uploads) {
          freed += u.bytes;
          if (used - freed + bytes <= this.opts.uploadBudgetBytes) {
            wait = Math.max(wait, u.t + this.opts.uploadWindowMs - now);
            break;
          }
        }
      }
    }
    return Math.max(0, wait);
  }
}
