import type { FailureRow, LogCounts } from './connector-log';

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
  readonly currentWindow?: { readonly from: string; readonly to: string; readonly page: number; readonly pages?: number };
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
  /**
   * Work a stop (or a reconfigure) cut short: the window starting at `window` (ISO), or the late-arrival sweep.
   * A restart runs it again and counts what it had already written as imported, not as duplicates.
   */
  readonly interrupted?: { readonly window?: string; readonly sweep?: boolean };
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
