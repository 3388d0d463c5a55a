import { proxyActivities } from '@temporalio/workflow';
import type { ConnectorActivities } from '../activities';

/** Transient failures retry without end, backing off to 5 minutes; config errors are non-retryable. */
const retry = { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5m' } as const;

export const quick = proxyActivities<Pick<ConnectorActivities, 'fetchPage' | 'completeWindow'>>({
  startToCloseTimeout: '3m',
  retry,
});

export const pageWork = proxyActivities<Pick<ConnectorActivities, 'convertPage' | 'stagePage' | 'resolvePage'>>({
  startToCloseTimeout: '15m',
  retry,
});

/** Import heartbeats its progress, so a dead worker is noticed in a minute, not at the timeout. */
export const importer = proxyActivities<Pick<ConnectorActivities, 'importPage'>>({
  startToCloseTimeout: '1h',
  heartbeatTimeout: '1m',
  retry,
});
