import { proxyActivities } from '@temporalio/workflow';
import type { CleanupStagedInput, CleanupStagedResult } from '../activities/cleanup-staged';

/** Input of one scheduled cleanup (the schedule's action arguments): names only, no secrets, no personal data. */
export interface RetentionCleanupInput {
  /** The connector whose manifests and logs are cleaned. */
  readonly connector: string;
  /** Its LivePerson account, whose sealed items it shares with the account's other connectors. */
  readonly accountId: string;
  /** How soon a crashed worker's cleanup is retried elsewhere; default 2 min. */
  readonly heartbeatTimeoutMs?: number;
}

/** What one cleanup run did, as `connector status` shows it. */
export type RetentionCleanupResult = CleanupStagedResult & { readonly connector: string };

interface CleanupActivities {
  cleanupStaged(input: CleanupStagedInput): Promise<CleanupStagedResult>;
}

/** The activity's input from the workflow's: the connector's names, and the worker's retention (none is given here). */
export function cleanupActivityInput(input: RetentionCleanupInput): CleanupStagedInput {
  return { connector: input.connector, accountId: input.accountId };
}

/**
 * One retention cleanup of a connector, started by its Temporal Schedule (`lp-archive-cleanup-<name>`): deletes its
 * manifests, logs and sealed items older than the worker's retention (LPA_RETENTION_DAYS), never what is under a
 * legal hold or an immutability policy, and returns the counts. A schedule with overlap policy SKIP starts no second
 * one while this runs; each run is a short workflow of its own, so no history grows across days.
 */
export async function retentionCleanupWorkflow(input: RetentionCleanupInput): Promise<RetentionCleanupResult> {
  const { cleanupStaged } = proxyActivities<CleanupActivities>({
    // A large archive takes long to list; the heartbeat, not this bound, notices a lost worker.
    startToCloseTimeout: '12h',
    heartbeatTimeout: input.heartbeatTimeoutMs ?? 120_000,
    retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 5 },
    // The connector's fairness key: a long cleanup takes its turn with the connector's own activities.
    priority: { fairnessKey: input.connector },
  });
  const result = await cleanupStaged(cleanupActivityInput(input));
  return { connector: input.connector, ...result };
}
