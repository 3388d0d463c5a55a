import { readFile } from 'node:fs/promises';
import { graphAuthFromEnv, livePersonAuthFromEnv } from '../config/secrets';
import { itemMemoryFromEnv } from '../config/worker-env';
import { createMailboxLimiter, GraphMailClient, graphLimiterKey } from '../graph/client';
import type { MailboxLimiter } from '../graph/mailbox-limiter';
import { MailboxResolver } from '../graph/resolve-mailbox';
import type { LivePersonClient } from '../liveperson/client';
import { EngagementHistoryClient } from '../liveperson/chat';
import { livePersonClientFor } from '../liveperson/for-connector';
import type { LivePersonSource, LpUser } from '../liveperson/types';
import { graphEndpointsOf, type ConnectorConfig, type ConversationSource } from '../model';
import { ByteBudget } from './byte-budget';
import { exposedGc, MemoryReclaimer, observeFullCollections } from './memory-reclaim';
import type { ActivityDeps, StagingPort } from '../activities/ports';

/** Users, mapping and directory answers are reused for this long, then fetched again (a "run"). */
const CACHE_TTL_MS = 10 * 60_000;

interface Cached<T> {
  readonly key: string;
  readonly at: number;
  readonly value: T;
}

/** Keeps one value per connector, rebuilt when its config section changes or it gets old. */
class PerConnector<T> {
  private readonly entries = new Map<string, Cached<T>>();
  constructor(private readonly ttlMs: number) {}

  get(connector: string, key: string, build: () => T): T {
    const hit = this.entries.get(connector);
    if (hit && hit.key === key && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = build();
    this.entries.set(connector, { key, at: Date.now(), value });
    return value;
  }

  forget(connector: string): void {
    this.entries.delete(connector);
  }
}

/**
 * The real dependencies of the activities: clients built from each connector's config plus the secrets
 * in the worker's environment (never from workflow input).
 */
export function buildActivityDeps(
  staging: StagingPort,
  env: Readonly<Record<string, string | undefined>> = process.env,
  worker: { readonly slots?: ActivityDeps['slots'] } = {},
): ActivityDeps {
  const sources = new PerConnector<LivePersonClient>(Infinity);
  const users = new PerConnector<Promise<ReadonlyMap<string, LpUser>>>(CACHE_TTL_MS);
  const graphs = new PerConnector<GraphMailClient>(Infinity);
  const resolvers = new PerConnector<Promise<MailboxResolver>>(CACHE_TTL_MS);
  // Outlook's limits are per app + mailbox: connectors that use the same app registration share one limiter.
  const limiters = new Map<string, MailboxLimiter>();

  const chats = new PerConnector<EngagementHistoryClient>(Infinity);

  const messaging = (config: ConnectorConfig): LivePersonClient =>
    sources.get(config.name, JSON.stringify(config.liveperson), () =>
      livePersonClientFor(config, livePersonAuthFromEnv(config.liveperson.credentialsRef, env)),
    );
  // One credential, token and domain lookup for both sources: the chat client works through the messaging one.
  const source = (config: ConnectorConfig, kind: ConversationSource = 'messaging'): LivePersonSource =>
    kind === 'chat'
      ? chats.get(
          config.name,
          JSON.stringify(config.liveperson),
          () => new EngagementHistoryClient(messaging(config), { maxChatDurationMs: config.liveperson.maxChatDurationMs }),
        )
      : messaging(config);

  const graph = (config: ConnectorConfig): GraphMailClient =>
    graphs.get(config.name, JSON.stringify([graphEndpointsOf(config.graph), config.graph.credentialsRef]), () => {
      const options = { ...graphEndpointsOf(config.graph), auth: graphAuthFromEnv(config.graph.credentialsRef, env) };
      const key = graphLimiterKey(options);
      let limiter = limiters.get(key);
      if (!limiter) limiters.set(key, (limiter = createMailboxLimiter()));
      return new GraphMailClient(options, { limiter, party: config.name });
    });

  // Item memory let go of is collected every third of the budget (counted from V8's last full collection, forced or
  // its own), instead of piling up until V8 gets to it.
  const itemBytes = itemMemoryFromEnv(env);
  const gc = exposedGc();
  const reclaimer = new MemoryReclaimer(itemBytes / 3, gc);
  if (gc) observeFullCollections(() => reclaimer.fullCollectionSeen());
  const released = (bytes: number): void => reclaimer.released(bytes);

  return {
    staging,
    // Apart, so that a fetch never waits behind the import of a large item. Only items' buffers count towards a
    // forced collection: a batch's reservation is an upper bound (32 MB for a page that may hold one record) of
    // heap V8 collects on its own; counted, every live window and sweep forced a full collection.
    itemMemory: new ByteBudget(itemBytes, released),
    batchMemory: new ByteBudget(itemBytes),
    ...(worker.slots ? { slots: worker.slots } : {}),
    source,
    users(config) {
      const p = users.get(config.name, JSON.stringify(config.liveperson), async () => {
        const list = await messaging(config).listUsers();
        return new Map(list.map((u) => [u.id, u]));
      });
      // A failed fetch must not be cached: the next attempt asks again.
      p.catch(() => users.forget(config.name));
      return p;
    },
    files(config) {
      const lp = messaging(config);
      return { urlsFor: (id) => lp.conversationFileUrls(id), download: (url, maxBytes) => lp.downloadFile(url, maxBytes) };
    },
    resolver(config) {
      const p = resolvers.get(config.name, JSON.stringify(config.graph), async () => {
        const mappingCsv = config.graph.mappingCsvPath ? await readFile(config.graph.mappingCsvPath, 'utf8') : undefined;
        return new MailboxResolver(graph(config), {
          ...(mappingCsv !== undefined ? { mappingCsv } : {}),
          ...(config.graph.catchAllMailbox ? { catchAllMailbox: config.graph.catchAllMailbox } : {}),
        });
      });
      p.catch(() => resolvers.forget(config.name));
      return p;
    },
    mailbox: graph,
  };
}
