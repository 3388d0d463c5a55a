/**
 * The outcome of each (conversation version, mailbox) pair, and the counts they make: the rows of the
 * connector log. The import activity and dry-run both plan with these, so what dry-run shows is what a run does.
 */
import { redactAddresses, zeroCounts, type FailureRow, type LogCounts, type LogResult } from '../model';
import type { BatchFailure, Routing } from './batch-files';

/** One row of the connector log. */
export interface PairOutcome {
  readonly result: LogResult;
  readonly itemId: string;
  readonly version: string;
  readonly sourceUser: string;
  /** Microsoft 365 object id, or `-`. */
  readonly m365User: string;
  readonly reason: string;
  /** More detail for the per-item log in blob storage only (may name an address). */
  readonly detail?: string;
}

/** What routing made of one conversation version. */
export interface RoutedItem extends Routing {
  readonly conversationId: string;
  readonly version: string;
  readonly partialReasons: readonly string[];
}

/** One unit of import work: a (conversation version, mailbox) pair. */
export interface ImportPair<T extends RoutedItem = RoutedItem> {
  readonly item: T;
  readonly userId: string;
  readonly participantId: string;
}

export const NO_MAILBOX_REASON = 'no participant maps to a Microsoft 365 mailbox; set graph.catchAllMailbox to keep such items';

/**
 * Everything decided before any mailbox is written: the failure rows of conversations that never became items,
 * of unmapped participants (and items nobody maps to), the rows of external participants, and the pairs to
 * import, in order (pairs of one item are consecutive).
 */
export function planOutcomes<T extends RoutedItem>(
  items: readonly T[],
  failures: readonly BatchFailure[],
): { readonly fixed: PairOutcome[]; readonly pairs: ImportPair<T>[] } {
  const fixed: PairOutcome[] = [];
  for (const f of failures) {
    fixed.push({ result: 'failed', itemId: f.itemId, version: f.version, sourceUser: f.sourceUser, m365User: '-', reason: f.reason });
  }
  const pairs: ImportPair<T>[] = [];
  for (const item of items) {
    const base = { itemId: item.conversationId, version: item.version, m365User: '-' };
    for (const u of item.unmapped) {
      fixed.push({
        ...base,
        result: 'failed',
        sourceUser: u.participantId,
        reason: `unmapped participant (${u.reason})`,
        detail: u.detail,
      });
    }
    for (const u of item.external) {
      fixed.push({
        ...base,
        result: 'external',
        sourceUser: u.participantId,
        reason: `external participant (${u.reason})`,
        detail: u.detail,
      });
    }
    if (item.targets.length === 0 && item.unmapped.length === 0) {
      fixed.push({ ...base, result: 'failed', sourceUser: '-', reason: NO_MAILBOX_REASON });
    }
    for (const t of item.targets) pairs.push({ item, userId: t.userId, participantId: t.participantId });
  }
  return { fixed, pairs };
}

function pairBase(pair: ImportPair): Omit<PairOutcome, 'result' | 'reason'> {
  return { itemId: pair.item.conversationId, version: pair.item.version, sourceUser: pair.participantId, m365User: pair.userId };
}

/**
 * A pair whose item is now in the mailbox. Found already there by its import key: a duplicate, unless this
 * attempt is a retry, in which case an item found from the resume point on was written by our own lost attempt.
 */
export function deliveredOutcome(
  pair: ImportPair,
  found: 'created' | 'already-present',
  retrying: boolean,
  removedDuplicates = 0,
): PairOutcome {
  if (found === 'already-present' && !retrying) {
    return { ...pairBase(pair), result: 'skipped-duplicate', reason: 'already in the mailbox (same import key)' };
  }
  const partial = pair.item.partialReasons.length > 0;
  const notes = [
    ...(partial ? [`partial: ${pair.item.partialReasons.join('; ')}`] : []),
    ...(removedDuplicates > 0 ? [`a concurrent attempt had created it too: ${removedDuplicates} duplicate(s) deleted, one item kept`] : []),
  ];
  return { ...pairBase(pair), result: partial ? 'partial' : 'imported', reason: notes.join('; ') };
}

/**
 * Whether an item a retried import found by its key counts as written by the import's own earlier attempt
 * (imported) rather than found (a duplicate). A retry assumes its own; a reimport knows when it started
 * (`ownWritesSince`, epoch ms), and an item created before that was there already: its own attempts cannot
 * have written it. Without a creation time, the retry's assumption stands.
 */
export function foundIsOwnWrite(retrying: boolean, createdDateTime: string | undefined, ownWritesSince: number | undefined): boolean {
  if (!retrying) return false;
  if (ownWritesSince === undefined || createdDateTime === undefined) return true;
  const created = Date.parse(createdDateTime);
  return !Number.isFinite(created) || created >= ownWritesSince;
}

/** A pair the mailbox refused (no mailbox, blocked, item rejected): a failed row; the batch goes on. */
export function refusedOutcome(
  pair: ImportPair,
  err: { readonly name: string; readonly message: string; readonly code?: string },
): PairOutcome {
  return { ...pairBase(pair), result: 'failed', reason: `${err.name} ${err.code ?? ''}: ${err.message}` };
}

/** The counts of a batch, as Microsoft's log counts them: external participants are logged, not counted. */
export function tally(outcomes: readonly PairOutcome[], fromSource: number): LogCounts {
  const c = zeroCounts();
  c.fromSource = fromSource;
  for (const o of outcomes) {
    if (o.result === 'external') continue;
    c.forImport++;
    if (o.result === 'imported') c.imported++;
    else if (o.result === 'partial') c.partial++;
    else if (o.result === 'skipped-duplicate') c.skippedDuplicate++;
    else c.failed++;
  }
  return c;
}

/**
 * The failure rows that travel into workflow history: no addresses, and no file names (a partial item's
 * reasons name its files, which can be personal); the full reason is in the day log in blob storage.
 */
export function failureRowsForWorkflow(outcomes: readonly PairOutcome[], day: string): FailureRow[] {
  return outcomes
    .filter((o) => o.result === 'failed' || o.result === 'partial')
    .map((o) => ({
      day,
      itemId: o.itemId,
      sourceUser: o.sourceUser,
      m365User: o.m365User,
      reason:
        o.result === 'partial'
          ? 'partial: some content could not be collected (reasons in the day log)'
          : redactAddresses(o.reason).slice(0, 300),
    }));
}

/**
 * The user principal name of each target user id of the items, for the log's m365Upn column. Looked up when
 * the log is written rather than carried in the outcomes: those are heartbeated, and a UPN is an address.
 */
export function upnsOf(items: readonly Pick<Routing, 'targets'>[]): ReadonlyMap<string, string> {
  return new Map(items.flatMap((i) => i.targets.map((t) => [t.userId, t.userPrincipalName] as const)));
}

/** The rows of the per-day log CSV (LOG_CSV_COLUMNS); `upns` gives the UPN of each Microsoft 365 object id. */
export function logRows(outcomes: readonly PairOutcome[], time: string, upns: ReadonlyMap<string, string> = new Map()): string[][] {
  return outcomes.map((o) => [
    time,
    o.result,
    o.itemId,
    o.version,
    o.sourceUser,
    o.m365User,
    upns.get(o.m365User) ?? '',
    o.detail ? `${o.reason}: ${o.detail}` : o.reason,
  ]);
}
