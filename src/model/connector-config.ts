/**
 * A connector's configuration: the one definition is the zod schema in `connector-schema.ts` (the file format,
 * YAML or JSON, durations such as "5m"); parsing a file yields the {@link ConnectorConfig} the workflow carries
 * (plain data, durations in ms, every default filled). This file holds what workflows need without zod. Bounds live in {@link CONFIG_BOUNDS} and {@link configProblems},
 * used alike by the schema (CLI: check, start, reconfigure) and by the workflow's reconfigure validator.
 * Secrets are never in it: only `credentialsRef` prefixes, resolved by the worker from its environment.
 */
import type { connectorConfigSchema } from './connector-schema';
import { resolveGraphCloud } from './graph-clouds';
import type { z } from 'zod';

const DAY = 86_400_000;

/** Limits of the services and of the pipeline, named once. */
export const CONFIG_BOUNDS = {
  /** LivePerson keeps 13 months of conversations. */
  retentionMs: 395 * DAY,
  /** LivePerson data lags up to about a minute. */
  minLagMs: 60_000,
  /** LivePerson caps one query at 3 months. */
  maxBackfillWindowMs: 90 * DAY,
  maxLateArrivalSweepMs: DAY,
  minSweepIntervalMs: 10_000,
  /** Engagement History makes every chat searchable within 2 hours of its end. */
  chatIndexingMs: 2 * 60 * 60_000,
  maxCompletenessRecheckMs: 30 * DAY,
  /** LivePerson returns at most 100 conversations per request. */
  maxPageSize: 100,
  maxBatchSize: 2000,
  maxPageConcurrency: 8,
  /** Temporal clamps fairness weights to this range. */
  minFairnessWeight: 0.001,
  maxFairnessWeight: 1000,
  /** Microsoft 365 accepts items up to 150 MB. */
  maxItemBytes: 150 * 1024 * 1024,
} as const;

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

/** Default of `schedule.busyBatchSize`. */
export const DEFAULT_BUSY_BATCH_SIZE = 50;

/** What the docs generator and the error messages say about a field (zod metadata). */
export interface FieldDoc {
  readonly description: string;
  readonly example?: string;
}

/** A connector's configuration as the workflow carries it (see connector-schema.ts). */
export type ConnectorConfig = z.output<typeof connectorConfigSchema>;

/** A rule the parsed config breaks: the file field and the message (names the bound and the fix). */
export interface ConfigProblem {
  readonly path: string[];
  readonly message: string;
}

/**
 * The rules between schedule fields and the bounds a running connector depends on, on the parsed values: the
 * schema runs them on every file (check, start, reconfigure) and the workflow's reconfigure validator runs them
 * through configProblems, so neither can accept what the other refuses.
 */
export function scheduleProblems(s: ConnectorConfig['schedule']): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const problem = (field: string, message: string): void => void out.push({ field, message });
  const positive: [string, number][] = [
    ['backfillWindow', s.backfillWindowMs],
    ['minWindow', s.minWindowMs],
    ['lag', s.lagMs],
    ['pollInterval', s.pollIntervalMs],
    ['pageSize', s.pageSize],
    ['pageConcurrency', s.pageConcurrency],
  ];
  for (const [field, v] of positive) if (!Number.isFinite(v) || v <= 0) problem(field, `schedule.${field} must be positive`);
  if (s.lagMs < CONFIG_BOUNDS.minLagMs) problem('lag', 'schedule.lag must be at least 1m: LivePerson data lags up to about a minute');
  if (s.backfillWindowMs > CONFIG_BOUNDS.maxBackfillWindowMs)
    problem('backfillWindow', 'schedule.backfillWindow must be at most 90d (LivePerson caps a query at 3 months)');
  if (s.lateArrivalSweepMs > CONFIG_BOUNDS.maxLateArrivalSweepMs)
    problem('lateArrivalSweep', 'schedule.lateArrivalSweep must be at most 24h ("0m" turns the sweep off)');
  if (s.lateArrivalSweepMs !== 0 && s.sweepIntervalMs < CONFIG_BOUNDS.minSweepIntervalMs)
    problem('sweepInterval', 'schedule.sweepInterval must be at least 10s');
  if (s.completenessCheckMs !== 0 && s.completenessCheckMs < CONFIG_BOUNDS.minSweepIntervalMs)
    problem('completenessCheck', 'schedule.completenessCheck must be at least 10s ("0m" turns the completeness proof off)');
  if (s.completenessRecheckMs > CONFIG_BOUNDS.maxCompletenessRecheckMs)
    problem('completenessRecheck', 'schedule.completenessRecheck must be at most 30d');
  if (s.minWindowMs > s.backfillWindowMs) problem('minWindow', 'schedule.minWindow must not exceed schedule.backfillWindow');
  if (s.pageSize > CONFIG_BOUNDS.maxPageSize) problem('pageSize', 'schedule.pageSize must be at most 100');
  for (const field of ['batchSize', 'busyBatchSize'] as const) {
    const v = s[field];
    if (!Number.isInteger(v) || v < 1 || v > CONFIG_BOUNDS.maxBatchSize)
      problem(field, `schedule.${field} must be a whole number from 1 to 2000`);
  }
  const w = s.fairnessWeight;
  if (!Number.isFinite(w) || w < CONFIG_BOUNDS.minFairnessWeight || w > CONFIG_BOUNDS.maxFairnessWeight)
    problem('fairnessWeight', 'schedule.fairnessWeight must be from 0.001 to 1000');
  return out;
}

/**
 * The rules of the legacy chat source, when it is on: its sweep must reach past Engagement History's 2-hour
 * indexing, plus the chat lag and one sweep interval (a chat indexed just after a sweep is read by the next).
 */
export function sourceProblems(c: ConnectorConfig): ConfigProblem[] {
  if (!c.liveperson.sources.includes('chat')) return [];
  const s = c.schedule;
  const out: ConfigProblem[] = [];
  const floor = CONFIG_BOUNDS.chatIndexingMs + s.chatLagMs + s.sweepIntervalMs;
  if (s.chatLagMs < CONFIG_BOUNDS.minLagMs) out.push({ path: ['schedule', 'chatLag'], message: 'schedule.chatLag must be at least 1m' });
  if (s.sweepIntervalMs < CONFIG_BOUNDS.minSweepIntervalMs)
    out.push({
      path: ['schedule', 'sweepInterval'],
      message: 'schedule.sweepInterval must be at least 10s: the chat late-arrival sweep runs at it',
    });
  if (s.chatLateArrivalSweepMs < floor)
    out.push({
      path: ['schedule', 'chatLateArrivalSweep'],
      message: `schedule.chatLateArrivalSweep must be at least 2h + schedule.chatLag + schedule.sweepInterval (${Math.ceil(floor / 60_000)}m): Engagement History makes a chat searchable up to 2 hours after it ended, and only the sweep finds it then`,
    });
  if (s.chatLateArrivalSweepMs > CONFIG_BOUNDS.maxLateArrivalSweepMs)
    out.push({ path: ['schedule', 'chatLateArrivalSweep'], message: 'schedule.chatLateArrivalSweep must be at most 24h' });
  return out;
}

/** Every rule of {@link scheduleProblems} and {@link sourceProblems}, with the path of each field, for a whole config. */
export function configProblems(c: ConnectorConfig): ConfigProblem[] {
  return [...scheduleProblems(c.schedule).map((p) => ({ path: ['schedule', p.field], message: p.message })), ...sourceProblems(c)];
}

type OptionalScheduleField =
  | 'lateArrivalSweepMs'
  | 'sweepIntervalMs'
  | 'batchSize'
  | 'busyBatchSize'
  | 'fairnessWeight'
  | 'completenessCheckMs'
  | 'completenessRecheckMs'
  | 'chatLagMs'
  | 'chatLateArrivalSweepMs';

type OptionalLivePersonField = 'sources' | 'maxChatDurationMs';

const DEFAULT_COMPLETENESS_CHECK_MS = 60 * 60_000;
const DEFAULT_COMPLETENESS_RECHECK_MS = 2 * DAY;
const DEFAULT_CHAT_LAG_MS = 5 * 60_000;
const DEFAULT_CHAT_LATE_ARRIVAL_SWEEP_MS = 3 * 60 * 60_000;
const DEFAULT_MAX_CHAT_DURATION_MS = DAY;

/** A config as workflows started before some fields existed carried it (those fields absent). */
export type ConfigOfAnyAge = Omit<ConnectorConfig, 'schedule' | 'graph' | 'liveperson'> & {
  readonly liveperson: Omit<ConnectorConfig['liveperson'], OptionalLivePersonField> &
    Partial<Pick<ConnectorConfig['liveperson'], OptionalLivePersonField>>;
  readonly graph: Omit<ConnectorConfig['graph'], 'cloud' | 'trustedAuthority'> &
    Partial<Pick<ConnectorConfig['graph'], 'cloud' | 'trustedAuthority'>>;
  readonly schedule: Omit<ConnectorConfig['schedule'], OptionalScheduleField> &
    Partial<Pick<ConnectorConfig['schedule'], OptionalScheduleField>>;
};

/**
 * Fills the fields a config from before they existed lacks, with what such a connector did then: no
 * late-arrival sweep, a batch of one page, busy batches of 50, weight 1, the cloud of its Graph endpoint. Done once, where a workflow run or
 * an activity receives its config, so that nothing else needs a fallback.
 */
export function upgradeConfig(c: ConfigOfAnyAge): ConnectorConfig {
  const s = c.schedule;
  const batchSize = s.batchSize ?? s.pageSize;
  return {
    ...c,
    // Before legacy chat: messaging only.
    liveperson: {
      ...c.liveperson,
      sources: c.liveperson.sources ?? ['messaging'],
      maxChatDurationMs: c.liveperson.maxChatDurationMs ?? DEFAULT_MAX_CHAT_DURATION_MS,
    },
    // Before national clouds: the cloud of its Graph endpoint, and instance discovery on.
    graph: { ...c.graph, cloud: resolveGraphCloud(c.graph), trustedAuthority: c.graph.trustedAuthority ?? false },
    schedule: {
      ...s,
      lateArrivalSweepMs: s.lateArrivalSweepMs ?? 0,
      sweepIntervalMs: s.sweepIntervalMs ?? 0,
      batchSize,
      busyBatchSize: s.busyBatchSize ?? Math.min(DEFAULT_BUSY_BATCH_SIZE, batchSize),
      fairnessWeight: s.fairnessWeight ?? 1,
      // Unlike the fields above, the proof is turned on for older connectors too: a missing record must be reported.
      completenessCheckMs: s.completenessCheckMs ?? DEFAULT_COMPLETENESS_CHECK_MS,
      completenessRecheckMs: s.completenessRecheckMs ?? DEFAULT_COMPLETENESS_RECHECK_MS,
      chatLagMs: s.chatLagMs ?? DEFAULT_CHAT_LAG_MS,
      chatLateArrivalSweepMs: s.chatLateArrivalSweepMs ?? DEFAULT_CHAT_LATE_ARRIVAL_SWEEP_MS,
    },
  };
}
