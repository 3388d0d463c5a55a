import { daysInLogNames, readDayLog, type LogRow, type LogStore } from '../../src/cli/day-log';
import type { WindowManifest } from '../../src/pipeline/manifest';
import {
  addCounts,
  countsAddUp,
  importKey,
  safeSegment,
  subtractCounts,
  zeroCounts,
  type ConnectorStatus,
  type LogCounts,
} from '../../src/model';
import type { BlobKind } from '../../src/storage/types';
import { generateTenant } from '../../emulators/shared/tenant';
import { emulatorConversations, mailboxItems } from '../lib/emulator-truth';
import { checkPairs, reimportScopeOf, type OriginRow, type Verdict } from './verify-pairs';

export type { Verdict } from './verify-pairs';

/** The part of the blob staging the checks read (logs and manifests) and verify (sealed items). */
export interface VerifyStore {
  list(kind: BlobKind, prefix: string): Promise<string[]>;
  getText(kind: 'logs', name: string): Promise<string>;
  getJson<T>(kind: BlobKind, name: string): Promise<T>;
  verifyItem(name: string): Promise<{ sha256: string; size: number }>;
}

export interface VerifyInput {
  readonly lpUrl: string;
  readonly graphUrl: string;
  /** Seed of both emulators (the tenant both agree on). */
  readonly seed: number;
  readonly connector: string;
  readonly folderName: string;
  /** The backfill start (the config's start date), epoch ms. */
  readonly startAt: number;
  /** The connector's final status (after stop). */
  readonly status: ConnectorStatus;
  readonly store: VerifyStore;
  /**
   * Mailboxes (directory user ids) the run made unusable on purpose (full, lost): their pairs may end as
   * failed rows instead of items; everyone else's must be in the mailbox.
   */
  readonly impairedUsers?: readonly string[];
}

interface DirectoryEntry {
  readonly id: string;
  readonly mail: string;
  readonly proxyAddresses: readonly string[];
  readonly mailbox: string;
}

/**
 * Compares the source's ground truth, the mailboxes, the connector's per-day log in blob storage, its
 * status counts and the window manifests. Every (conversation, mailbox) pair must be in the mailbox once
 * or logged as failed with a reason; the log must match the mailboxes and the counts; staged items must
 * match their manifests.
 */
export async function verifyRun(input: VerifyInput): Promise<Verdict[]> {
  const { status, connector } = input;
  const verdicts: Verdict[] = [];
  const add = (check: string, pass: boolean, detail: string): void => void verdicts.push({ check, pass, detail });
  const cursor = Date.parse(status.cursor);
  const impaired = new Set(input.impairedUsers ?? []);

  // Ground truth from the source, and who in the directory should receive what.
  const truth = await emulatorConversations(input.lpUrl, input.startAt, cursor, input.seed);
  const later = await emulatorConversations(input.lpUrl, cursor, Number.MAX_SAFE_INTEGER, input.seed);
  const earlier = await emulatorConversations(input.lpUrl, 0, input.startAt, input.seed);
  const directory = (await (await fetch(`${input.graphUrl}/_emulator/directory`)).json()) as DirectoryEntry[];
  const byAddress = new Map<string, DirectoryEntry>();
  for (const u of directory) {
    byAddress.set(u.mail.toLowerCase(), u);
    for (const p of u.proxyAddresses) byAddress.set(p.replace(/^smtp:/i, '').toLowerCase(), u);
  }
  const agents = new Map(generateTenant(input.seed).agents.map((a) => [a.id, a]));
  // Every agent whose address leads to a directory user that was generated with a mailbox must get the item.
  const expected: { conversationId: string; version: string; agentId: string; userId: string }[] = [];
  for (const c of truth) {
    for (const agentId of new Set(c.agentIds)) {
      const agent = agents.get(agentId);
      if (!agent || agent.mailbox !== 'ok') continue;
      const user = byAddress.get(agent.email.toLowerCase());
      if (user) expected.push({ conversationId: c.conversationId, version: String(c.endTime), agentId, userId: user.id });
    }
  }

  add(
    'cursor at the end',
    status.state === 'stopped' && later.length === 0 && truth.length > 0,
    `cursor ${status.cursor}; ${truth.length} conversations in [start, cursor), ${later.length} at or after the cursor, ${earlier.length} before the start`,
  );

  // What the mailboxes hold, and the complete log: every day's parts in blob storage, a reimport's apart.
  const items = (await mailboxItems(input.graphUrl, input.folderName)).filter((i) => i.importKey?.startsWith(`lp-archive:${connector}:`));
  const prefix = `${safeSegment(connector)}/`;
  const days = daysInLogNames(await input.store.list('logs', prefix), connector);
  const logged = await readLogByOrigin(input.store, connector, days);
  const rows = logged.map((o) => o.row);
  // By conversation, the connector's own rows: a reimport must not stand in for a conversation the backfill missed.
  const rowsByItem = new Map<string, LogRow[]>();
  for (const { row: r } of logged.filter((o) => o.reimport === undefined))
    rowsByItem.set(r.itemId, [...(rowsByItem.get(r.itemId) ?? []), r]);
  const pairs = checkPairs({ connector, items, rows: logged, impaired });
  verdicts.push(...pairs.verdicts);
  const { held, pairRows } = pairs;

  // Every expected pair: in the mailbox once, or (only for an impaired mailbox) failed in the log with a reason.
  let present = 0;
  let failedImpaired = 0;
  const missing: string[] = [];
  for (const e of expected) {
    const key = `${e.userId}|${importKey(connector, e.conversationId, e.version)}`;
    if (held.get(key) === 1) {
      present++;
      continue;
    }
    const failedRow = (rowsByItem.get(e.conversationId) ?? []).find(
      (r) =>
        r.result === 'failed' && r.reason.trim() !== '' && (r.m365User === e.userId || (r.m365User === '-' && r.sourceUser === e.agentId)),
    );
    if (failedRow && impaired.has(e.userId)) failedImpaired++;
    else missing.push(`${e.conversationId} → ${e.userId}${failedRow ? ` (failed: ${failedRow.reason})` : ''}`);
  }
  add(
    'every (conversation, mapped mailbox) pair exactly once',
    missing.length === 0 && expected.length > 0,
    `${present}/${expected.length} in the mailbox, ${failedImpaired} logged failed in the full/lost mailbox${missing[0] ? `; ${missing.length} missing, e.g. ${missing[0]}` : ''}`,
  );

  // Every conversation of the source is in the log; every failed row says why.
  const unlogged = truth.filter((c) => !rowsByItem.has(c.conversationId));
  const failedRows = rows.filter((r) => r.result === 'failed');
  const noReason = failedRows.filter((r) => r.reason.trim() === '');
  add(
    'every conversation in the log',
    unlogged.length === 0,
    `${truth.length - unlogged.length}/${truth.length}${unlogged[0] ? `; e.g. ${unlogged[0].conversationId}` : ''}`,
  );
  const reasons = new Map<string, number>();
  for (const r of failedRows) {
    const k = r.reason.replace(/\s*:.*$/s, '').slice(0, 60);
    reasons.set(k, (reasons.get(k) ?? 0) + 1);
  }
  add(
    'every failed or unmapped row has a reason',
    noReason.length === 0,
    `${failedRows.length} failed rows: ${[...reasons].map(([k, n]) => `${n}× ${k}`).join('; ') || 'none'}`,
  );

  // Counts: the status, the log and the source agree and add up. The status counts a finished reimport's rows
  // in too; the connector's own part is what remains without them.
  const t = status.totals;
  const fromLog = countRows(rows);
  const reimported = (status.reimports ?? []).reduce((sum, r) => (r.counts ? addCounts(sum, r.counts) : sum), zeroCounts());
  const reimportLog = countRows(logged.filter((o) => o.reimport !== undefined).map((o) => o.row));
  const own = subtractCounts(t, reimported);
  add(
    'counts add up',
    countsAddUp(t) && status.days.every((d) => countsAddUp(d.counts)),
    `forImport ${t.forImport} = ${t.imported} imported + ${t.partial} partial + ${t.skippedDuplicate} duplicates + ${t.failed} failed`,
  );
  add(
    'from source = the source',
    own.fromSource === truth.length,
    `status ${t.fromSource}${reimported.fromSource ? ` (${reimported.fromSource} of them read again by reimports)` : ''}, emulator ${truth.length}`,
  );
  const fields = ['forImport', 'imported', 'partial', 'skippedDuplicate', 'failed'] as const;
  const same = fields.every((k) => fromLog[k] === t[k] && reimportLog[k] === reimported[k]);
  add(
    'status counts = log rows',
    same,
    `log: ${fromLog.forImport} for import, ${fromLog.imported} imported, ${fromLog.partial} partial, ${fromLog.skippedDuplicate} duplicates, ${fromLog.failed} failed` +
      (reimportLog.forImport > 0 || reimported.forImport > 0
        ? `; of them reimports' rows ${reimportLog.forImport} (${reimportLog.skippedDuplicate} duplicates), their counts ${reimported.forImport} (${reimported.skippedDuplicate} duplicates)`
        : ''),
  );
  const ownHeld = items.length - pairs.heldButFailed - pairs.filledByReimport;
  add(
    'imported counts = mailbox items',
    own.imported + own.partial + own.skippedDuplicate === ownHeld,
    `${own.imported} + ${own.partial} partial + ${own.skippedDuplicate} duplicates (reimports' counts apart) vs ${items.length} items (${pairs.heldButFailed} in impaired mailboxes logged failed, ${pairs.filledByReimport} written by a reimport)` +
      (own.skippedDuplicate > 0 ? `; NOTE ${own.skippedDuplicate} of our own imports were logged as duplicates` : ''),
  );

  // Staged items match their manifests.
  const manifestNames = await input.store.list('manifests', prefix);
  let verified = 0;
  const mismatched: string[] = [];
  const manifested = new Set<string>();
  const unaccounted: string[] = [];
  for (const name of manifestNames) {
    const doc = await input.store.getJson<WindowManifest>('manifests', name);
    for (const it of doc.items) {
      manifested.add(it.conversationId);
      try {
        const sealed = await input.store.verifyItem(it.blob);
        if (sealed.sha256 === it.sha256 && sealed.size === it.size) verified++;
        else mismatched.push(`${it.blob}: manifest ${it.sha256}/${it.size}, stored ${sealed.sha256}/${sealed.size}`);
      } catch (err) {
        mismatched.push(`${it.blob}: ${(err as Error).message}`);
      }
      for (const userId of it.mailboxes) {
        const key = `${userId}|${importKey(connector, it.conversationId, it.version)}`;
        const failed = pairRows.get(key)?.some((r) => r.result === 'failed');
        if (held.get(key) !== 1 && !failed) unaccounted.push(key);
      }
    }
  }
  add(
    'staged items match their manifests',
    mismatched.length === 0 && verified > 0,
    `${verified} items verified in ${manifestNames.length} manifests${mismatched[0] ? `; ${mismatched.length} bad, e.g. ${mismatched[0]}` : ''}`,
  );
  const convertFailed = new Set(
    failedRows.filter((r) => r.m365User === '-' && r.sourceUser === '-' && r.version === '-').map((r) => r.itemId),
  );
  const notManifested = truth.filter(
    (c) => !manifested.has(c.conversationId) && !rowsByItem.get(c.conversationId)?.some((r) => r.result === 'failed'),
  );
  add(
    'manifests cover the source; their mailboxes are held or failed',
    notManifested.length === 0 && unaccounted.length === 0,
    `${manifested.size} conversations in manifests, ${convertFailed.size} failed before staging; ${notManifested.length} neither; ${unaccounted.length} manifest targets neither held nor failed${unaccounted[0] ? ` (e.g. ${unaccounted[0]})` : ''}`,
  );
  return verdicts;
}

function countRows(rows: readonly LogRow[]): Pick<LogCounts, 'forImport' | 'imported' | 'partial' | 'skippedDuplicate' | 'failed'> {
  const c = { forImport: 0, imported: 0, partial: 0, skippedDuplicate: 0, failed: 0 };
  for (const r of rows) {
    if (r.result === 'external') continue;
    c.forImport++;
    if (r.result === 'imported') c.imported++;
    else if (r.result === 'partial') c.partial++;
    else if (r.result === 'skipped-duplicate') c.skippedDuplicate++;
    else c.failed++;
  }
  return c;
}

/** Every row of the connector's log on `days`, each with the reimport whose part holds it (if one does). */
async function readLogByOrigin(store: VerifyStore, connector: string, days: readonly string[]): Promise<OriginRow[]> {
  const out: OriginRow[] = [];
  for (const day of days) {
    const names = await store.list('logs', `${safeSegment(connector)}/${day}/`);
    const scopes = new Set(names.flatMap((n) => reimportScopeOf(n) ?? []));
    // The day log reader, once for the connector's own parts and once per reimport's.
    const only = (keep: (name: string) => boolean): LogStore => ({
      list: async (kind, p) => (await store.list(kind, p)).filter(keep),
      getText: (kind, name) => store.getText(kind, name),
    });
    for (const row of (
      await readDayLog(
        only((n) => reimportScopeOf(n) === undefined),
        connector,
        day,
      )
    ).rows)
      out.push({ row });
    for (const scope of scopes) {
      const mine = (n: string): boolean => reimportScopeOf(n) === scope;
      for (const row of (await readDayLog(only(mine), connector, day)).rows) out.push({ row, reimport: scope });
    }
  }
  return out;
}
