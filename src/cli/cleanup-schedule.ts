import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import { cleanupScheduleId } from '../model';
import type { RetentionCleanupInput, retentionCleanupWorkflow } from '../workflows/cleanup-workflow';
import { cleanupSpec, DEFAULT_CLEANUP_TIMING, timingOfSpec, type CleanupTiming } from './cleanup-timing';

/** Whose cleanup a schedule runs: the connector and the LivePerson account of its sealed items. */
export interface CleanupTarget {
  readonly connector: string;
  readonly accountId: string;
}

type CleanupAction = ScheduleOptionsStartWorkflowAction<typeof retentionCleanupWorkflow>;

/** What {@link ensureCleanupSchedule} did. */
export interface EnsuredSchedule {
  readonly scheduleId: string;
  readonly outcome: 'created' | 'updated' | 'unchanged';
  /** The timing now in force (undefined when an operator gave the schedule a spec of another shape). */
  readonly timing?: CleanupTiming;
}

/**
 * The schedule of a connector's retention cleanup: one `retentionCleanupWorkflow` per interval on the connectors' task
 * queue; SKIP while one still runs; missed runs caught up once within an interval (not one per missed day).
 */
export function cleanupScheduleOptions(target: CleanupTarget, taskQueue: string, timing: CleanupTiming): ScheduleOptions<CleanupAction> {
  const scheduleId = cleanupScheduleId(target.connector);
  const args: [RetentionCleanupInput] = [{ connector: target.connector, accountId: target.accountId }];
  return {
    scheduleId,
    spec: cleanupSpec(timing),
    action: {
      type: 'startWorkflow',
      workflowType: 'retentionCleanupWorkflow',
      workflowId: scheduleId,
      taskQueue,
      args,
      staticSummary: `Retention cleanup of connector "${target.connector}" (account ${target.accountId})`,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: timing.everyMs, pauseOnFailure: false },
    state: { note: `lp-archive: retention cleanup of connector "${target.connector}"; removed by "connector delete".` },
  };
}

/**
 * Creates the connector's cleanup schedule, or brings an existing one's action (task queue, account) up to date.
 * Idempotent: a second call changes nothing. An existing schedule keeps its timing (an operator may have changed it)
 * unless `timing` is given, and keeps its paused state.
 */
export async function ensureCleanupSchedule(
  client: Client,
  taskQueue: string,
  target: CleanupTarget,
  timing?: CleanupTiming,
): Promise<EnsuredSchedule> {
  const wanted = cleanupScheduleOptions(target, taskQueue, timing ?? DEFAULT_CLEANUP_TIMING);
  try {
    await client.schedule.create(wanted);
    return { scheduleId: wanted.scheduleId, outcome: 'created', timing: timing ?? DEFAULT_CLEANUP_TIMING };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(wanted.scheduleId);
  const current = await handle.describe();
  const args = current.action.args?.[0] as Partial<RetentionCleanupInput> | undefined;
  const sameAction =
    current.action.workflowType === wanted.action.workflowType &&
    current.action.taskQueue === taskQueue &&
    args?.connector === target.connector &&
    args?.accountId === target.accountId;
  const currentTiming = timingOfSpec(current.spec);
  const sameTiming =
    !timing || (currentTiming?.everyMs === timing.everyMs && currentTiming.atMs % timing.everyMs === timing.atMs % timing.everyMs);
  if (sameAction && sameTiming)
    return { scheduleId: wanted.scheduleId, outcome: 'unchanged', ...(currentTiming ? { timing: currentTiming } : {}) };
  await handle.update((previous) => ({
    spec: timing ? wanted.spec : previous.spec,
    action: wanted.action,
    policies: { ...wanted.policies, catchupWindow: timing ? timing.everyMs : previous.policies.catchupWindow },
    state: { paused: previous.state.paused, ...(previous.state.note ? { note: previous.state.note } : {}) },
  }));
  const now = timing ?? currentTiming;
  return { scheduleId: wanted.scheduleId, outcome: 'updated', ...(now ? { timing: now } : {}) };
}

/** Deletes the connector's cleanup schedule; false when it had none. Archived data is not touched. */
export async function deleteCleanupSchedule(client: Client, connector: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(cleanupScheduleId(connector)).delete();
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}
