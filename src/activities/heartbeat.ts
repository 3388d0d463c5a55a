import { Context } from '@temporalio/activity';

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
  ctx.heartbeat(details);
}

/** Logs a warning through the activity's logger (with its context), or to the console outside an activity. */
export function warn(message: string, attrs: Record<string, unknown>): void {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    console.warn(message, attrs);
    return;
  }
  ctx.log.warn(message, attrs);
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
