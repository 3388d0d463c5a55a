import { CancelledFailure, Context } from '@temporalio/activity';

/**
 * Tells Temporal this activity is alive (page activities call it per item, so a crashed worker's
 * activity is retried within the heartbeat timeout). A no-op when called outside an activity (unit tests).
 */
export function heartbeat(details?: unknown): void {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return;
  }
  if (details !== undefined) lastDetails.set(ctx, details);
  if (!watched(ctx)) return;
  // Each heartbeat that reaches the server is a billed action. A young attempt need not heartbeat yet: the
  // server only declares it lost after the heartbeat timeout, and a retry re-checks what it wrote anyway.
  const { currentAttemptScheduledTimestampMs: startedAt, heartbeatTimeoutMs } = ctx.info;
  const now = Date.now();
  const grace = Math.min(30_000, (heartbeatTimeoutMs ?? 0) / 4);
  if (now - startedAt < grace) return;
  // The SDK serialises the details of every call it takes: with per-item calls and growing progress details
  // that is megabytes of garbage per page. A few calls per second are plenty to beat the timeout, and a
  // resumed attempt checks what it wrote after the last heartbeat that got through anyway.
  const gap = Math.min(MAX_HEARTBEAT_GAP_MS, (heartbeatTimeoutMs ?? 0) / 5);
  if (now - (lastSent.get(ctx) ?? 0) < gap) return;
  lastSent.set(ctx, now);
  ctx.heartbeat(details ?? lastDetails.get(ctx));
}

/** Passes progress to the SDK now, whatever the pacing (before an attempt ends with a retryable failure). */
export function heartbeatNow(details: unknown): void {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return;
  }
  lastDetails.set(ctx, details);
  if (!watched(ctx)) return;
  lastSent.set(ctx, Date.now());
  ctx.heartbeat(details);
}

/**
 * Whether the steps' heartbeats are passed on: not when the server does not watch them (no heartbeat timeout: a
 * billed action for nothing), nor when the activity paces its own (the live follower, see withOwnHeartbeat).
 */
function watched(ctx: Context): boolean {
  return (ctx.info.heartbeatTimeoutMs ?? 0) > 0 && !selfPaced.has(ctx);
}

/** Activities that send their own heartbeats, at their own pace (withOwnHeartbeat). */
const selfPaced = new WeakSet<Context>();

/**
 * Runs `body` heartbeating only every 0.8 × the heartbeat timeout (the SDK's own pace), whatever the steps it runs
 * call: a long-running activity then costs one billed heartbeat per that interval, busy or idle, and a dead
 * worker is still found within the timeout.
 */
export async function withOwnHeartbeat<T>(body: () => Promise<T>): Promise<T> {
  const ctx = currentActivity();
  const timeout = ctx?.info.heartbeatTimeoutMs ?? 0;
  if (!ctx || timeout <= 0) return body();
  selfPaced.add(ctx);
  const timer = setInterval(() => ctx.heartbeat(), timeout * 0.8);
  try {
    return await body();
  } finally {
    clearInterval(timer);
  }
}

/** Longest wait between two heartbeats an activity passes to the SDK (shorter when the timeout is short). */
const MAX_HEARTBEAT_GAP_MS = 2_000;

/** When each running activity last passed a heartbeat to the SDK. */
const lastSent = new WeakMap<Context, number>();

/** The last progress details each running activity heartbeated (re-sent by the keep-alive). */
const lastDetails = new WeakMap<Context, unknown>();

/** The running activity's context; undefined outside an activity (unit tests). */
function currentActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** Logs a warning through the activity's logger (with its context), or to the console outside an activity. */
export function warn(message: string, attrs: Record<string, unknown>): void {
  const ctx = currentActivity();
  if (ctx) ctx.log.warn(message, attrs);
  else console.warn(message, attrs);
}

/** Logs an info line through the activity's logger (with its context); nothing outside an activity. */
export function info(message: string, attrs: Record<string, unknown>): void {
  currentActivity()?.log.info(message, attrs);
}

/** This attempt's number and the details the previous attempt heartbeated (attempt 1, none, outside an activity). */
export function attemptInfo(): { attempt: number; heartbeatDetails: unknown } {
  try {
    const info = Context.current().info;
    return { attempt: info.attempt, heartbeatDetails: info.heartbeatDetails };
  } catch {
    return { attempt: 1, heartbeatDetails: undefined };
  }
}

/**
 * Runs `body` while heartbeating every `everyMs` (default: a quarter of the heartbeat timeout, at most 20 s,
 * with the last details given to `heartbeat`), so one long call (a 150 MB upload that waits for the
 * mailbox's byte budget, a Retry-After wait, a slow file download) does not look like a dead worker. That
 * matters for exactly-once: an attempt the server wrongly thinks dead is retried elsewhere while it still
 * runs. A crashed worker still stops heartbeating, so crash detection keeps working.
 */
export async function withKeepAlive<T>(body: () => Promise<T>, everyMs?: number): Promise<T> {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return body();
  }
  const timeout = ctx.info.heartbeatTimeoutMs ?? 0;
  if (!watched(ctx)) return body();
  const interval = everyMs ?? Math.max(1_000, Math.min(20_000, timeout > 0 ? timeout / 4 : 20_000));
  const timer = setInterval(() => ctx.heartbeat(lastDetails.get(ctx)), interval);
  try {
    return await body();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Throws when Temporal has cancelled this attempt (for instance because it timed out and was retried
 * elsewhere): call it before a side effect that must not happen twice. Outside an activity it does nothing.
 */
export function throwIfCancelled(): void {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return;
  }
  if (ctx.cancellationSignal.aborted) {
    const reason: unknown = ctx.cancellationSignal.reason;
    throw reason instanceof Error ? reason : new CancelledFailure(`activity cancelled: ${String(reason)}`);
  }
}
