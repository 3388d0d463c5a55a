/**
 * The state of one connector and its transitions, free of Temporal APIs (unit-tested on its own): cursor,
 * log, operator control, failure bookkeeping, reimports and the late-arrival sweep. The workflow
 * (connector-workflow.ts) wires its handlers to these methods and runs the loop; effects that Temporal must
 * record (search attributes, timers, activities, children) stay in the workflow.
 */
import {
  nextWindow,
  upgradeConfig,
  utcDay,
  type ConfigOfAnyAge,
  type ConnectorConfig,
  type ConnectorState,
  type CompletenessState,
  type ConnectorStatus,
  type FailureRow,
  type LogCounts,
  type ReimportSummary,
  type SweepState,
  type TimeWindow,
} from '../model';
import { copyLogState, emptyLogState, recordPage, type LogState } from './connector-log-state';
import { afterWindow, sweepDue } from './late-arrival-sweep';
import type { WindowProgress } from './process-window';
import { checkReconfigure } from './reconfigure-check';

/** What a run hands to the next one on continue-as-new: small, bounded, no personal data. */
export interface CarriedState {
  readonly cursor: number;
  readonly log: LogState;
  readonly windowsDone: number;
  readonly runsSoFar: number;
  readonly paused: boolean;
  readonly lastError?: string;
  readonly reimports?: readonly ReimportSummary[];
  readonly sweep?: SweepState;
  readonly completeness?: CompletenessState;
  /**
   * Work cut short (a stop while it waited out a failure, or a reconfigure restart not yet run again): its
   * re-run may find items it had already written, which count as imported, not as duplicates.
   */
  readonly rerun?: { readonly windowFrom?: number; readonly sweep?: boolean };
}

/** A reimport the connector started, as its status shows it (the newest few are kept). */
type ReimportEntry = ReimportSummary & { state: ReimportSummary['state']; counts?: ReimportSummary['counts'] };

const MAX_REIMPORTS_SHOWN = 5;
/** LivePerson keeps conversations 13 months: a reimport cannot reach further back. */
const RETENTION_MS = 395 * 86_400_000;

export class Connector {
  config: ConnectorConfig;
  cursor: number;
  readonly log: LogState;
  windowsDone: number;
  readonly runsSoFar: number;
  paused: boolean;
  lastError: string | undefined;
  state: ConnectorState = 'starting';
  stopRequested = false;
  /** run-now was asked for: the next window may be shorter than the minimum. */
  runNow = false;
  /** Bumped by resume, run-now and reconfigure: ends any wait for an operator or a backoff. */
  wakeups = 0;
  configVersion = 0;
  current: { window: TimeWindow; progress: WindowProgress } | undefined;
  windowsThisRun = 0;
  /** The current window was restarted by a reconfigure: what it finds may be its own earlier writes. */
  rerunWindow = false;
  readonly reimports: ReimportEntry[];
  reimportSeq = 0;
  sweep: SweepState | undefined;
  sweepSeq = 0;
  completeness: CompletenessState | undefined;
  /** Numbers the scopes of completeness repairs within a run. */
  repairSeq = 0;
  /** The last sweep was restarted by a reconfigure: what the next one finds may be its own earlier writes. */
  rerunSweep = false;
  /** The state to show once a failing call succeeds again (catching-up or live). */
  workingState: ConnectorState = 'catching-up';
  failuresInARow = 0;

  constructor(config: ConfigOfAnyAge, carried?: CarriedState) {
    this.config = upgradeConfig(config);
    this.cursor = carried?.cursor ?? this.config.schedule.startAt;
    this.log = carried?.log ?? emptyLogState();
    this.windowsDone = carried?.windowsDone ?? 0;
    this.runsSoFar = (carried?.runsSoFar ?? 0) + 1;
    this.paused = carried?.paused ?? false;
    this.lastError = carried?.lastError;
    this.reimports = [...(carried?.reimports ?? [])];
    this.sweep = carried?.sweep;
    this.completeness = carried?.completeness;
    this.rerunWindow = carried?.rerun?.windowFrom === this.cursor;
    this.rerunSweep = carried?.rerun?.sweep === true;
  }

  /** The connector log, as the status query answers it (`now`: for the lag). */
  status(now: number): ConnectorStatus {
    const current = this.current;
    return {
      connector: this.config.name,
      state: this.state,
      cursor: new Date(this.cursor).toISOString(),
      lagSeconds: Math.max(0, Math.round((now - this.cursor) / 1000)),
      ...(current
        ? {
            currentWindow: {
              from: new Date(current.window.from).toISOString(),
              to: new Date(current.window.to).toISOString(),
              page: current.progress.pagesDone,
              ...(current.progress.pages !== undefined ? { pages: current.progress.pages } : {}),
            },
          }
        : {}),
      windowsDone: this.windowsDone,
      totals: { ...this.log.totals },
      days: this.log.days.map((d) => ({ day: d.day, counts: { ...d.counts } })),
      recentFailures: [...this.log.recentFailures],
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      runsSoFar: this.runsSoFar,
      ...(this.reimports.length > 0 ? { reimports: this.reimports.map((r) => ({ ...r })) } : {}),
      ...(this.sweep ? { sweep: this.sweep } : {}),
      ...(this.completeness ? { completeness: this.completeness } : {}),
      ...(this.rerunWindow || this.rerunSweep
        ? {
            interrupted: {
              ...(this.rerunWindow ? { window: new Date(this.cursor).toISOString() } : {}),
              ...(this.rerunSweep ? { sweep: true } : {}),
            },
          }
        : {}),
    };
  }

  // Operator control (signals and updates).

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wakeups++;
  }

  stop(): void {
    this.stopRequested = true;
  }

  requestRunNow(): void {
    this.runNow = true;
    this.wakeups++;
  }

  /** Throws (rejecting the update) unless `next` may replace the running config. */
  validateReconfigure(next: ConfigOfAnyAge): void {
    checkReconfigure(this.config, next);
  }

  /** A new config applies from the next activity; a window in progress starts over with it. */
  reconfigure(next: ConfigOfAnyAge, now: number): { readonly accepted: true; readonly effectiveFrom: string } {
    this.config = upgradeConfig(next);
    this.configVersion++;
    this.wakeups++;
    return { accepted: true, effectiveFrom: new Date(now).toISOString() };
  }

  validateReimport({ from, to }: { from: number; to: number }, now: number): void {
    if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) throw new Error('reimport: --from must be before --to');
    if (to > this.cursor) {
      throw new Error(
        `reimport: --to must not be after the connector's cursor (${new Date(this.cursor).toISOString()}); the connector itself collects what follows`,
      );
    }
    if (from < now - RETENTION_MS) throw new Error('reimport: --from is older than LivePerson keeps conversations (13 months)');
  }

  validateRetryFailed({ fromDay, toDay }: { fromDay: string; toDay: string }): void {
    const day = /^\d{4}-\d{2}-\d{2}$/;
    if (!day.test(fromDay) || !day.test(toDay) || fromDay > toDay) {
      throw new Error('retry-failed: give UTC days YYYY-MM-DD with --from-day not after --to-day');
    }
  }

  // The loop.

  /** Continue as new now: the server suggests it, or this run did its share of windows. */
  shouldContinueAsNew(suggested: boolean, maxWindowsPerRun: number | undefined): boolean {
    return suggested || this.windowsThisRun >= (maxWindowsPerRun ?? Infinity);
  }

  /** The next window to collect at `now`, if one is ready (run-now takes whatever is ready). */
  takeNextWindow(now: number): TimeWindow | undefined {
    const forced = this.runNow;
    this.runNow = false;
    const s = this.config.schedule;
    return nextWindow(this.cursor, now, { maxSizeMs: s.backfillWindowMs, minSizeMs: forced ? 1 : s.minWindowMs, lagMs: s.lagMs });
  }

  sweepDue(now: number): boolean {
    return this.sweep !== undefined && sweepDue(this.config, this.sweep, this.cursor, now);
  }

  /** A window starts: live when it ends near now − lag, else catching up. */
  beginWindow(window: TimeWindow, now: number): ConnectorState {
    const behind = now - this.config.schedule.lagMs - window.to;
    this.workingState = behind > 2 * this.config.schedule.pollIntervalMs ? 'catching-up' : 'live';
    this.current = { window, progress: { pagesDone: 0 } };
    return this.workingState;
  }

  /** A stop ended the window while it waited: whatever it wrote is found again by its re-run after a restart. */
  abandonWindow(): void {
    this.current = undefined;
    this.rerunWindow = true;
  }

  /** Every batch of the window is done: the cursor moves to its end. */
  finishWindow(window: TimeWindow, wroteManifest: boolean, now: number): void {
    this.rerunWindow = false;
    this.current = undefined;
    this.cursor = window.to;
    this.sweep = afterWindow(this.config, this.sweep, { from: window.from, to: window.to }, wroteManifest, this.cursor, now);
    this.windowsDone++;
    this.windowsThisRun++;
  }

  /** What one batch (or a finished reimport) added to the connector log. */
  recordBatch(day: string, counts: LogCounts, failures: readonly FailureRow[]): void {
    recordPage(this.log, day, counts, failures);
  }

  /** The log as it is, to roll back to when a window or sweep is run again or abandoned. */
  snapshotLog(): LogState {
    return copyLogState(this.log);
  }

  rollbackLog(snapshot: LogState): void {
    Object.assign(this.log, snapshot);
  }

  // Failures (see failure-policy.ts and guard.ts).

  /** A call failed after Temporal's retries: remembered, to show why and to lengthen the backoff. */
  failed(message: string): void {
    this.failuresInARow++;
    this.lastError = message;
  }

  /** A call succeeded after failures: true when the connector recovers (its state goes back to working). */
  recovered(): boolean {
    if (this.failuresInARow === 0) return false;
    this.failuresInARow = 0;
    this.lastError = undefined;
    return true;
  }

  /** Moves to `next`; true when the state changed (the search attribute must follow). */
  enter(next: ConnectorState): boolean {
    if (next === this.state) return false;
    this.state = next;
    return true;
  }

  // Reimports.

  /** Registers a reimport over `windows`; its id is derived from the run and a sequence number. */
  addReimport(workflowId: string, runId: string, windows: readonly TimeWindow[]): { id: string; scope: string; entry: ReimportEntry } {
    this.reimportSeq++;
    const id = `${workflowId}-reimport-${runId.slice(0, 8)}-${this.reimportSeq}`;
    const entry: ReimportEntry = {
      id,
      from: new Date(Math.min(...windows.map((w) => w.from))).toISOString(),
      to: new Date(Math.max(...windows.map((w) => w.to))).toISOString(),
      windows: windows.length,
      state: 'running',
    };
    this.reimports.push(entry);
    if (this.reimports.length > MAX_REIMPORTS_SHOWN) {
      this.reimports.splice(0, this.reimports.findIndex((r) => r.state !== 'running') + 1 || 0);
    }
    return { id, scope: `r-${runId.slice(0, 8)}-${this.reimportSeq}`, entry };
  }

  reimportDone(entry: ReimportEntry, result: { counts: LogCounts; failures: readonly FailureRow[] }, now: number): void {
    entry.state = 'done';
    entry.counts = result.counts;
    this.recordBatch(utcDay(now), result.counts, result.failures);
  }

  reimportFailed(entry: ReimportEntry, err: unknown): void {
    entry.state = 'failed';
    this.lastError = `reimport ${entry.id} failed: ${err instanceof Error ? err.message : String(err)}`;
  }

  reimportsRunning(): boolean {
    return this.reimports.some((r) => r.state === 'running');
  }

  /** What the next run starts from. */
  carried(): CarriedState {
    return {
      cursor: this.cursor,
      log: this.log,
      windowsDone: this.windowsDone,
      runsSoFar: this.runsSoFar,
      paused: this.paused,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.reimports.length > 0 ? { reimports: this.reimports } : {}),
      ...(this.sweep ? { sweep: this.sweep } : {}),
      ...(this.completeness ? { completeness: this.completeness } : {}),
      ...(this.rerunWindow || this.rerunSweep
        ? { rerun: { ...(this.rerunWindow ? { windowFrom: this.cursor } : {}), ...(this.rerunSweep ? { sweep: true } : {}) } }
        : {}),
    };
  }

  /** The one-line progress the Web UI shows (current details). */
  details(): string {
    const t = this.log.totals;
    const c = this.current;
    const win = c ? ` · window ${utcIso(c.window.from)} page ${c.progress.pagesDone}/${c.progress.pages ?? '?'}` : '';
    const troubled = this.state === 'throttled' || this.state === 'failing' || this.state === 'needs-credentials';
    const err = this.lastError && troubled ? ` · ${this.lastError.slice(0, 120)}` : '';
    return `${this.state} · cursor ${utcIso(this.cursor)}${win} · ${t.imported} imported · ${t.partial} partial · ${t.skippedDuplicate} duplicates · ${t.failed} failed${err}`;
  }
}

function utcIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
}
