import { ScheduleNotFoundError, WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { cleanupScheduleId } from '../model';
import type { RetentionCleanupResult } from '../workflows/cleanup-workflow';
import { describeTiming, timingOfSpec } from './cleanup-timing';

/** The last run of a connector's retention cleanup, as the schedule and the run's workflow tell it. */
export interface CleanupRunStatus {
  readonly workflowId: string;
  readonly runId: string;
  readonly startedAt: string;
  /** The run's Temporal status in lower case (running, completed, failed, timed_out, terminated, canceled), or expired. */
  readonly status: string;
  readonly closedAt?: string;
  /** What it did (completed runs): counts per container kind, the cutoff, or why it deleted nothing. */
  readonly result?: RetentionCleanupResult;
  /** Why it did not complete (failed runs). */
  readonly error?: string;
}

/** A connector's retention cleanup for `connector status`: read from its Temporal Schedule, not the connector's state. */
export interface CleanupStatus {
  readonly scheduleId: string;
  readonly scheduled: boolean;
  /** E.g. "every 1d at 03:00 UTC"; absent when the schedule was given a spec of another shape. */
  readonly timing?: string;
  readonly paused?: boolean;
  readonly note?: string;
  readonly nextRunAt?: string;
  readonly lastRun?: CleanupRunStatus;
  /** Reading the schedule or the run failed: the status says so instead of failing the whole command. */
  readonly error?: string;
}

/** Reads the connector's cleanup schedule and its newest run. Never throws: a failure to read becomes `error`. */
export async function readCleanupStatus(client: Client, connector: string): Promise<CleanupStatus> {
  const scheduleId = cleanupScheduleId(connector);
  try {
    const d = await client.schedule.getHandle(scheduleId).describe();
    const timing = timingOfSpec(d.spec);
    const next = d.info.nextActionTimes[0];
    const newest = d.info.recentActions.at(-1);
    return {
      scheduleId,
      scheduled: true,
      ...(timing ? { timing: describeTiming(timing) } : {}),
      paused: d.state.paused,
      ...(d.state.paused && d.state.note ? { note: d.state.note } : {}),
      ...(next && !d.state.paused ? { nextRunAt: next.toISOString() } : {}),
      ...(newest ? { lastRun: await readRun(client, newest.action.workflow, newest.takenAt) } : {}),
    };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return { scheduleId, scheduled: false };
    return { scheduleId, scheduled: false, error: err instanceof Error ? err.message : String(err) };
  }
}

async function readRun(
  client: Client,
  { workflowId, firstExecutionRunId: runId }: { workflowId: string; firstExecutionRunId: string },
  takenAt: Date,
): Promise<CleanupRunStatus> {
  const handle = client.workflow.getHandle(workflowId, runId);
  let d;
  try {
    d = await handle.describe();
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    // The schedule remembers runs longer than the namespace keeps their histories.
    const error = 'its workflow is past the namespace retention, so its result can no longer be read';
    return { workflowId, runId, startedAt: takenAt.toISOString(), status: 'expired', error };
  }
  const status = d.status.name.toLowerCase();
  const base = {
    workflowId,
    runId,
    startedAt: d.startTime.toISOString(),
    status,
    ...(d.closeTime ? { closedAt: d.closeTime.toISOString() } : {}),
  };
  if (status === 'completed') return { ...base, result: (await handle.result()) as RetentionCleanupResult };
  if (status === 'running') return base;
  try {
    await handle.result();
    return base;
  } catch (err) {
    const cause = err instanceof WorkflowFailedError && err.cause ? err.cause : err;
    return { ...base, error: cause instanceof Error ? innermost(cause).message : String(cause) };
  }
}

/** The activity's own message under Temporal's wrappers ("Activity task failed" → the storage error). */
function innermost(err: Error): Error {
  let e = err;
  while (e.cause instanceof Error) e = e.cause;
  return e;
}
