import { ActivityCancellationType, type Priority } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ConnectorActivities } from '../activities';
import type { FollowLiveInput, FollowLiveResult } from '../activities/contracts';
import { watchTaskQueue, type ConnectorConfig } from '../model';

/**
 * Default heartbeat timeout of the page activities: how soon a crashed worker's activity is retried elsewhere,
 * and the longest a stopping worker may wait for a cancelled activity to notice (the Helm chart's termination
 * grace covers it).
 */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 120_000;

/**
 * A live follow's heartbeat timeout: dead worker to retry. It heartbeats every 0.8 × this, so a follow that ends
 * within its 5-minute wait sends none (each is a billed action); one that runs on (finishing a window) still does.
 */
export const FOLLOW_HEARTBEAT_TIMEOUT_MS = 7 * 60_000;

/** How long a follow may take past its wait to finish the window it is in (start-to-close = wait + this). */
export const FOLLOW_WINDOW_ALLOWANCE_MS = 15 * 60_000;

/** Timeouts a deployment (or a crash test) may tune; defaults suit production. */
export interface ActivityTuning {
  /** How soon a crashed worker's activity is retried elsewhere. Page activities heartbeat per item. */
  readonly heartbeatTimeoutMs?: number;
  /** Upper bound of one fetch call (it does not heartbeat). */
  readonly fetchTimeoutMs?: number;
}

/**
 * A few quick retries inside Temporal (honouring Retry-After through nextRetryDelay); after that the
 * workflow takes over, shows the connector as throttled or failing, and keeps retrying with its own
 * backoff, without end. Configuration errors are non-retryable and wait for an operator.
 */
const retry = { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 5 } as const;

/**
 * Every activity of a connector (and of its reimports) carries the connector's name as its Temporal fairness
 * key: where the task queue runs in fairness mode, a backlog is dispatched round-robin across connectors, so
 * 50 connectors on one worker pool share it instead of the first ones running through while the others wait.
 * Where fairness is off (the server's default; a paid namespace setting on Temporal Cloud) the key is ignored.
 */
export function fairnessOf(config: Pick<ConnectorConfig, 'name' | 'schedule'>): Priority {
  return { fairnessKey: config.name, fairnessWeight: config.schedule.fairnessWeight };
}

export function activitiesFor(tuning: ActivityTuning = {}, priority?: Priority) {
  const heartbeatTimeout = tuning.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  const fair = priority ? { priority } : {};
  const quick = proxyActivities<Pick<ConnectorActivities, 'fetchPage'>>({
    startToCloseTimeout: tuning.fetchTimeoutMs ?? 180_000,
    retry,
    ...fair,
  });
  const pageWork = proxyActivities<
    Pick<
      ConnectorActivities,
      'preparePage' | 'convertPage' | 'stagePage' | 'resolvePage' | 'importPage' | 'completeWindow' | 'failedWindows' | 'proveDays'
    >
  >({
    // preparePage's fetch is bounded by its own keep-alive (prepare-batch.ts); its convert heartbeats per item.
    startToCloseTimeout: '1h',
    heartbeatTimeout,
    retry,
    ...fair,
  });
  // On the watch task queue, with its own slots; no heartbeat (it only reads, and each heartbeat is a billed action):
  // a watch lost with its worker is retried when its start-to-close timeout, its wait + 30 s, runs out (so is one
  // whose last search was slow: harmless, a watch changes nothing).
  const watchClosed: ConnectorActivities['watchClosed'] = (input) =>
    proxyActivities<Pick<ConnectorActivities, 'watchClosed'>>({
      taskQueue: watchTaskQueue(workflowInfo().taskQueue),
      startToCloseTimeout: input.maxWaitMs + 30_000,
      retry,
      ...fair,
    }).watchClosed(input);
  // The follower runs windows in-process: asked to end (cancelled), it makes a last pass and returns what it did,
  // which the workflow waits for (it reads the cancel from its lease within 15 s). It heartbeats every 0.8 × its own
  // timeout only (none in a normal follow): one lost with its worker is retried within it, and redoes the same windows.
  const followLive = (input: FollowLiveInput): Promise<FollowLiveResult> =>
    proxyActivities<{ followLive(input: FollowLiveInput): Promise<FollowLiveResult> }>({
      taskQueue: watchTaskQueue(workflowInfo().taskQueue),
      startToCloseTimeout: input.maxWaitMs + FOLLOW_WINDOW_ALLOWANCE_MS,
      heartbeatTimeout: tuning.heartbeatTimeoutMs ?? FOLLOW_HEARTBEAT_TIMEOUT_MS,
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
      retry,
      ...fair,
    }).followLive(input);
  // proxyActivities returns a Proxy: name each activity (spreading a Proxy copies nothing).
  return {
    followLive,
    watchClosed,
    preparePage: pageWork.preparePage,
    fetchPage: quick.fetchPage,
    convertPage: pageWork.convertPage,
    stagePage: pageWork.stagePage,
    resolvePage: pageWork.resolvePage,
    importPage: pageWork.importPage,
    completeWindow: pageWork.completeWindow,
    failedWindows: pageWork.failedWindows,
    proveDays: pageWork.proveDays,
  };
}

export type WindowActivities = ReturnType<typeof activitiesFor>;
