/**
 * The state of one connector and its transitions, free of Temporal APIs (unit-tested on its own): cursor,
 * log, operator control, failure bookkeeping, reimports and the late-arrival sweep. The workflow
 * (connector-workflow.ts) wires its handlers to these methods and runs the loop; effects that Temporal must
 * record (search attributes, timers, activities, children) stay in the workflow.
 */
import {
  CONVERSATION_SOURCES,
  nextWindow,
  subtractCounts,
  upgradeConfig,
  utcDay,
  type ConfigOfAnyAge,
  type ConnectorConfig,
  type ConnectorState,
  type CompletenessState,
  type ConnectorStatus,
  type ConversationSource,
  type FailureRow,
  type LogCounts,
  type ReimportSummary,
  type SourceStatus,
  type SweepState,
  type TimeWindow,
  zeroCounts,
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
  /** The legacy chat source's own collection, once chat has been on (messaging's is the fields above). */
  readonly chat?: CarriedLane;
}

/** One source's collection as carried: its cursor, its late-arrival sweep, its work cut short. */
export interface CarriedLane {
  readonly cursor: number;
  readonly sweep?: SweepState;
  readonly rerun?: { readonly windowFrom?: number; readonly sweep?: boolean };
}

/**
 * One source's collection: cursor, late-arrival sweep, and whether its current window or sweep is a re-run.
 * Messaging's lane is the connector itself (its `cursor`, `sweep`, ...: the fields every history carries);
 * legacy chat's is kept apart, with its own lag and sweep look-back.
 */
export interface Lane {
  cursor: number;
  sweep: SweepState | undefined;
  /** The lane's current window was restarted by a reconfigure (or cut short by a stop): it may find its own writes. */
  rerunWindow: boolean;
  /** Likewise for its last sweep. */
  rerunSweep: boolean;
}

/** A window to collect next, and the source it reads. */
export interface NextWindow {
  readonly window: TimeWindow;
  readonly source: ConversationSource;
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
  current: { window: TimeWindow; progress: WindowProgress; source?: ConversationSource } | undefined;
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
  /** Legacy chat's collection: created when chat is first in liveperson.sources, then kept (see Lane). */
  chat: Lane | undefined;
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
    const chat = carried?.chat;
    this.chat = chat && {
      cursor: chat.cursor,
      sweep: chat.sweep,
      rerunWindow: chat.rerun?.windowFrom === chat.cursor,
      rerunSweep: chat.rerun?.sweep === true,
    };
  }

  // Sources.

  /** The sources in liveperson.sources, messaging first. */
  sources(): ConversationSource[] {
    return CONVERSATION_SOURCES.filter((s) => this.config.liveperson.sources.includes(s));
  }

  collects(source: ConversationSource): boolean {
    return this.config.liveperson.sources.includes(source);
  }

  /** A source's collection; chat's starts at the backfill's start the first time chat is on (never from a query). */
  lane(source: ConversationSource): Lane {
    if (source === 'messaging') return this;
    return (this.chat ??= { cursor: this.config.schedule.startAt, sweep: undefined, rerunWindow: false, rerunSweep: false });
  }

  /** How long after their end a source's conversations are asked for (chat is indexed later than messaging). */
  lagOf(source: ConversationSource): number {
    return source === 'chat' ? this.config.schedule.chatLagMs : this.config.schedule.lagMs;
  }

  /** Up to where every enabled source is collected: the earlier of their cursors (the one the connector shows). */
  shownCursor(): number {
    return Math.min(...this.sources().map((s) => this.cursorOf(s)));
  }

  /** A source's cursor, without creating its lane (queries must not change the state). */
  cursorOf(source: ConversationSource): number {
    return source === 'chat' ? (this.chat?.cursor ?? this.config.schedule.startAt) : this.cursor;
  }

  /** The connector log, as the status query answers it (`now`: for the lag). */
  status(now: number): ConnectorStatus {
    const current = this.current;
    const cursor = this.shownCursor();
    return {
      connector: this.config.name,
      state: this.state,
      cursor: new Date(cursor).toISOString(),
      lagSeconds: Math.max(0, Math.round((now - cursor) / 1000)),
      ...(current
        ? {
            currentWindow: {
              from: new Date(current.window.from).toISOString(),
              to: new Date(current.window.to).toISOString(),
              page: current.progress.pagesDone,
              ...(current.progress.pages !== undefined ? { pages: current.progress.pages } : {}),
              ...(current.source === 'chat' ? { source: current.source } : {}),
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
      ...(this.rerunWindow || this.rerunSweep || this.chat?.rerunWindow || this.chat?.rerunSweep
        ? {
            interrupted: {
              ...(this.rerunWindow ? { window: new Date(this.cursor).toISOString() } : {}),
              ...(this.rerunSweep ? { sweep: true } : {}),
              ...(this.chat?.rerunWindow ? { chatWindow: new Date(this.chat.cursor).toISOString() } : {}),
              ...(this.chat?.rerunSweep ? { chatSweep: true } : {}),
            },
          }
        : {}),
      ...(this.chat || this.collects('chat') ? { sources: this.sourceStatus(now) } : {}),
    };
  }

  /** Each source's cursor, sweep and counts (messaging's counts: the totals less chat's). */
  private sourceStatus(now: number): { messaging: SourceStatus; chat: SourceStatus } {
    const chatLog = this.log.chat ?? { totals: zeroCounts(), days: [] };
    const chatDay = new Map(chatLog.days.map((d) => [d.day, d.counts]));
    const one = (source: ConversationSource, totals: LogCounts, days: SourceStatus['days']): SourceStatus => {
      const cursor = this.cursorOf(source);
      const sweep = source === 'chat' ? this.chat?.sweep : this.sweep;
      return {
        enabled: this.collects(source),
        cursor: new Date(cursor).toISOString(),
        lagSeconds: Math.max(0, Math.round((now - cursor) / 1000)),
        totals: { ...totals },
        days,
        ...(sweep ? { sweep } : {}),
      };
    };
    return {
      messaging: one(
        'messaging',
        subtractCounts(this.log.totals, chatLog.totals),
        this.log.days.map((d) => ({ day: d.day, counts: subtractCounts(d.counts, chatDay.get(d.day) ?? zeroCounts()) })),
      ),
      chat: one(
        'chat',
        chatLog.totals,
        chatLog.days.map((d) => ({ day: d.day, counts: { ...d.counts } })),
      ),
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
    const cursor = this.shownCursor();
    if (to > cursor) {
      throw new Error(
        `reimport: --to must not be after the connector's cursor (${new Date(cursor).toISOString()}); the connector itself collects what follows`,
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

  /**
   * The next window to collect at `now`, if one is ready (run-now takes whatever is ready): of the enabled
   * sources, the one furthest behind (messaging on a tie), so a backfill moves both sources along together.
   */
  takeNextWindow(now: number): NextWindow | undefined {
    const forced = this.runNow;
    this.runNow = false;
    const s = this.config.schedule;
    let next: NextWindow | undefined;
    for (const source of this.sources()) {
      const window = nextWindow(this.cursorOf(source), now, {
        maxSizeMs: s.backfillWindowMs,
        minSizeMs: forced ? 1 : s.minWindowMs,
        lagMs: this.lagOf(source),
      });
      if (window && (!next || window.from < next.window.from)) next = { window, source };
    }
    return next;
  }

  /** The first enabled source whose late-arrival sweep is due. */
  sweepDue(now: number): ConversationSource | undefined {
    return this.sources().find((source) => {
      const sweep = source === 'chat' ? this.chat?.sweep : this.sweep;
      return sweep !== undefined && sweepDue(this.config, sweep, this.cursorOf(source), now, source);
    });
  }

  /** A window starts: live when it ends near now − lag, else catching up. */
  beginWindow(window: TimeWindow, now: number, source: ConversationSource = 'messaging'): ConnectorState {
    const behind = now - this.lagOf(source) - window.to;
    this.workingState = behind > 2 * this.config.schedule.pollIntervalMs ? 'catching-up' : 'live';
    this.current = { window, progress: { pagesDone: 0 }, ...(source === 'chat' ? { source } : {}) };
    return this.workingState;
  }

  /** A stop ended the window while it waited: whatever it wrote is found again by its re-run after a restart. */
  abandonWindow(source: ConversationSource = 'messaging'): void {
    this.current = undefined;
    this.lane(source).rerunWindow = true;
  }

  /** Every batch of the window is done: the source's cursor moves to its end. */
  finishWindow(window: TimeWindow, wroteManifest: boolean, now: number, source: ConversationSource = 'messaging'): void {
    const lane = this.lane(source);
    lane.rerunWindow = false;
    this.current = undefined;
    lane.cursor = window.to;
    lane.sweep = afterWindow(this.config, lane.sweep, { from: window.from, to: window.to }, wroteManifest, lane.cursor, now, source);
    this.windowsDone++;
    this.windowsThisRun++;
  }

  /**
   * A watch saw nothing closed in [cursor, to) of a source: the cursor moves there with no window (no manifest, not
   * counted as a window); a late arrival in that span is the sweep's, as for an empty window.
   */
  passEmpty(source: ConversationSource, to: number, now: number): void {
    const lane = this.lane(source);
    if (to <= lane.cursor) return;
    const span = { from: lane.cursor, to };
    lane.cursor = to;
    lane.sweep = afterWindow(this.config, lane.sweep, span, false, lane.cursor, now, source);
  }

  /**
   * The live follower handed a source's next window back (it could not do it whole): the loop collects it next, at
   * any size. `failed`: a step failed part-way, so what it wrote counts as imported when found again.
   */
  handBack(source: ConversationSource, failed: boolean): void {
    if (failed) this.lane(source).rerunWindow = true;
    this.runNow = true;
  }

  /** What one batch (or a finished reimport) added to the connector log. */
  recordBatch(day: string, counts: LogCounts, failures: readonly FailureRow[], source: ConversationSource = 'messaging'): void {
    recordPage(this.log, day, counts, failures, source);
  }

  /** The log as it is, to roll back to when a window or sweep is run again or abandoned. */
  snapshotLog(): LogState {
    return copyLogState(this.log);
  }

  rollbackLog(snapshot: LogState): void {
    Object.assign(this.log, snapshot);
    if (!snapshot.chat) delete this.log.chat;
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

  /** A reimport's counts join the log; its chat share (when it read chats too) is recorded as chat's. */
  reimportDone(
    entry: ReimportEntry,
    result: { counts: LogCounts; failures: readonly FailureRow[]; chatCounts?: LogCounts },
    now: number,
  ): void {
    entry.state = 'done';
    entry.counts = result.counts;
    const chat = result.chatCounts;
    if (chat) {
      this.recordBatch(utcDay(now), subtractCounts(result.counts, chat), result.failures);
      this.recordBatch(utcDay(now), chat, [], 'chat');
    } else {
      this.recordBatch(utcDay(now), result.counts, result.failures);
    }
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
      ...(this.rerunWindow || this.rerunSweep ? { rerun: carriedRerun(this) } : {}),
      ...(this.chat
        ? {
            chat: {
              cursor: this.chat.cursor,
              ...(this.chat.sweep ? { sweep: this.chat.sweep } : {}),
              ...(this.chat.rerunWindow || this.chat.rerunSweep ? { rerun: carriedRerun(this.chat) } : {}),
            },
          }
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
    return `${this.state} · cursor ${utcIso(this.shownCursor())}${win} · ${t.imported} imported · ${t.partial} partial · ${t.skippedDuplicate} duplicates · ${t.failed} failed${err}`;
  }
}

function carriedRerun(lane: Lane): NonNullable<CarriedLane['rerun']> {
  return { ...(lane.rerunWindow ? { windowFrom: lane.cursor } : {}), ...(lane.rerunSweep ? { sweep: true } : {}) };
}

function utcIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
}
