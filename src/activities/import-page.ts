import { stringify } from 'csv-stringify/sync';
import type { ImportMessage } from '../graph/types';
import {
  errorKind,
  type LpArchiveError,
  importKey,
  logPartBlobName,
  redactAddresses,
  LOG_CSV_COLUMNS,
  scopedWindowLabel,
  zeroCounts,
  type FailureRow,
  type LogCounts,
  type LogResult,
} from '../model';
import type { ImportPageResult, PageRef } from './contracts';
import type { ActivityDeps } from './ports';
import { attemptInfo, heartbeat, heartbeatNow, throwIfCancelled, withKeepAlive } from '../runtime/heartbeat';
import { importMessageFromItem } from './import-message';
import type { RoutedPageFile, RoutedPageItem } from './page-files';

/**
 * Memory an import reserves per byte of its sealed item: the parsed message and the Graph request built from
 * it. `bench/item-heap.ts` measures what an import holds live at once for items of 3–13 MB: 2.4–2.5 times the
 * item, nearly all of it buffers (the request bodies are written as bytes, never as JavaScript strings).
 */
export const IMPORT_MEMORY_PER_ITEM_BYTE = 3;

/** At most this many failure rows travel back to the workflow per page; all of them are in the log blob. */
const MAX_ROWS_TO_WORKFLOW = 20;

interface Outcome {
  readonly result: LogResult;
  readonly itemId: string;
  readonly version: string;
  readonly sourceUser: string;
  readonly m365User: string;
  /** User principal name of `m365User` (the object id), for the reader of the log. */
  readonly m365Upn?: string;
  readonly reason: string;
  /** More detail for the per-item log in blob storage only (may name an address). */
  readonly detail?: string;
}

/** One unit of import work: a (conversation version, mailbox) pair. */
interface Pair {
  readonly item: RoutedPageItem;
  readonly userId: string;
  readonly userPrincipalName: string;
  readonly participantId: string;
}

interface Progress {
  /** Every pair before this index is done. */
  readonly done: number;
  /** Pairs after `done` that are done too: the ones between were put off, their mailbox being throttled. */
  readonly alsoDone?: readonly number[];
  readonly outcomes: Outcome[];
}

/** Errors that concern one mailbox or one item: logged as a failed row; the page goes on. */
function isPerItemFailure(err: unknown): err is LpArchiveError & { code?: string } {
  return errorKind(err) === 'item';
}

/** Graph (or our limiter for it) asks a mailbox to wait longer than the client waits itself. */
function isMailboxThrottle(err: unknown): err is LpArchiveError & { retryAfterMs: number } {
  return errorKind(err) === 'throttled' && (err as LpArchiveError).retryAfterMs !== undefined;
}

/**
 * import: every (item, mailbox) pair of the page into the mailbox's import folder, and the page's part of
 * the connector log. Progress is heartbeated, so a retried attempt resumes where the last one stopped and
 * checks by import key before each create (an earlier attempt may have written the item).
 */
export function makeImportPage(deps: ActivityDeps) {
  return async function importPage(
    ref: PageRef & { routed: string; day: string; /** An earlier call of this step failed (set by the workflow). */ retried?: boolean },
  ): Promise<ImportPageResult> {
    return withKeepAlive(async () => {
      const { config, window, page } = ref;
      const ctx = attemptInfo();
      const input = await deps.staging.getJson<RoutedPageFile>('work', ref.routed);
      const mailbox = deps.mailbox(config);
      const prior = ctx.heartbeatDetails as Progress | undefined;
      // Temporal's own retry (attempt > 1) or the workflow's, after Temporal's attempts ran out: an earlier
      // attempt may have written items, so check each one by its key and count what is found as ours.
      const retrying = ctx.attempt > 1 || ref.retried === true;
      const checkFirst = config.graph.existenceCheck === 'always' || retrying;

      const fixed: Outcome[] = [];
      for (const f of input.failures) {
        fixed.push({ result: 'failed', itemId: f.itemId, version: f.version, sourceUser: f.sourceUser, m365User: '-', reason: f.reason });
      }
      const pairs: Pair[] = [];
      for (const item of input.items) {
        for (const u of item.unmapped) {
          fixed.push({
            result: 'failed',
            itemId: item.conversationId,
            version: item.version,
            sourceUser: u.participantId,
            m365User: '-',
            reason: `unmapped participant (${u.reason})`,
            detail: u.detail,
          });
        }
        for (const u of item.external) {
          fixed.push({
            result: 'external',
            itemId: item.conversationId,
            version: item.version,
            sourceUser: u.participantId,
            m365User: '-',
            reason: `external participant (${u.reason})`,
            detail: u.detail,
          });
        }
        if (item.targets.length === 0 && item.unmapped.length === 0) {
          fixed.push({
            result: 'failed',
            itemId: item.conversationId,
            version: item.version,
            sourceUser: '-',
            m365User: '-',
            reason: 'no participant maps to a Microsoft 365 mailbox; set graph.catchAllMailbox to keep such items',
          });
        }
        for (const t of item.targets)
          pairs.push({ item, userId: t.userId, userPrincipalName: t.userPrincipalName, participantId: t.participantId });
      }

      const outcomes: Outcome[] = prior ? [...prior.outcomes] : [];
      const start = prior ? prior.done : 0;
      const finished = new Set(prior?.alsoDone ?? []);
      // A mailbox that must wait (its upload budget is spent, or Graph said Retry-After) does not hold up the
      // page: its pairs are put off, the others go on, and the attempt ends with the soonest wait, which Temporal
      // honours before the retry that takes up the put-off pairs (checking each by import key first).
      const waiting = new Set<string>();
      let soonest: (Error & { retryAfterMs: number }) | undefined;
      let firstPutOff: number | undefined;
      const progressOf = (done: number): Progress => {
        const alsoDone = [...finished].filter((j) => j >= done);
        return { done, ...(alsoDone.length > 0 ? { alsoDone } : {}), outcomes };
      };
      // Pairs of one item are consecutive: only the current item's message is held, never the whole page's.
      let current: { readonly itemBlob: string; readonly msg: ImportMessage } | undefined;
      // The worker's memory budget for items: taken while an item's message is held, given back after.
      let held: (() => void) | undefined;
      const folders = new Map<string, string>();
      try {
        for (let i = start; i < pairs.length; i++) {
          const { item, userId, userPrincipalName, participantId } = pairs[i]!;
          if (finished.has(i)) continue;
          if (waiting.has(userId)) {
            firstPutOff ??= i;
            continue;
          }
          const key = importKey(config.name, item.conversationId, item.version);
          const base = {
            itemId: item.conversationId,
            version: item.version,
            sourceUser: participantId,
            m365User: userId,
            m365Upn: userPrincipalName,
          };
          try {
            let folderId = folders.get(userId);
            if (!folderId) {
              folderId = await mailbox.ensureImportFolder(userId, config.graph.folderName);
              folders.set(userId, folderId);
            }
            if (current?.itemBlob !== item.itemBlob) {
              current = undefined; // let the previous item's message go before reading the next
              held?.();
              held = await deps.itemMemory?.take(IMPORT_MEMORY_PER_ITEM_BYTE * item.size);
              // Parsed as it streams in: the sealed bytes are never held whole; a broken seal fails the parse.
              const sealed = await deps.staging.openItemStream(item.itemBlob);
              try {
                current = { itemBlob: item.itemBlob, msg: await importMessageFromItem(sealed.stream, key) };
              } finally {
                sealed.stream.destroy(); // a parse that failed half-way must not keep the connection
              }
            }
            const msg = current.msg;
            // An attempt Temporal has given up on (and retried elsewhere) must not create anything more.
            throwIfCancelled();
            const outcome = checkFirst
              ? (await mailbox.importMessage(userId, folderId, msg)).outcome
              : (await mailbox.createMessage(userId, folderId, msg), 'created');
            if (outcome === 'already-present' && !retrying) {
              outcomes.push({ ...base, result: 'skipped-duplicate', reason: 'already in the mailbox (same import key)' });
            } else {
              // On a retry, an item found from the resume point on was written by our own lost attempt.
              outcomes.push({ ...base, result: resultOf(item), reason: partialReason(item) });
            }
          } catch (err) {
            if (isMailboxThrottle(err)) {
              waiting.add(userId);
              if (!soonest || err.retryAfterMs < soonest.retryAfterMs) soonest = err;
              firstPutOff ??= i;
              continue;
            }
            if (!isPerItemFailure(err)) throw err;
            outcomes.push({ ...base, result: 'failed', reason: `${err.name} ${err.code ?? ''}: ${err.message}` });
          }
          finished.add(i);
          heartbeat(progressOf(firstPutOff ?? i + 1));
        }
        if (soonest) {
          heartbeatNow(progressOf(firstPutOff ?? pairs.length)); // the retry skips what is done
          throw soonest;
        }
      } finally {
        held?.();
      }

      const all = [...fixed, ...outcomes];
      const counts: LogCounts = tally(all, input.items.length + input.failures.length);
      const now = new Date().toISOString();
      const csv = stringify(
        all.map((o) => [
          now,
          o.result,
          o.itemId,
          o.version,
          o.sourceUser,
          o.m365User,
          o.m365Upn ?? '',
          o.detail ? `${o.reason}: ${o.detail}` : o.reason,
        ]),
        { header: true, columns: [...LOG_CSV_COLUMNS] },
      );
      const logPart = logPartBlobName(config.name, ref.day, scopedWindowLabel(window, ref.scope), page);
      await deps.staging.putText('logs', logPart, csv);
      const failureRows: FailureRow[] = all
        .filter((o) => o.result === 'failed' || o.result === 'partial')
        .map((o) => ({ day: ref.day, itemId: o.itemId, sourceUser: o.sourceUser, m365User: o.m365User, reason: forWorkflow(o) }));
      return { counts, failures: failureRows.slice(0, MAX_ROWS_TO_WORKFLOW), failuresTotal: failureRows.length, logPart };
    });
  };
}

function resultOf(item: RoutedPageItem): LogResult {
  return item.partialReasons.length > 0 ? 'partial' : 'imported';
}

function partialReason(item: RoutedPageItem): string {
  return item.partialReasons.length > 0 ? `partial: ${item.partialReasons.join('; ')}` : '';
}

function tally(outcomes: readonly Outcome[], fromSource: number): LogCounts {
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
 * A reason as it may travel into workflow history: no addresses, and no file names (a partial item's
 * reasons name its files, which can be personal); the full reason is in the day log in blob storage.
 */
function forWorkflow(o: Outcome): string {
  if (o.result === 'partial') return 'partial: some content could not be collected (reasons in the day log)';
  return redactAddresses(o.reason).slice(0, 300);
}
