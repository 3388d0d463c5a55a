import { proxyActivities } from '@temporalio/workflow';
import type { ConnectorActivities } from '../activities';

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

export function activitiesFor(tuning: ActivityTuning = {}) {
  const heartbeatTimeout = tuning.heartbeatTimeoutMs ?? 120_000;
  const quick = proxyActivities<Pick<ConnectorActivities, 'fetchPage'>>({
    startToCloseTimeout: tuning.fetchTimeoutMs ?? 180_000,
    retry,
  });
  const pageWork = proxyActivities<Pick<ConnectorActivities, 'convertPage' | 'stagePage' | 'resolvePage' | 'importPage' | 'completeWindow' | 'failedWindows'>>({
    startToCloseTimeout: '1h',
    heartbeatTimeout,
    retry,
  });
  // proxyActivities returns a Proxy: name each activity (spreading a Proxy copies nothing).
  return {
    fetchPage: quick.fetchPage,
    convertPage: pageWork.convertPage,
    stagePage: pageWork.stagePage,
    resolvePage: pageWork.resolvePage,
    importPage: pageWork.importPage,
    completeWindow: pageWork.completeWindow,
    failedWindows: pageWork.failedWindows,
  };
}

export type WindowActivities = ReturnType<typeof activitiesFor>;
