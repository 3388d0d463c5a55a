import { stringify } from 'csv-stringify/sync';
import type { ImportMessage } from '../graph/types';
import { errorKind, importKey, logPartBlobName, LOG_CSV_COLUMNS, scopedWindowLabel, sourceOf, type LpArchiveError } from '../model';
import type { RoutedBatchFile, RoutedBatchItem } from '../pipeline/batch-files';
import { importMessageFromItem } from '../pipeline/import-message';
import {
  deliveredOutcome,
  failureRowsForWorkflow,
  foundIsOwnWrite,
  logRows,
  upnsOf,
  planOutcomes,
  refusedOutcome,
  tally,
  type ImportPair,
  type PairOutcome,
} from '../pipeline/outcomes';
import { attemptInfo, heartbeat, heartbeatNow, throwIfCancelled, warn, withKeepAlive } from '../runtime/heartbeat';
import type { BatchRef, ImportBatchResult } from './contracts';
import type { ActivityDeps, MailboxPort } from './ports';

/**
 * Memory an import reserves per byte of its sealed item: the parsed message and the Graph request built from
 * it (bench/item-heap.ts measures what an import holds live at once; see bench/README.md).
 */
export const IMPORT_MEMORY_PER_ITEM_BYTE = 3;

/** At most this many failure rows travel back to the workflow per batch; all of them are in the log blob. */
const MAX_ROWS_TO_WORKFLOW = 20;

/** What an attempt heartbeats, so that a retry resumes where it stopped. */
interface Progress {
  /** Every pair before this index is done. */
  readonly done: number;
  /** Pairs after `done` that are done too: the ones between were put off, their mailbox being throttled. */
  readonly alsoDone?: readonly number[];
  readonly outcomes: PairOutcome[];
}

/** Graph (or our limiter for it) asks a mailbox to wait longer than the client waits itself. */
function isMailboxThrottle(err: unknown): err is LpArchiveError & { retryAfterMs: number } {
  return errorKind(err) === 'throttled' && (err as LpArchiveError).retryAfterMs !== undefined;
}

/**
 * import: every (item, mailbox) pair of the batch into the mailbox's import folder, and the batch's part of the
 * connector log (the outcomes: pipeline/outcomes.ts). Progress is heartbeated, so a retried attempt resumes
 * where the last one stopped and checks by import key before each create (an earlier attempt may have written
 * the item).
 */
export function makeImportBatch(deps: ActivityDeps) {
  return async function importBatch(
    ref: BatchRef & {
      routed: string;
      day: string;
      /** An earlier call of this step failed (set by the workflow). */
      retried?: boolean;
      /**
       * Set by a reimport: when it started (epoch ms). An item a retry finds by key that was created before
       * was there already (a duplicate), not written by an earlier attempt of the reimport.
       */
      ownWritesSince?: number;
    },
  ): Promise<ImportBatchResult> {
    return withKeepAlive(async () => {
      const { config, window, page } = ref;
      const ctx = attemptInfo();
      const input = await deps.staging.getJson<RoutedBatchFile>('work', ref.routed);
      // Temporal's own retry (attempt > 1) or the workflow's, after Temporal's attempts ran out: an earlier
      // attempt may have written items, so check each one by its key and count what is found as ours.
      const retrying = ctx.attempt > 1 || ref.retried === true;
      const { fixed, pairs } = planOutcomes(input.items, input.failures);
      const run = new PairRun(deps, ref, pairs, ctx.heartbeatDetails as Progress | undefined, {
        retrying,
        checkFirst: config.graph.existenceCheck === 'always' || retrying,
        ...(ref.ownWritesSince !== undefined ? { ownWritesSince: ref.ownWritesSince } : {}),
      });
      await run.deliverAll();

      const all = [...fixed, ...run.outcomes];
      const csv = stringify(logRows(all, new Date().toISOString(), upnsOf(input.items)), { header: true, columns: [...LOG_CSV_COLUMNS] });
      const logPart = logPartBlobName(config.name, ref.day, scopedWindowLabel(window, ref.scope), page, sourceOf(ref));
      await deps.staging.putText('logs', logPart, csv);
      const rows = failureRowsForWorkflow(all, ref.day);
      return {
        counts: tally(all, input.items.length + input.failures.length),
        failures: rows.slice(0, MAX_ROWS_TO_WORKFLOW),
        failuresTotal: rows.length,
        logPart,
      };
    });
  };
}

/**
 * One attempt over the pairs of a batch. A mailbox that must wait (its upload budget is spent, or Graph said
 * Retry-After) does not hold up the batch: its pairs are put off, the others go on, and the attempt ends with
 * the soonest wait, which Temporal honours before the retry that takes up the put-off pairs.
 */
class PairRun {
  readonly outcomes: PairOutcome[];
  private readonly start: number;
  private readonly finished: Set<number>;
  private readonly waiting = new Set<string>();
  private readonly folders = new Map<string, string>();
  private readonly mailbox: MailboxPort;
  private soonest: (LpArchiveError & { retryAfterMs: number }) | undefined;
  private firstPutOff: number | undefined;
  /** Pairs of one item are consecutive: only the current item's message is held, never the whole batch's. */
  private current: { readonly itemBlob: string; readonly msg: ImportMessage } | undefined;
  /** The worker's item memory, taken while an item's message is held. */
  private held: (() => void) | undefined;

  constructor(
    private readonly deps: ActivityDeps,
    private readonly ref: BatchRef,
    private readonly pairs: readonly ImportPair<RoutedBatchItem>[],
    prior: Progress | undefined,
    private readonly mode: { readonly retrying: boolean; readonly checkFirst: boolean; readonly ownWritesSince?: number },
  ) {
    this.outcomes = prior ? [...prior.outcomes] : [];
    this.start = prior ? prior.done : 0;
    this.finished = new Set(prior?.alsoDone ?? []);
    this.mailbox = deps.mailbox(ref.config);
  }

  async deliverAll(): Promise<void> {
    try {
      for (let i = this.start; i < this.pairs.length; i++) {
        if (this.finished.has(i)) continue;
        const pair = this.pairs[i]!;
        if (this.waiting.has(pair.userId)) {
          this.firstPutOff ??= i;
          continue;
        }
        if (!(await this.deliver(pair, i))) continue;
        this.finished.add(i);
        heartbeat(this.progress(this.firstPutOff ?? i + 1));
      }
      if (this.soonest) {
        heartbeatNow(this.progress(this.firstPutOff ?? this.pairs.length)); // the retry skips what is done
        throw this.soonest;
      }
    } finally {
      this.held?.();
    }
  }

  /** Imports one pair; false when its mailbox must wait (the pair is put off). */
  private async deliver(pair: ImportPair<RoutedBatchItem>, index: number): Promise<boolean> {
    try {
      const folderId = await this.folder(pair.userId);
      const msg = await this.message(pair.item);
      // An attempt Temporal has given up on (and retried elsewhere) must not create anything more.
      throwIfCancelled();
      const result = this.mode.checkFirst
        ? await this.mailbox.importMessage(pair.userId, folderId, msg)
        : await this.mailbox.createSettled(pair.userId, folderId, msg);
      const ours = foundIsOwnWrite(this.mode.retrying, result.createdDateTime, this.mode.ownWritesSince);
      this.outcomes.push(deliveredOutcome(pair, result.outcome, ours, result.removedDuplicates ?? 0));
      if (result.removedDuplicates) {
        warn('A concurrent attempt had created the same mailbox item; the duplicate was deleted and one item kept', {
          connector: this.ref.config.name,
          mailbox: pair.userId,
          conversation: pair.item.conversationId,
          removed: result.removedDuplicates,
        });
      }
    } catch (err) {
      if (isMailboxThrottle(err)) {
        this.waiting.add(pair.userId);
        if (!this.soonest || err.retryAfterMs < this.soonest.retryAfterMs) this.soonest = err;
        this.firstPutOff ??= index;
        return false;
      }
      if (errorKind(err) !== 'item') throw err;
      this.outcomes.push(refusedOutcome(pair, err as LpArchiveError & { code?: string }));
    }
    return true;
  }

  private async folder(userId: string): Promise<string> {
    let folderId = this.folders.get(userId);
    if (!folderId) {
      folderId = await this.mailbox.ensureImportFolder(userId, this.ref.config.graph.folderName);
      this.folders.set(userId, folderId);
    }
    return folderId;
  }

  /** The Graph message of an item, parsed from its sealed blob once it has all come in (a broken seal fails the parse). */
  private async message(item: RoutedBatchItem): Promise<ImportMessage> {
    if (this.current?.itemBlob === item.itemBlob) return this.current.msg;
    this.current = undefined; // let the previous item's message go before reading the next
    this.held?.();
    this.held = await this.deps.itemMemory?.take(IMPORT_MEMORY_PER_ITEM_BYTE * item.size);
    const sealed = await this.deps.staging.openItemStream(item.itemBlob);
    try {
      const key = importKey(this.ref.config.name, item.conversationId, item.version, sourceOf(this.ref));
      this.current = { itemBlob: item.itemBlob, msg: await importMessageFromItem(sealed.stream, key, sealed.size) };
    } finally {
      sealed.stream.destroy(); // a parse that failed half-way must not keep the connection
    }
    return this.current.msg;
  }

  private progress(done: number): Progress {
    const alsoDone = [...this.finished].filter((j) => j >= done);
    return { done, ...(alsoDone.length > 0 ? { alsoDone } : {}), outcomes: this.outcomes };
  }
}
