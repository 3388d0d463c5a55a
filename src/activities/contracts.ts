/**
 * Inputs and outputs of the activities: blob references and counts only. Nothing personal or large
 * crosses into workflow history (DESIGN: claim checks).
 */
import type { ConnectorConfig, FailureRow, LogCounts, TimeWindow } from '../model';

export interface PageRef {
  readonly config: ConnectorConfig;
  readonly window: TimeWindow;
  readonly page: number;
  /** Set by a reimport: keeps its blobs apart from the connector's own (see scopedWindowLabel). */
  readonly scope?: string;
  /**
   * Late-arrival sweep: manifests of the windows already done that overlap this one. fetch keeps only the
   * conversation versions none of them lists (and drops records without an end time, which belong to no window).
   */
  readonly skipSeenIn?: readonly string[];
  /**
   * Conversations per page of this window, as its first fetch chose them (FetchPageResult.batchSize); set on
   * the fetches of the pages after the first. Absent: the connector's `batchSize`.
   */
  readonly batchSize?: number;
}

export interface FetchPageResult {
  /** Name of the raw page blob (container `raw`); empty when nothing of the page is in the window. */
  readonly rawPage: string;
  /** Records of this page whose end time lies in the window (and, in a sweep, not seen before). */
  readonly kept: number;
  /** `_metadata.count` of the covering query: how many pages the window has. */
  readonly totalCount: number;
  /**
   * Conversations per page the window is cut into: chosen by its first fetch (the connector's `batchSize`, or
   * `busyBatchSize` when the worker was crowded, see ActivitySlots). Absent in histories from before it existed.
   */
  readonly batchSize?: number;
}

export interface ConvertPageResult {
  readonly converted: string;
  readonly items: number;
  readonly failed: number;
}

export interface StagePageResult {
  readonly staged: string;
  readonly created: number;
  readonly existing: number;
  readonly conflicts: number;
}

export interface ResolvePageResult {
  readonly routed: string;
  readonly targets: number;
  readonly unmapped: number;
}

/** What one page contributed to the connector log. Rows are bounded: the full list is in the log blob. */
export interface ImportPageResult {
  readonly counts: LogCounts;
  readonly failures: readonly FailureRow[];
  readonly failuresTotal: number;
  readonly logPart: string;
}

export interface CompleteWindowInput {
  readonly config: ConnectorConfig;
  readonly window: TimeWindow;
  /** The pages that had conversations in the window (the others left no blobs). */
  readonly pages: readonly number[];
  readonly scope?: string;
}

export interface CompleteWindowResult {
  readonly manifest: string;
  readonly items: number;
}
