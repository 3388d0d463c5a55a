import type { ConnectorConfig } from '../model';

/**
 * The workflow's own check of a new configuration (the CLI has already validated the file with zod):
 * it guards the invariants the running connector depends on. Throws to reject the update.
 */
export function checkReconfigure(current: ConnectorConfig, next: ConnectorConfig): void {
  if (next.name !== current.name) {
    throw new Error(`reconfigure: the name cannot change ("${current.name}" → "${next.name}"); start a new connector instead`);
  }
  if (next.liveperson.accountId !== current.liveperson.accountId) {
    throw new Error('reconfigure: liveperson.accountId cannot change on a running connector; start a new connector for another account');
  }
  const s = next.schedule;
  const positive = [s.backfillWindowMs, s.minWindowMs, s.lagMs, s.pollIntervalMs, s.pageSize, s.pageConcurrency];
  if (positive.some((v) => !Number.isFinite(v) || v <= 0)) throw new Error('reconfigure: schedule values must be positive');
  if (s.lagMs < 60_000) throw new Error('reconfigure: schedule.lag must be at least 1m');
  if (s.pageSize > 100) throw new Error('reconfigure: schedule.pageSize must be at most 100');
  if (s.batchSize !== undefined && (!Number.isInteger(s.batchSize) || s.batchSize < 1 || s.batchSize > 2000)) {
    throw new Error('reconfigure: schedule.batchSize must be a whole number from 1 to 2000');
  }
  if (s.busyBatchSize !== undefined && (!Number.isInteger(s.busyBatchSize) || s.busyBatchSize < 1 || s.busyBatchSize > 2000)) {
    throw new Error('reconfigure: schedule.busyBatchSize must be a whole number from 1 to 2000');
  }
  const w = s.fairnessWeight;
  if (w !== undefined && (!Number.isFinite(w) || w < 0.001 || w > 1000))
    throw new Error('reconfigure: schedule.fairnessWeight must be from 0.001 to 1000');
}
