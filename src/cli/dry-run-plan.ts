import { readFile } from 'node:fs/promises';
import { MailboxResolver } from '../graph/resolve-mailbox';
import type { LivePersonClient } from '../liveperson/client';
import type { ConnectorConfig, TimeWindow } from '../model';
import type { RouteTarget, Unmapped } from '../pipeline/batch-files';
import { planItem, routingParticipants } from '../pipeline/item-plan';
import { deliveredOutcome, NO_MAILBOX_REASON, planOutcomes, type PairOutcome } from '../pipeline/outcomes';
import { routeParticipants } from '../pipeline/routing';
import { rawEndTime, recordsInWindow } from '../pipeline/window-filter';
import { graphClient, livePersonClient } from './clients';
import type { CliEnv } from './io';

/** What the connector would do with one conversation: the same rules as a run (src/pipeline), nothing written. */
export interface DryRunItem {
  readonly conversationId: string;
  readonly version?: string;
  readonly endTime?: string;
  /** Bytes of the archive item (transcript and source record; hosted files are fetched only by a real run). */
  readonly size?: number;
  readonly targets: readonly RouteTarget[];
  readonly unmapped: readonly Unmapped[];
  /** Consumers and bots outside the organisation, logged but not counted (graph.externalParticipants). */
  readonly external: readonly Unmapped[];
  /** The rows a run would write to the connector log for this conversation (a target's row as if imported). */
  readonly rows: readonly PairOutcome[];
  /** Why this conversation would be logged as failed as a whole (malformed, too large, nobody to deliver to). */
  readonly failure?: string;
}

export interface DryRunResult {
  readonly window: TimeWindow;
  /** LivePerson's count for the covering query of the window (it includes conversations ending just outside it). */
  readonly covering: number;
  readonly items: readonly DryRunItem[];
}

/** Conversations read per request while looking for the latest ones. */
const PAGE = 100;

/**
 * The latest `limit` closed conversations ending in the window. Results come sorted by end time; the covering
 * query also holds conversations ending after the window (rounding to 10 minutes), so read back from the end
 * until `limit` of them are in the window itself.
 */
async function latestInWindow(lp: LivePersonClient, window: TimeWindow, limit: number): Promise<{ records: unknown[]; covering: number }> {
  const covering = (await lp.searchClosed(window, 0, 1)).count;
  const kept: unknown[] = [];
  for (let end = covering; end > 0 && kept.length < limit; end -= PAGE) {
    const offset = Math.max(0, end - PAGE);
    const page = await lp.searchClosed(window, offset, end - offset);
    kept.push(...recordsInWindow(page.records, window));
  }
  const newestFirst = kept.sort((a, b) => (rawEndTime(b) ?? Infinity) - (rawEndTime(a) ?? Infinity));
  return { records: newestFirst.slice(0, limit).reverse(), covering };
}

/**
 * Fetches the latest `limit` closed conversations of the last `sinceMs` (ending `lag` before now), then plans
 * them with the pipeline's own rules (normalise, convert, size limit, routing, outcomes) and writes nothing
 * (Graph: reads only).
 */
export async function planDryRun(
  config: ConnectorConfig,
  env: CliEnv,
  opts: { limit: number; sinceMs: number; now?: number },
): Promise<DryRunResult> {
  const now = opts.now ?? Date.now();
  const to = now - config.schedule.lagMs;
  const window: TimeWindow = { from: Math.max(config.schedule.startAt, to - opts.sinceMs), to };
  const lp = livePersonClient(config, env);
  const { records, covering } = await latestInWindow(lp, window, opts.limit);
  const users = new Map((await lp.listUsers()).map((u) => [u.id, u]));
  const mappingCsv = config.graph.mappingCsvPath ? await readFile(config.graph.mappingCsvPath, 'utf8') : undefined;
  const resolver = new MailboxResolver(graphClient(config, env), {
    ...(mappingCsv !== undefined ? { mappingCsv } : {}),
    ...(config.graph.catchAllMailbox ? { catchAllMailbox: config.graph.catchAllMailbox } : {}),
  });
  const rules = {
    normalize: {
      accountId: config.liveperson.accountId,
      users,
      allowUnauthenticatedSdeRouting: config.liveperson.allowUnauthenticatedSdeRouting,
    },
    maxItemBytes: config.limits.maxItemBytes,
  };

  const items: DryRunItem[] = [];
  for (const record of records) {
    const planned = planItem(record, rules);
    if ('failure' in planned) {
      const { fixed } = planOutcomes([], [planned.failure]);
      items.push({
        conversationId: planned.failure.itemId,
        targets: [],
        unmapped: [],
        external: [],
        rows: fixed,
        failure: planned.failure.reason,
      });
      continue;
    }
    const { conv, base } = planned;
    const routing = await routeParticipants(routingParticipants(conv), resolver, config.graph.externalParticipants);
    const { fixed, pairs } = planOutcomes(
      [{ conversationId: conv.conversationId, version: conv.version, partialReasons: [], ...routing }],
      [],
    );
    const rows = [...fixed, ...pairs.map((p) => deliveredOutcome(p, 'created', false))];
    const nobody = fixed.some((r) => r.reason === NO_MAILBOX_REASON);
    items.push({
      conversationId: conv.conversationId,
      version: conv.version,
      endTime: new Date(conv.endTime).toISOString(),
      size: base.size,
      ...routing,
      rows,
      ...(nobody ? { failure: NO_MAILBOX_REASON } : {}),
    });
  }
  return { window, covering, items };
}
