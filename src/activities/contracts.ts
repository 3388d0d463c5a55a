/**
 * Inputs and outputs of the activities: blob references and counts only. Nothing personal or large
 * crosses into workflow history (DESIGN: claim checks).
 *
 * These shapes and the activity type names (`fetchPage`, ...) are the wire contract recorded in every running
 * connector's history, so their fields keep the word `page` where the code says batch: `page` is the batch's
 * number in its window, `rawPage` its raw blob.
 */
import type { ConnectorConfig, ConversationSource, DayCheck, FailureRow, LogCounts, TimeWindow } from '../model';

export interface BatchRef {
  readonly config: ConnectorConfig;
  readonly window: TimeWindow;
  readonly page: number;
  /**
   * Which LivePerson product the window reads: absent for messaging (every history from before legacy chat), `chat`
   * for Engagement History. Every blob name, import key and log part of the batch follows it (keys.ts).
   */
  readonly source?: ConversationSource;
  /** Set by a reimport: keeps its blobs apart from the connector's own (see scopedWindowLabel). */
  readonly scope?: string;
  /**
   * Late-arrival sweep: manifests of the windows already done that overlap this one. fetch keeps only the
   * conversation versions none of them lists (and drops records without an end time, which belong to no window).
   */
  readonly skipSeenIn?: readonly string[];
  /**
   * Conversations per batch of this window, as its first fetch chose them (FetchBatchResult.batchSize); set on
   * the fetches of the batches after the first. Absent: the connector's `batchSize`.
   */
  readonly batchSize?: number;
  /**
   * A completeness repair: the day's proof blob (container `logs`); fetch keeps only the conversation versions
   * it lists as missing (nothing else of the day is archived again).
   */
  readonly onlyMissingIn?: string;
}

export interface FetchBatchResult {
  /** Name of the raw batch blob (container `raw`); empty when nothing of the batch is in the window. */
  readonly rawPage: string;
  /** Records of this batch whose end time lies in the window (and, in a sweep, not seen before). */
  readonly kept: number;
  /** `_metadata.count` of the covering query: how many batches the window has. */
  readonly totalCount: number;
  /**
   * Conversations per batch the window is cut into: chosen by its first fetch (the connector's `batchSize`, or
   * `busyBatchSize` when the worker was crowded, see ActivitySlots). Absent in histories from before it existed.
   */
  readonly batchSize?: number;
}

export interface ConvertBatchResult {
  readonly converted: string;
  readonly items: number;
  readonly failed: number;
}

export interface StageBatchResult {
  readonly staged: string;
  readonly created: number;
  readonly existing: number;
  readonly conflicts: number;
}

export interface ResolveBatchResult {
  readonly routed: string;
  readonly targets: number;
  readonly unmapped: number;
}

/**
 * What preparePage (fetch → convert → stage → resolve of one batch in one activity) returns: what the window needs
 * of the fetch (`kept`, `totalCount`, `batchSize`, as FetchBatchResult) and the routed file import takes.
 */
export interface PrepareBatchResult {
  readonly kept: number;
  readonly totalCount: number;
  /** As FetchBatchResult.batchSize: set by the window's first batch, which chose the cut. */
  readonly batchSize?: number;
  /** Name of the routed batch file (container `work`); empty when nothing of the batch is in the window. */
  readonly routed: string;
  readonly items: number;
  readonly failed: number;
  readonly targets: number;
  readonly unmapped: number;
}

/** What one batch contributed to the connector log. Rows are bounded: the full list is in the log blob. */
export interface ImportBatchResult {
  readonly counts: LogCounts;
  readonly failures: readonly FailureRow[];
  readonly failuresTotal: number;
  readonly logPart: string;
}

export interface CompleteWindowInput {
  readonly config: ConnectorConfig;
  readonly window: TimeWindow;
  /** The batches that had conversations in the window (the others left no blobs). */
  readonly pages: readonly number[];
  readonly scope?: string;
  readonly source?: ConversationSource;
}

export interface CompleteWindowResult {
  readonly manifest: string;
  readonly items: number;
}

/** Days for the completeness proof: each UTC day with the part of it the connector covers ([from, to), epoch ms). */
export interface ProveDaysInput {
  readonly config: ConnectorConfig;
  readonly days: readonly { readonly day: string; readonly from: number; readonly to: number }[];
}

export interface ProveDaysResult {
  readonly days: readonly DayCheck[];
}

export type { CompletenessRecord } from '../pipeline/completeness';

/** One source the live follower collects: from its cursor, up to now − its lag. */
export interface FollowedLane {
  readonly source: ConversationSource;
  readonly cursor: number;
  readonly lagMs: number;
  /** The source's last window was abandoned or failed part-way: what it wrote counts as imported when found again. */
  readonly rerun?: boolean;
}

export interface FollowLiveInput {
  readonly config: ConnectorConfig;
  readonly lanes: readonly FollowedLane[];
  /** How long the follow runs before it returns what it did (it finishes the window it is in). */
  readonly maxWaitMs: number;
}

/** A window the follower collected in-process, for the workflow to record as if it had run it. */
export interface FollowedWindow {
  readonly source: ConversationSource;
  readonly window: TimeWindow;
  /** The UTC day its log parts were written under (the day of the window's end: the same for every attempt). */
  readonly day: string;
  readonly batches: readonly ImportBatchResult[];
  /** Whether it had anything in it, and so wrote a manifest. */
  readonly manifest: boolean;
}

export interface FollowLiveResult {
  /** In the order collected; a source's windows follow each other from its cursor. */
  readonly windows: readonly FollowedWindow[];
  /** Per source, how far it was seen with nothing closed after its last window: the cursor may move there. */
  readonly emptyUntil: readonly { readonly source: ConversationSource; readonly to: number }[];
  /**
   * A source the follower handed back: its next window is the workflow's to collect (too big for in-process, a
   * record with no end time, or a step that failed part-way: then `failure` says why, and what that window wrote
   * counts as imported when the workflow's run finds it).
   */
  readonly handBack?: { readonly source: ConversationSource; readonly failure?: string };
}
