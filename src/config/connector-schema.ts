import { z } from 'zod';
import { LpArchiveError } from '../model/errors';
import { DEFAULT_BUSY_BATCH_SIZE, parseDuration, type ConnectorConfig } from '../model';

const RETENTION_MS = 395 * 86_400_000; // LivePerson keeps 13 months of conversations

const duration = (field: string, example: string) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `${field} must be a duration such as "${example}" (units ms, s, m, h, d)` });
      return z.NEVER;
    }
    return ms;
  });

const envRef = z
  .string()
  .regex(
    /^[A-Z][A-Z0-9_]*$/,
    'must be an environment variable prefix in UPPER_SNAKE_CASE, e.g. LP_PROD (the worker reads LP_PROD_CLIENT_ID, ...)',
  );

/** The connector file format (YAML or JSON). Secrets are never in it: only `credentialsRef` prefixes. */
export const connectorFileSchema = z.object({
  name: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,62}$/,
      'must be 1-63 characters of a-z, 0-9 and "-", starting with a letter or digit (it names the workflow)',
    ),
  liveperson: z.object({
    accountId: z
      .union([z.string(), z.number()])
      .transform(String)
      .pipe(z.string().regex(/^\d{3,12}$/, 'must be the numeric LivePerson account (site) id')),
    credentialsRef: envRef,
    csdsBaseUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://api.liveperson.net' }).optional(),
    serviceScheme: z.enum(['https', 'http']).default('https'),
    source: z.string().min(1).max(20, 'LivePerson allows at most 20 characters in `source`').default('lp-archive'),
    allowUnauthenticatedSdeRouting: z.boolean().default(false),
    maxConversationAge: duration('liveperson.maxConversationAge', '85d')
      .default(85 * 86_400_000)
      .refine((ms) => ms >= 86_400_000 && ms <= RETENTION_MS, {
        message: 'liveperson.maxConversationAge must be between 1d and 395d (LivePerson retention)',
      }),
  }),
  graph: z.object({
    credentialsRef: envRef,
    baseUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://graph.microsoft.com/v1.0' }).optional(),
    authorityHost: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://login.microsoftonline.com' }).optional(),
    folderName: z.string().min(1).max(255).default('LivePerson Conversational Cloud DataParser'),
    catchAllMailbox: z.email({ message: 'must be the e-mail address (UPN) of the catch-all mailbox' }).optional(),
    mappingCsvPath: z.string().min(1).optional(),
    // The beta importMime path cannot carry our import key as a named property; until its dedupe is built,
    // only the JSON create is accepted (say so rather than silently ignore the setting).
    importMode: z
      .enum(['json', 'import-mime'])
      .default('json')
      .refine((m) => m === 'json', {
        message: 'import-mime is not supported yet; use json (the default), which creates non-draft items with the import key',
      }),
    existenceCheck: z.enum(['always', 'after-failure']).default('always'),
    externalParticipants: z.enum(['log-only', 'fail']).default('log-only'),
  }),
  schedule: z
    .object({
      startDate: z.iso
        .datetime({ offset: true, message: 'must be an ISO date-time such as 2026-01-01T00:00:00Z' })
        .or(z.iso.date({ message: 'must be a date such as 2026-01-01' })),
      backfillWindow: duration('schedule.backfillWindow', '1d').default(86_400_000),
      minWindow: duration('schedule.minWindow', '30s').default(30_000),
      lag: duration('schedule.lag', '1m').default(60_000),
      pollInterval: duration('schedule.pollInterval', '30s').default(30_000),
      lateArrivalSweep: duration('schedule.lateArrivalSweep', '30m').default(30 * 60_000),
      sweepInterval: duration('schedule.sweepInterval', '10m').default(10 * 60_000),
      pageSize: z.number().int().min(1).max(100, 'LivePerson returns at most 100 conversations per page').default(100),
      batchSize: z.number().int().min(1).max(2000, 'schedule.batchSize must be at most 2000 conversations').default(500),
      busyBatchSize: z
        .number()
        .int()
        .min(1)
        .max(2000, 'schedule.busyBatchSize must be at most 2000 conversations')
        .default(DEFAULT_BUSY_BATCH_SIZE),
      pageConcurrency: z.number().int().min(1).max(8).default(2),
      fairnessWeight: z
        .number()
        .min(0.001, 'schedule.fairnessWeight must be at least 0.001')
        .max(1000, 'schedule.fairnessWeight must be at most 1000 (Temporal clamps weights to 0.001-1000)')
        .default(1),
    })
    .refine((s) => s.lag >= 60_000, {
      path: ['lag'],
      message: 'schedule.lag must be at least 1m: LivePerson data lags up to about a minute',
    })
    .refine((s) => s.backfillWindow <= 90 * 86_400_000, {
      path: ['backfillWindow'],
      message: 'schedule.backfillWindow must be at most 90d (LivePerson caps a query at 3 months)',
    })
    .refine((s) => s.lateArrivalSweep <= 24 * 3_600_000, {
      path: ['lateArrivalSweep'],
      message: 'schedule.lateArrivalSweep must be at most 24h ("0m" turns the sweep off)',
    })
    .refine((s) => s.lateArrivalSweep === 0 || s.sweepInterval >= 10_000, {
      path: ['sweepInterval'],
      message: 'schedule.sweepInterval must be at least 10s',
    })
    .refine((s) => s.minWindow <= s.backfillWindow, {
      path: ['minWindow'],
      message: 'schedule.minWindow must not exceed schedule.backfillWindow',
    }),
  limits: z
    .object({
      maxItemBytes: z
        .number()
        .int()
        .min(1)
        .max(150 * 1024 * 1024, 'Microsoft 365 accepts items up to 150 MB')
        .default(150 * 1024 * 1024),
    })
    .default({ maxItemBytes: 150 * 1024 * 1024 }),
});

export type ConnectorFile = z.input<typeof connectorFileSchema>;

export class ConfigError extends LpArchiveError {
  readonly kind = 'configuration';
  constructor(readonly problems: readonly string[]) {
    super(`The connector config is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates a parsed config file; throws ConfigError with one line per wrong field. `now` bounds the start date. */
export function parseConnectorConfig(input: unknown, now: number): ConnectorConfig {
  const parsed = connectorFileSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`));
  }
  const f = parsed.data;
  const startAt = Date.parse(f.schedule.startDate);
  const problems: string[] = [];
  if (startAt > now) problems.push('schedule.startDate: is in the future; use a past date (the backfill starts there)');
  if (startAt < now - RETENTION_MS)
    problems.push('schedule.startDate: is older than LivePerson keeps conversations (13 months); use a later date');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    name: f.name,
    liveperson: {
      accountId: f.liveperson.accountId,
      credentialsRef: f.liveperson.credentialsRef,
      ...(f.liveperson.csdsBaseUrl ? { csdsBaseUrl: f.liveperson.csdsBaseUrl } : {}),
      serviceScheme: f.liveperson.serviceScheme,
      source: f.liveperson.source,
      allowUnauthenticatedSdeRouting: f.liveperson.allowUnauthenticatedSdeRouting,
      maxConversationAgeMs: f.liveperson.maxConversationAge,
    },
    graph: {
      credentialsRef: f.graph.credentialsRef,
      ...(f.graph.baseUrl ? { baseUrl: f.graph.baseUrl } : {}),
      ...(f.graph.authorityHost ? { authorityHost: f.graph.authorityHost } : {}),
      folderName: f.graph.folderName,
      ...(f.graph.catchAllMailbox ? { catchAllMailbox: f.graph.catchAllMailbox } : {}),
      ...(f.graph.mappingCsvPath ? { mappingCsvPath: f.graph.mappingCsvPath } : {}),
      importMode: f.graph.importMode,
      existenceCheck: f.graph.existenceCheck,
      externalParticipants: f.graph.externalParticipants,
    },
    schedule: {
      startAt,
      backfillWindowMs: f.schedule.backfillWindow,
      minWindowMs: f.schedule.minWindow,
      lagMs: f.schedule.lag,
      pollIntervalMs: f.schedule.pollInterval,
      lateArrivalSweepMs: f.schedule.lateArrivalSweep,
      sweepIntervalMs: f.schedule.sweepInterval,
      pageSize: f.schedule.pageSize,
      batchSize: Math.max(f.schedule.batchSize, f.schedule.pageSize),
      busyBatchSize: Math.min(f.schedule.busyBatchSize, Math.max(f.schedule.batchSize, f.schedule.pageSize)),
      pageConcurrency: f.schedule.pageConcurrency,
      fairnessWeight: f.schedule.fairnessWeight,
    },
    limits: { maxItemBytes: f.limits.maxItemBytes },
  };
}
