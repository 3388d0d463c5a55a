import type { FailureRow, LogCounts } from './connector-log';
import type { ConversationSource } from './conversation';

export const CONNECTOR_STATES = [
  'starting',
  'catching-up',
  'live',
  'paused',
  'throttled',
  'failing',
  'needs-credentials',
  'stopped',
] as const;
export type ConnectorState = (typeof CONNECTOR_STATES)[number];

/** What the `status` query returns: the connector log, bounded in size. */
export interface ConnectorStatus {
  readonly connector: string;
  readonly state: ConnectorState;
  /** ISO time up to which every closed conversation has been archived. */
  readonly cursor: string;
  readonly lagSeconds: number;
  readonly currentWindow?: {
    readonly from: string;
    readonly to: string;
    readonly page: number;
    readonly pages?: number;
    /** `chat` while a legacy chat window runs; absent for messaging. */
    readonly source?: ConversationSource;
  };
  readonly windowsDone: number;
  readonly totals: LogCounts;
  /** Last days (UTC), newest last. */
  readonly days: readonly { readonly day: string; readonly counts: LogCounts }[];
  readonly recentFailures: readonly FailureRow[];
  readonly lastError?: string;
  readonly runsSoFar: number;
  /** Reimports and retries of failed items started by an operator (the newest few). */
  readonly reimports?: readonly ReimportSummary[];
  /** The late-arrival sweep (absent when it is off or has not run yet). */
  readonly sweep?: SweepState;
  /** The daily completeness proof (absent when it is off or has not run yet). */
  readonly completeness?: CompletenessState;
  /**
   * Work a stop (or a reconfigure) cut short: the window starting at `window` (ISO), or the late-arrival sweep.
   * A restart runs it again and counts what it had already written as imported, not as duplicates.
   */
  readonly interrupted?: { readonly window?: string; readonly sweep?: boolean; readonly chatWindow?: string; readonly chatSweep?: boolean };
  /**
   * Per source, once legacy chat has been on: each has its own cursor, sweep and counts (the top-level cursor is
   * the earlier of the enabled sources', the totals and days are both together; messaging's counts are those
   * less chat's). Absent for a connector that has only ever collected messaging.
   */
  readonly sources?: { readonly messaging: SourceStatus; readonly chat: SourceStatus };
}

/** One source of a connector (see ConnectorStatus.sources). */
export interface SourceStatus {
  /** Named in liveperson.sources now. */
  readonly enabled: boolean;
  /** ISO time up to which this source's closed conversations have been collected. */
  readonly cursor: string;
  readonly lagSeconds: number;
  readonly totals: LogCounts;
  readonly days: readonly { readonly day: string; readonly counts: LogCounts }[];
  readonly sweep?: SweepState;
}

/** A finished window that wrote a manifest: what a late-arrival sweep checks conversations against. */
export interface DoneWindow {
  readonly from: number;
  readonly to: number;
  readonly scope?: string;
}

/** State of the late-arrival sweep, carried across continue-as-new and restarts. */
export interface SweepState {
  readonly runs: number;
  /** Conversation versions the sweeps found that their windows had missed (LivePerson made them searchable late). */
  readonly found: number;
  /** Epoch ms of the last sweep (or of when tracking started). */
  readonly lastAt: number;
  /** Finished windows are tracked from here on; a sweep never looks before it. */
  readonly trackedFrom: number;
  /** Windows with a manifest that end within the sweep's look-back, oldest first. */
  readonly recent: readonly DoneWindow[];
}

export interface ReimportSummary {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly windows: number;
  readonly state: 'running' | 'done' | 'failed';
  readonly counts?: LogCounts;
}

/** One day's completeness proof as the workflow keeps it (the proof blob holds every missing id and each check). */
export interface DayCheck {
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  /** `expired`: past the worker's retention (LPA_RETENTION_DAYS), so not checked: its manifests may be deleted. */
  readonly status: 'complete' | 'incomplete' | 'expired';
  /** Conversation versions LivePerson reports as closed in the day (in the part the connector covers). */
  readonly reported: number;
  readonly archived: number;
  readonly failed: number;
  /** The first missing conversation ids (not archived, not logged); `missingTotal` counts them all. */
  readonly missing: readonly string[];
  readonly missingTotal: number;
  /** The proof blob (container `logs`). */
  readonly proof: string;
}

/** The daily completeness proof's state, carried across continue-as-new. */
export interface CompletenessState {
  /** Epoch ms of the last check. */
  readonly lastAt: number;
  /** The first day never checked (`YYYY-MM-DD`): every day before it was checked at least once. */
  readonly nextDay: string;
  /** Days still checked again (recent, or not complete), oldest first, with their latest proof. */
  readonly open: readonly (DayCheck & { readonly checkedAt: number })[];
  /** The latest proof of each day that became settled (complete and past the re-check period), newest few. */
  readonly settled: readonly (DayCheck & { readonly checkedAt: number })[];
  /** Conversation versions the checks found missing and the connector then archived. */
  readonly foundLate: number;
}
