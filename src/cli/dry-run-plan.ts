import { readFile } from 'node:fs/promises';
import { rawEndTime } from '../activities/fetch-page';
import { conversationToEml } from '../convert/to-eml';
import { MailboxResolver } from '../graph/resolve-mailbox';
import { normalizeRecord } from '../liveperson/normalize';
import { inWindow, type ConnectorConfig, type TimeWindow } from '../model';
import { graphClient, livePersonClient } from './clients';
import type { CliEnv } from './io';

export interface DryRunTarget {
  readonly participantId: string;
  readonly userPrincipalName: string;
  readonly via: string;
}

export interface DryRunUnmapped {
  readonly participantId: string;
  readonly reason: string;
}

/** What the connector would do with one conversation. */
export interface DryRunItem {
  readonly conversationId: string;
  readonly version?: string;
  readonly endTime?: string;
  /** Bytes of the archive item (transcript and source record; hosted files are fetched only by a real run). */
  readonly size?: number;
  readonly targets: readonly DryRunTarget[];
  readonly unmapped: readonly DryRunUnmapped[];
  /** Why this conversation would be logged as failed (malformed, too large, nobody to deliver to). */
  readonly failure?: string;
}

export interface DryRunResult {
  readonly window: TimeWindow;
  /** Closed conversations in the window (LivePerson's count of the covering query). */
  readonly available: number;
  readonly items: readonly DryRunItem[];
}

/**
 * Fetches the latest `limit` closed conversations of the last `sinceMs` (ending `lag` before now), then
 * normalises, converts and routes them as the activities would, and writes nothing (Graph: reads only).
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
  // Sorted by end time ascending: the newest are at the end, so read the count first.
  const first = await lp.searchClosed(window, 0, 1);
  const offset = Math.max(0, first.count - opts.limit);
  const page = first.count === 0 ? first : await lp.searchClosed(window, offset, opts.limit);
  const records = page.records.filter((r) => {
    const end = rawEndTime(r);
    return end === undefined || inWindow(window, end);
  });
  const users = new Map((await lp.listUsers()).map((u) => [u.id, u]));
  const mappingCsv = config.graph.mappingCsvPath ? await readFile(config.graph.mappingCsvPath, 'utf8') : undefined;
  const resolver = new MailboxResolver(graphClient(config, env), {
    ...(mappingCsv !== undefined ? { mappingCsv } : {}),
    ...(config.graph.catchAllMailbox ? { catchAllMailbox: config.graph.catchAllMailbox } : {}),
  });

  const items: DryRunItem[] = [];
  for (const record of records) {
    const id = (record as { info?: { conversationId?: unknown } } | null)?.info?.conversationId;
    const conversationId = typeof id === 'string' && id ? id : 'unknown-conversation';
    let conv;
    try {
      conv = normalizeRecord(record, {
        accountId: config.liveperson.accountId,
        users,
        allowUnauthenticatedSdeRouting: config.liveperson.allowUnauthenticatedSdeRouting,
      });
    } catch (err) {
      items.push({ conversationId, targets: [], unmapped: [], failure: `malformed conversation: ${(err as Error).message}` });
      continue;
    }
    const base = { conversationId: conv.conversationId, version: conv.version, endTime: new Date(conv.endTime).toISOString() };
    let size: number;
    try {
      size = conversationToEml(conv, { sourceRecord: record }).size;
    } catch (err) {
      items.push({ ...base, targets: [], unmapped: [], failure: `conversion failed: ${(err as Error).message}` });
      continue;
    }
    const targets: DryRunTarget[] = [];
    const unmapped: DryRunUnmapped[] = [];
    for (const p of conv.participants) {
      if (!p.email && p.kind === 'consumer') continue; // as resolve-page: anonymous consumers are not targets
      const r = await resolver.resolve({
        id: p.id,
        ...(p.loginName ? { loginName: p.loginName } : {}),
        ...(p.email ? { email: p.email } : {}),
        routable: p.routable,
      });
      if (r.kind === 'mapped') {
        if (!targets.some((t) => t.userPrincipalName === r.userPrincipalName))
          targets.push({ participantId: p.id, userPrincipalName: r.userPrincipalName, via: r.via });
      } else if (r.reason !== 'no-address') {
        unmapped.push({ participantId: p.id, reason: `${r.reason}: ${r.detail}` });
      }
    }
    const failure =
      size > config.limits.maxItemBytes
        ? `item is ${size} bytes, over limits.maxItemBytes (${config.limits.maxItemBytes})`
        : targets.length === 0 && unmapped.length === 0
          ? 'no participant maps to a Microsoft 365 mailbox; set graph.catchAllMailbox to keep such items'
          : undefined;
    items.push({ ...base, size, targets, unmapped, ...(failure ? { failure } : {}) });
  }
  return { window, available: first.count, items };
}
