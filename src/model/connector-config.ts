/**
 * A connector's configuration as the workflow carries it: plain data, already validated, durations in ms.
 * It holds *references* to credentials (`credentialsRef`), never the secrets: the worker resolves them
 * from its own environment (see src/config/secrets.ts).
 */
export const IMPORT_MODES = ['json', 'import-mime'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const EXISTENCE_CHECKS = ['always', 'after-failure'] as const;
export type ExistenceCheck = (typeof EXISTENCE_CHECKS)[number];

/**
 * Consumers and bots whose address is not in the directory (or not trusted) are outside the organisation:
 * `log-only` records them in the per-item log without counting the item as failed; `fail` counts each as a
 * failed item, as Microsoft's connectors do for any unmapped participant.
 */
export const EXTERNAL_PARTICIPANT_POLICIES = ['log-only', 'fail'] as const;
export type ExternalParticipantPolicy = (typeof EXTERNAL_PARTICIPANT_POLICIES)[number];

export interface ConnectorConfig {
  readonly name: string;
  readonly liveperson: {
    readonly accountId: string;
    readonly credentialsRef: string;
    readonly csdsBaseUrl?: string;
    readonly serviceScheme: 'https' | 'http';
    readonly source: string;
    readonly allowUnauthenticatedSdeRouting: boolean;
    /** How far back the covering `start` range reaches: conversations open longer are not found. */
    readonly maxConversationAgeMs: number;
  };
  readonly graph: {
    readonly credentialsRef: string;
    readonly baseUrl?: string;
    readonly authorityHost?: string;
    readonly folderName: string;
    readonly catchAllMailbox?: string;
    readonly mappingCsvPath?: string;
    readonly importMode: ImportMode;
    readonly existenceCheck: ExistenceCheck;
    readonly externalParticipants: ExternalParticipantPolicy;
  };
  readonly schedule: {
    /** Backfill starts here (epoch ms). */
    readonly startAt: number;
    readonly backfillWindowMs: number;
    readonly minWindowMs: number;
    readonly lagMs: number;
    readonly pollIntervalMs: number;
    /**
     * Late-arrival sweep: in live mode, every `sweepIntervalMs` the connector looks again at the last
     * `lateArrivalSweepMs` before its cursor and archives what LivePerson made searchable only after its
     * window had passed (ingestion later than `lagMs`). Absent (configs from before it existed) or 0: off.
     */
    readonly lateArrivalSweepMs?: number;
    readonly sweepIntervalMs?: number;
    /** Conversations per LivePerson request (≤ 100). */
    readonly pageSize: number;
    /**
     * Conversations per batch: one fetch → convert → stage → resolve → import chain of activities handles
     * this many (several LivePerson pages), which keeps Temporal actions per conversation low. Absent in
     * configs from before it existed: then a batch is one page.
     */
    readonly batchSize?: number;
    /**
     * Conversations per batch in a window that starts while the worker is crowded (other connectors are waiting
     * for its activity slots, see ActivitySlots): smaller units of work, so the pool goes round the connectors instead
     * of the first ones holding it with long activities. At most `batchSize`. Absent in configs from before it
     * existed: 50.
     */
    readonly busyBatchSize?: number;
    readonly pageConcurrency: number;
    /**
     * This connector's share of the worker pool against the other connectors on the task queue, where the
     * queue runs in Temporal's fairness mode (every activity carries the connector name as fairness key).
     * Absent in configs from before it existed: 1.
     */
    readonly fairnessWeight?: number;
  };
  readonly limits: {
    readonly maxItemBytes: number;
  };
}

/** The connector's fairness weight (see `schedule.fairnessWeight`). */
export function fairnessWeightOf(config: Pick<ConnectorConfig, 'schedule'>): number {
  return config.schedule.fairnessWeight ?? 1;
}

/** Conversations one chain of page activities handles (see `schedule.batchSize`). */
export function batchSizeOf(config: ConnectorConfig): number {
  return config.schedule.batchSize ?? config.schedule.pageSize;
}

/** Default of `schedule.busyBatchSize`. */
export const DEFAULT_BUSY_BATCH_SIZE = 50;

/** Conversations per batch of a window cut while the worker is busy (see `schedule.busyBatchSize`). */
export function busyBatchSizeOf(config: ConnectorConfig): number {
  return Math.min(config.schedule.busyBatchSize ?? DEFAULT_BUSY_BATCH_SIZE, batchSizeOf(config));
}
