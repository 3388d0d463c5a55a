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
}

export interface ReimportSummary {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly windows: number;
  readonly state: 'running' | 'done' | 'failed';
  readonly counts?: LogCounts;
}
