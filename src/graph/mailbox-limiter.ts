import { setTimeout as sleep } from 'node:timers/promises';
import { GraphThrottledError } from './errors';

export interface MailboxLimiterOptions {
  readonly concurrency: number;
  readonly requestBudget: number;
  readonly requestWindowMs: number;
  readonly uploadBudgetBytes: number;
  readonly uploadWindowMs: number;
  /** Default {@link CLAIM_GRACE_MS}. */
  readonly claimGraceMs?: number;
}

interface Upload {
  readonly t: number;
  readonly bytes: number;
  readonly party: string;
}

interface Claim {
  readonly due: number;
  readonly until: number;
}

interface MailboxState {
  inFlight: number;
  peak: number;
  readonly waiters: (() => void)[];
  pausedUntil: number;
  readonly requests: number[];
  readonly uploads: Upload[];
  /** Parties refused upload budget lately: when they were told to come back, and until when they count as waiting. */
  readonly claims: Map<string, Claim>;
}

/** Releases a mailbox permit; idempotent. */
export type Permit = () => void;

/** Who asks, for the fair share of a mailbox's upload budget. */
export interface AcquireOptions {
  /** The connector the request is for; one limiter serves every connector that uses the same Graph app. */
  readonly party?: string;
  /** A later chunk of an upload session already under way: only the mailbox's whole budget applies to it. */
  readonly continuing?: boolean;
}

/**
 * How long a refused party keeps its claim on a mailbox's upload budget beyond the wait it was told: the time
 * for its activity to be retried (Temporal's nextRetryDelay is that wait) and to ask again.
 */
export const CLAIM_GRACE_MS = 60_000;

/** How often a party held back for a late one looks again. */
const FAIR_POLL_MS = 1_000;

/**
 * Outlook's per app + mailbox limits, enforced in this process before a request leaves: at most N in
 * flight per mailbox (FIFO), a request budget and an upload-byte budget per window, and a pause when Graph
 * says `Retry-After` for that mailbox. Other mailboxes are never slowed by one that is throttled.
 *
 * The limits belong to the app and the mailbox, so one limiter serves every connector that uses the same app
 * registration. Its upload budget is shared fairly among them, least served first: a connector refused a
 * mailbox's budget is told when to come back and holds a claim; until it has come back and taken its turn, the
 * connectors that have sent more to that mailbox in the window wait for it. A connector that has sent nothing
 * goes first, and a backfill cannot keep a mailbox's budget from another connector's items window after window.
 */
export class MailboxLimiter {
  private readonly boxes = new Map<string, MailboxState>();

  constructor(private readonly opts: MailboxLimiterOptions) {}

  private state(key: string): MailboxState {
    let s = this.boxes.get(key);
    if (!s) {
      s = { inFlight: 0, peak: 0, waiters: [], pausedUntil: 0, requests: [], uploads: [], claims: new Map() };
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
  async acquire(key: string, bytes: number, maxWaitMs: number, options: AcquireOptions = {}): Promise<Permit> {
    const s = this.state(key);
    const party = options.party ?? '';
    for (;;) {
      const now = Date.now();
      const pauseLeft = s.pausedUntil - now;
      if (pauseLeft > 0) {
        if (pauseLeft > maxWaitMs) throw new GraphThrottledError(429, 'MailboxPaused', pauseLeft, key);
        await sleep(pauseLeft);
        continue;
      }
      const budgetWait = this.budgetWait(s, bytes, now, party, options.continuing === true);
      if (budgetWait > 0) {
        if (bytes > 0) s.claims.set(party, { due: now + budgetWait, until: now + budgetWait + (this.opts.claimGraceMs ?? CLAIM_GRACE_MS) });
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
      if (bytes > 0) {
        s.uploads.push({ t: now, bytes, party });
        s.claims.delete(party);
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        s.inFlight--;
        s.waiters.shift()?.();
      };
    }
  }

  /** How long until the request budget, the byte budget and this party's fair share have room (0 = now). */
  private budgetWait(s: MailboxState, bytes: number, now: number, party: string, continuing: boolean): number {
    while (s.requests.length > 0 && (s.requests[0] ?? 0) <= now - this.opts.requestWindowMs) s.requests.shift();
    while (s.uploads.length > 0 && (s.uploads[0]?.t ?? 0) <= now - this.opts.uploadWindowMs) s.uploads.shift();
    for (const [p, c] of s.claims) if (c.until <= now) s.claims.delete(p);
    let wait = 0;
    if (s.requests.length >= this.opts.requestBudget) wait = (s.requests[0] ?? now) + this.opts.requestWindowMs - now;
    if (bytes <= 0) return Math.max(0, wait);
    // The mailbox's whole budget: wait until enough of the window has expired to fit this upload.
    wait = Math.max(wait, this.untilFits(s.uploads, this.opts.uploadBudgetBytes, bytes, now));
    // Fairness among parties, least served first: while one that has sent less in this window waits for the
    // mailbox, the others wait for it to come back and take its turn (or, at most, for their own uploads to
    // age out to no more than it has sent).
    if (!continuing && s.claims.size > 0) {
      const usage = new Map<string, number>(); // bytes in the window per party, in one pass
      for (const u of s.uploads) usage.set(u.party, (usage.get(u.party) ?? 0) + u.bytes);
      const mineUsed = usage.get(party) ?? 0;
      const ahead = [...s.claims].filter(([p]) => p !== party && (usage.get(p) ?? 0) < mineUsed);
      if (ahead.length > 0) {
        const mine = s.uploads.filter((u) => u.party === party);
        const least = Math.min(...ahead.map(([p]) => usage.get(p) ?? 0));
        const turn = Math.max(FAIR_POLL_MS, Math.min(...ahead.map(([, c]) => c.due)) - now);
        wait = Math.max(wait, Math.min(turn, this.untilFits(mine, least + bytes, bytes, now)));
      }
    }
    return Math.max(0, wait);
  }

  /** How long until `bytes` more fit under `budget` as the oldest of `uploads` leave the window (0 = now). */
  private untilFits(uploads: readonly Upload[], budget: number, bytes: number, now: number): number {
    const used = uploads.reduce((n, u) => n + u.bytes, 0);
    if (uploads.length === 0 || used + bytes <= budget) return 0;
    let freed = 0;
    for (const u of uploads) {
      freed += u.bytes;
      // Always reachable: once all of them have left, anything may go (one item larger than a budget too).
      if (used - freed + bytes <= budget || freed === used) return u.t + this.opts.uploadWindowMs - now;
    }
    return 0;
  }
}
