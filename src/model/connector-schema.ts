/**
 * The connector file format as a zod schema: the single definition of a connector's configuration (the type,
 * the defaults, the bounds through configProblems, the docs through each field's metadata). Kept out of the
 * model's index so that workflow code, which needs only the type and the pure rules, does not bundle zod.
 */
import { z } from 'zod';
import {
  CONFIG_BOUNDS,
  scheduleProblems,
  DEFAULT_BUSY_BATCH_SIZE,
  EXISTENCE_CHECKS,
  EXTERNAL_PARTICIPANT_POLICIES,
  IMPORT_MODES,
} from './connector-config';
import { CONVERSATION_SOURCES } from './conversation';
import { parseDuration } from './duration';
import { GRAPH_CLOUDS, graphCloudProblems, resolveGraphCloud } from './graph-clouds';

const DAY = 86_400_000;

const doc = (description: string, example?: string): { description: string; example?: string } => ({
  description,
  ...(example !== undefined ? { example } : {}),
});

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

const httpUrl = (example: string) => z.url({ protocol: /^https?$/, message: `must be an http(s) URL such as ${example}` });

const livepersonFile = z
  .object({
    accountId: z
      .union([z.string(), z.number()])
      .transform(String)
      .pipe(z.string().regex(/^\d{3,12}$/, 'must be the numeric LivePerson account (site) id'))
      .meta(doc('The LivePerson account (site) id.', '"12345678"')),
    credentialsRef: envRef.meta(
      doc(
        'Prefix of the worker environment variables holding the LivePerson credentials: `<REF>_CLIENT_ID` and `<REF>_CLIENT_SECRET` (OAuth 2.0), or `<REF>_CONSUMER_KEY`, `<REF>_CONSUMER_SECRET`, `<REF>_ACCESS_TOKEN` and `<REF>_ACCESS_TOKEN_SECRET` (OAuth 1.0).',
        'LP_PROD',
      ),
    ),
    csdsBaseUrl: httpUrl('https://api.liveperson.net')
      .optional()
      .meta(
        doc(
          "LivePerson's domain API (CSDS), which tells where the account's services are. Only for a test or emulated LivePerson.",
          'https://api.liveperson.net',
        ),
      ),
    serviceScheme: z
      .enum(['https', 'http'])
      .default('https')
      .meta(doc('Scheme of the service domains CSDS returns. `http` only for the local emulator.')),
    source: z
      .string()
      .min(1)
      .max(20, 'LivePerson allows at most 20 characters in `source`')
      .default('lp-archive')
      .meta(doc('The `source` query parameter LivePerson asks API clients to send (names the caller in its logs).')),
    allowUnauthenticatedSdeRouting: z
      .boolean()
      .default(false)
      .meta(
        doc(
          'Route items by an e-mail address a consumer typed in an unauthenticated engagement attribute (SDE). Off: such an address is never trusted to choose a mailbox.',
        ),
      ),
    sources: z
      .array(z.enum(CONVERSATION_SOURCES))
      .min(1, 'liveperson.sources must name at least one source: messaging, chat')
      .refine((list) => new Set(list).size === list.length, { message: 'liveperson.sources must not name a source twice' })
      .default(['messaging'])
      .meta(
        doc(
          'What the connector collects: `messaging` (Messaging Interactions) and `chat` (legacy web chat, from Engagement History; the credential needs the scope data.services.enghist, docs/legacy-chat.md).',
          '[messaging, chat]',
        ),
      ),
    maxChatDuration: duration('liveperson.maxChatDuration', '24h')
      .default(DAY)
      .refine((ms) => ms >= 60 * 60_000 && ms <= 28 * DAY, { message: 'liveperson.maxChatDuration must be between 1h and 28d' })
      .meta(
        doc(
          'Longest a legacy chat lasts: Engagement History filters on start time only, so a window asks for chats that started this long before it.',
          '24h',
        ),
      ),
    maxConversationAge: duration('liveperson.maxConversationAge', '85d')
      .default(85 * DAY)
      .refine((ms) => ms >= DAY && ms <= CONFIG_BOUNDS.retentionMs, {
        message: 'liveperson.maxConversationAge must be between 1d and 395d (LivePerson retention)',
      })
      .meta(
        doc(
          "How far back each window's query reaches for conversations that started before it. Conversations open longer are still found: by the late-arrival sweep and the completeness proof, which reach back LivePerson's whole retention.",
          '85d',
        ),
      ),
  })
  .strict();

const graphFile = z
  .object({
    credentialsRef: envRef.meta(
      doc(
        'Prefix of the worker environment variables holding the Entra ID app: `<REF>_TENANT_ID`, `<REF>_CLIENT_ID` and one credential: `<REF>_CLIENT_SECRET`, `<REF>_CLIENT_CERTIFICATE_PATH`, `<REF>_FEDERATED_TOKEN_FILE` or `<REF>_MANAGED_IDENTITY` (docs/credentials.md).',
        'GRAPH_PROD',
      ),
    ),
    cloud: z
      .enum(GRAPH_CLOUDS)
      .optional()
      .meta(
        doc(
          "Microsoft's cloud: sets the Graph endpoint, the Entra ID authority and the token scope together. Default: the cloud of graph.baseUrl when it is one, else global.",
          'usgov',
        ),
      ),
    baseUrl: httpUrl('https://graph.microsoft.com/v1.0')
      .optional()
      .meta(
        doc(
          "Microsoft Graph endpoint, only for a private or test Graph (graph.cloud sets Microsoft's); the token scope follows its origin.",
          'https://graph.microsoft.com/v1.0',
        ),
      ),
    authorityHost: httpUrl('https://login.microsoftonline.com')
      .optional()
      .meta(
        doc(
          "Entra ID authority host, only for a private or test authority (graph.cloud sets Microsoft's).",
          'https://login.microsoftonline.com',
        ),
      ),
    trustedAuthority: z
      .boolean()
      .default(false)
      .meta(
        doc(
          "Declares graph.authorityHost a token service you run (not Microsoft's): sign-in skips MSAL's instance discovery for it. Never for Microsoft's hosts.",
        ),
      ),
    folderName: z
      .string()
      .min(1)
      .max(255)
      .default('LivePerson Conversational Cloud DataParser')
      .meta(doc("The Inbox subfolder items go to in every participant's mailbox (created when missing).")),
    catchAllMailbox: z
      .email({ message: 'must be the e-mail address (UPN) of the catch-all mailbox' })
      .optional()
      .meta(doc('A mailbox that receives the items of participants whose address is not in the directory.', 'lp-archive@contoso.com')),
    mappingCsvPath: z
      .string()
      .min(1)
      .optional()
      .meta(
        doc(
          'A CSV (`lpUser,m365User`) tried before the directory: LivePerson agent id, login name or e-mail → Microsoft 365 UPN or object id.',
          '/etc/lp-archive/mapping.csv',
        ),
      ),
    // The beta importMime path cannot carry our import key as a named property; until its dedupe is built,
    // only the JSON create is accepted (say so rather than silently ignore the setting).
    importMode: z
      .enum(IMPORT_MODES)
      .default('json')
      .refine((m) => m === 'json', {
        message: 'import-mime is not supported yet; use json (the default), which creates non-draft items with the import key',
      })
      .meta(doc('How items are created in mailboxes. Only `json` (a non-draft item with the import key) is supported.')),
    existenceCheck: z
      .enum(EXISTENCE_CHECKS)
      .default('always')
      .meta(
        doc(
          'Look an item up by its import key before every create (`always`), or only when an earlier attempt may have written it (`after-failure`: fewer Graph requests).',
        ),
      ),
    externalParticipants: z
      .enum(EXTERNAL_PARTICIPANT_POLICIES)
      .default('log-only')
      .meta(
        doc(
          'Consumers and bots outside the directory: `log-only` logs them without failing the item; `fail` counts each as a failed item.',
        ),
      ),
  })
  .strict()
  .superRefine((g, ctx) => {
    for (const p of graphCloudProblems({ ...g, cloud: resolveGraphCloud(g) }))
      ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });

const scheduleFile = z
  .object({
    startDate: z.iso
      .datetime({ offset: true, message: 'must be an ISO date-time such as 2026-01-01T00:00:00Z' })
      .or(z.iso.date({ message: 'must be a date such as 2026-01-01' }))
      .meta(doc('The backfill starts here: conversations that ended at or after it are archived. At most 13 months ago.', '2026-01-01')),
    backfillWindow: duration('schedule.backfillWindow', '1d').default(DAY).meta(doc('Longest window while catching up.', '1d')),
    minWindow: duration('schedule.minWindow', '30s').default(30_000).meta(doc('Shortest window in live mode.', '30s')),
    lag: duration('schedule.lag', '1m')
      .default(60_000)
      .meta(
        doc('A window ends at least this long before now (LivePerson makes closed conversations searchable within about a minute).', '1m'),
      ),
    pollInterval: duration('schedule.pollInterval', '30s')
      .default(30_000)
      .meta(doc('How often a live connector looks for newly closed conversations.', '30s')),
    lateArrivalSweep: duration('schedule.lateArrivalSweep', '30m')
      .default(30 * 60_000)
      .meta(
        doc(
          'Look-back of the late-arrival sweep ("0m" turns it off): conversations LivePerson made searchable after their window had passed.',
          '30m',
        ),
      ),
    sweepInterval: duration('schedule.sweepInterval', '10m')
      .default(10 * 60_000)
      .meta(doc('How often the late-arrival sweep runs in live mode.', '10m')),
    chatLag: duration('schedule.chatLag', '5m')
      .default(5 * 60_000)
      .meta(
        doc(
          'With chat in liveperson.sources: a chat window ends at least this long before now (Engagement History indexes 99.5 % of chats within 5 minutes of their end).',
          '5m',
        ),
      ),
    chatLateArrivalSweep: duration('schedule.chatLateArrivalSweep', '3h')
      .default(3 * 60 * 60_000)
      .meta(
        doc(
          'With chat in liveperson.sources: look-back of the chat late-arrival sweep, which runs every sweepInterval (Engagement History indexes every chat within 2 hours). At least 2h + chatLag + sweepInterval.',
          '3h',
        ),
      ),
    completenessCheck: duration('schedule.completenessCheck', '1h')
      .default(60 * 60_000)
      .meta(
        doc(
          'Daily completeness proof ("0m" turns it off): how often days not yet proven complete are checked against what LivePerson reports as closed in them. A day is first checked once it is older than the late-arrival sweep.',
          '1h',
        ),
      ),
    completenessRecheck: duration('schedule.completenessRecheck', '2d')
      .default(2 * DAY)
      .meta(doc('A complete day is checked again until it ended this long ago (LivePerson may index a conversation late).', '2d')),
    pageSize: z
      .number()
      .int()
      .min(1)
      .max(CONFIG_BOUNDS.maxPageSize, 'LivePerson returns at most 100 conversations per page')
      .default(100)
      .meta(doc('Conversations per LivePerson request.')),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(CONFIG_BOUNDS.maxBatchSize, 'schedule.batchSize must be at most 2000 conversations')
      .default(500)
      .meta(
        doc('Conversations one chain of activities (fetch → convert → stage → resolve → import) handles. Never smaller than pageSize.'),
      ),
    busyBatchSize: z
      .number()
      .int()
      .min(1)
      .max(CONFIG_BOUNDS.maxBatchSize, 'schedule.busyBatchSize must be at most 2000 conversations')
      .default(DEFAULT_BUSY_BATCH_SIZE)
      .meta(
        doc(
          'Conversations per batch in a window that starts while the worker is crowded, so many connectors take turns. At most batchSize.',
        ),
      ),
    pageConcurrency: z
      .number()
      .int()
      .min(1)
      .max(CONFIG_BOUNDS.maxPageConcurrency)
      .default(2)
      .meta(doc('Batches of one window processed at once.')),
    fairnessWeight: z
      .number()
      .min(CONFIG_BOUNDS.minFairnessWeight, 'schedule.fairnessWeight must be at least 0.001')
      .max(CONFIG_BOUNDS.maxFairnessWeight, 'schedule.fairnessWeight must be at most 1000 (Temporal clamps weights to 0.001-1000)')
      .default(1)
      .meta(doc("This connector's share of the worker pool against the others, where the task queue runs in Temporal's fairness mode.")),
  })
  .strict()
  .transform((f) => ({
    /** Backfill starts here (epoch ms). */
    startAt: Date.parse(f.startDate),
    backfillWindowMs: f.backfillWindow,
    minWindowMs: f.minWindow,
    lagMs: f.lag,
    pollIntervalMs: f.pollInterval,
    /** 0: the late-arrival sweep is off. */
    lateArrivalSweepMs: f.lateArrivalSweep,
    sweepIntervalMs: f.sweepInterval,
    chatLagMs: f.chatLag,
    chatLateArrivalSweepMs: f.chatLateArrivalSweep,
    /** 0: the completeness proof is off. */
    completenessCheckMs: f.completenessCheck,
    completenessRecheckMs: f.completenessRecheck,
    pageSize: f.pageSize,
    batchSize: Math.max(f.batchSize, f.pageSize),
    busyBatchSize: Math.min(f.busyBatchSize, Math.max(f.batchSize, f.pageSize)),
    pageConcurrency: f.pageConcurrency,
    fairnessWeight: f.fairnessWeight,
  }))
  .superRefine((schedule, ctx) => {
    for (const p of scheduleProblems(schedule)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });

const limitsFile = z
  .object({
    maxItemBytes: z
      .number()
      .int()
      .min(1)
      .max(CONFIG_BOUNDS.maxItemBytes, 'Microsoft 365 accepts items up to 150 MB')
      .default(CONFIG_BOUNDS.maxItemBytes)
      .meta(
        doc(
          'Largest archive item; a larger conversation is logged as failed with the reason, a file that would not fit is left out (partial).',
        ),
      ),
  })
  .strict();

/** The connector file format (YAML or JSON), strict: an unknown key is an error, not a silent default. */
export const connectorFileSchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{0,62}$/,
        'must be 1-63 characters of a-z, 0-9 and "-", starting with a letter or digit (it names the workflow)',
      )
      .meta(doc("The connector's unique name; it names its workflow (`lp-archive-connector-<name>`).", 'contoso-prod')),
    liveperson: livepersonFile,
    graph: graphFile,
    schedule: scheduleFile,
    limits: limitsFile.default({ maxItemBytes: CONFIG_BOUNDS.maxItemBytes }),
  })
  .strict();

export type ConnectorFile = z.input<typeof connectorFileSchema>;

/** The file, parsed, as the workflow carries it: durations in ms, the start as epoch ms, every default filled. */
export const connectorConfigSchema = connectorFileSchema.transform((f) => ({
  name: f.name,
  liveperson: {
    accountId: f.liveperson.accountId,
    credentialsRef: f.liveperson.credentialsRef,
    ...(f.liveperson.csdsBaseUrl ? { csdsBaseUrl: f.liveperson.csdsBaseUrl } : {}),
    serviceScheme: f.liveperson.serviceScheme,
    source: f.liveperson.source,
    allowUnauthenticatedSdeRouting: f.liveperson.allowUnauthenticatedSdeRouting,
    /** How far back the covering `start` range reaches. */
    maxConversationAgeMs: f.liveperson.maxConversationAge,
    sources: f.liveperson.sources,
    maxChatDurationMs: f.liveperson.maxChatDuration,
  },
  graph: {
    credentialsRef: f.graph.credentialsRef,
    cloud: resolveGraphCloud(f.graph),
    ...(f.graph.baseUrl ? { baseUrl: f.graph.baseUrl } : {}),
    ...(f.graph.authorityHost ? { authorityHost: f.graph.authorityHost } : {}),
    trustedAuthority: f.graph.trustedAuthority,
    folderName: f.graph.folderName,
    ...(f.graph.catchAllMailbox ? { catchAllMailbox: f.graph.catchAllMailbox } : {}),
    ...(f.graph.mappingCsvPath ? { mappingCsvPath: f.graph.mappingCsvPath } : {}),
    importMode: f.graph.importMode,
    existenceCheck: f.graph.existenceCheck,
    externalParticipants: f.graph.externalParticipants,
  },
  schedule: f.schedule,
  limits: { maxItemBytes: f.limits.maxItemBytes },
}));
