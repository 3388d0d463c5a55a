import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  ParentClosePolicy,
  startChild,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  LP_CONNECTOR_STATE,
  LP_CURSOR_TIME,
  nextWindow,
  upgradeConfig,
  type ConfigOfAnyAge,
  utcDay,
  type ConnectorConfig,
  type ConnectorState,
  type ConnectorStatus,
  type ReimportSummary,
  type SweepState,
  type TimeWindow,
} from '../model';
import { activitiesFor, fairnessOf, type ActivityTuning } from './activities-proxy';
import { copyLogState, emptyLogState, recordPage, type LogState } from './connector-log-state';
import { backoffMs, classifyFailure } from './failure-policy';
import {
  pauseSignal,
  reconfigureUpdate,
  reimportUpdate,
  resumeSignal,
  retryFailedUpdate,
  runNowSignal,
  statusQuery,
  stopSignal,
} from './messages';
import { reimportWorkflow, splitWindows } from './reimport-workflow';
import { processWindow, type Guard, type WindowOutcome, type WindowProgress } from './process-window';
import { checkReconfigure } from './reconfigure-check';
import { afterWindow, sweepDue, sweepPlan } from './late-arrival-sweep';

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
}

export interface ConnectorWorkflowInput {
  /** As the connector was started or last reconfigured (older runs may lack newer fields: see upgradeConfig). */
  readonly config: ConfigOfAnyAge;
  readonly carried?: CarriedState;
  /** Continue as new after this many windows even if the server has not suggested it (tests, tuning). */
  readonly maxWindowsPerRun?: number;
  readonly tuning?: ActivityTuning;
}

/** Thrown inside a window when an operator stops the connector while it waits out a failure. */
class WindowAbandoned extends Error {}
/** Thrown inside a window when the config changed while it waited: the window starts over with it. */
class WindowRestart extends Error {}

/**
 * One long-running workflow per connector: collect closed conversations window by window, from the
 * backfill start date up to (now − lag), then keep following. The cursor moves only after every item of
 * a window is imported, skipped as a duplicate, or logged as failed.
 *
 * Failure policy: each activity gets a few quick retries from Temporal; then this workflow shows the
 * connector as `throttled` or `failing`, backs off (30 s doubling to 10 min) and retries, without end.
 * A configuration error (bad credentials, missing permission) shows `needs-credentials` and waits for
 * reconfigure, resume or run-now.
 */
export async function connectorWorkflow(input: ConnectorWorkflowInput): Promise<ConnectorStatus> {
  let config = upgradeConfig(input.config);
  const carried = input.carried;
  let acts = activitiesFor(input.tuning, fairnessOf(config));
  let cursor = carried?.cursor ?? config.schedule.startAt;
  const logState = carried?.log ?? emptyLogState();
  let windowsDone = carried?.windowsDone ?? 0;
  const runsSoFar = (carried?.runsSoFar ?? 0) + 1;
  let paused = carried?.paused ?? false;
  let lastError = carried?.lastError;
  let state: ConnectorState = 'starting';
  let stopRequested = false;
  let runNow = false;
  /** Bumped by resume, run-now and reconfigure: ends any wait for an operator or a backoff. */
  let wakeups = 0;
  let configVersion = 0;
  let current: { window: TimeWindow; progress: WindowProgress } | undefined;
  let windowsThisRun = 0;
  let rerunWindow = false;
  const reimports: (ReimportSummary & { state: ReimportSummary['state']; counts?: ReimportSummary['counts'] })[] = [
    ...(carried?.reimports ?? []),
  ];
  let reimportSeq = 0;
  let sweep: SweepState | undefined = carried?.sweep;
  let sweepSeq = 0;
  /** The last sweep was restarted by a reconfigure: what the next one finds may be its own earlier writes. */
  let rerunSweep = false;

  // In workflow code Date.now() is Temporal's deterministic workflow-task time (replay gives the same value).
  const status = (): ConnectorStatus => ({
    connector: config.name,
    state,
    cursor: new Date(cursor).toISOString(),
    lagSeconds: Math.max(0, Math.round((Date.now() - cursor) / 1000)),
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
    windowsDone,
    totals: { ...logState.totals },
    days: logState.days.map((d) => ({ day: d.day, counts: { ...d.counts } })),
    recentFailures: [...logState.recentFailures],
    ...(lastError !== undefined ? { lastError } : {}),
    runsSoFar,
    ...(reimports.length > 0 ? { reimports: reimports.map((r) => ({ ...r })) } : {}),
    ...(sweep ? { sweep } : {}),
  });

  setHandler(statusQuery, status);
  setHandler(pauseSignal, () => void (paused = true));
  setHandler(resumeSignal, () => {
    paused = false;
    wakeups++;
  });
  setHandler(stopSignal, () => void (stopRequested = true));
  setHandler(runNowSignal, () => {
    runNow = true;
    wakeups++;
  });
  setHandler(
    reconfigureUpdate,
    (next) => {
      config = upgradeConfig(next);
      acts = activitiesFor(input.tuning, fairnessOf(config)); // a new weight applies from the next activity
      configVersion++;
      wakeups++;
      log.info('Connector reconfigured', { connector: config.name });
      return { accepted: true, effectiveFrom: new Date(Date.now()).toISOString() };
    },
    { validator: (next: ConnectorConfig) => checkReconfigure(config, next) },
  );

  /** Starts a reimport child over `windows`; its counts join the connector log when it completes. */
  const launchReimport = async (windows: readonly TimeWindow[]): Promise<string> => {
    reimportSeq++;
    const id = `${workflowInfo().workflowId}-reimport-${workflowInfo().runId.slice(0, 8)}-${reimportSeq}`;
    const entry: (typeof reimports)[number] = {
      id,
      from: new Date(Math.min(...windows.map((w) => w.from))).toISOString(),
      to: new Date(Math.max(...windows.map((w) => w.to))).toISOString(),
      windows: windows.length,
      state: 'running',
    };
    reimports.push(entry);
    if (reimports.length > 5) reimports.splice(0, reimports.findIndex((r) => r.state !== 'running') + 1 || 0);
    const child = await startChild(reimportWorkflow, {
      workflowId: id,
      args: [
        {
          config,
          windows,
          scope: `r-${workflowInfo().runId.slice(0, 8)}-${reimportSeq}`,
          ...(input.tuning ? { tuning: input.tuning } : {}),
        },
      ],
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    });
    void child.result().then(
      (r) => {
        entry.state = 'done';
        entry.counts = r.counts;
        recordPage(logState, utcDay(Date.now()), r.counts, r.failures);
        showDetails();
      },
      (err: unknown) => {
        entry.state = 'failed';
        lastError = `reimport ${id} failed: ${err instanceof Error ? err.message : String(err)}`;
      },
    );
    return id;
  };
  setHandler(
    reimportUpdate,
    async ({ from, to }) => {
      const id = await launchReimport(splitWindows([{ from, to }], config.schedule.backfillWindowMs));
      return { reimportId: id, windows: Math.ceil((to - from) / config.schedule.backfillWindowMs) };
    },
    {
      validator: ({ from, to }: { from: number; to: number }) => {
        if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) throw new Error('reimport: --from must be before --to');
        if (to > cursor)
          throw new Error(
            `reimport: --to must not be after the connector's cursor (${new Date(cursor).toISOString()}); the connector itself collects what follows`,
          );
        if (from < Date.now() - 395 * 86_400_000)
          throw new Error('reimport: --from is older than LivePerson keeps conversations (13 months)');
      },
    },
  );
  setHandler(
    retryFailedUpdate,
    async ({ fromDay, toDay }) => {
      const found = await acts.failedWindows({ config, fromDay, toDay });
      if (found.windows.length === 0) return { failedRows: found.failedRows, windows: 0 };
      const id = await launchReimport(found.windows);
      return { reimportId: id, failedRows: found.failedRows, windows: found.windows.length };
    },
    {
      validator: ({ fromDay, toDay }: { fromDay: string; toDay: string }) => {
        const day = /^\d{4}-\d{2}-\d{2}$/;
        if (!day.test(fromDay) || !day.test(toDay) || fromDay > toDay)
          throw new Error('retry-failed: give UTC days YYYY-MM-DD with --from-day not after --to-day');
      },
    },
  );

  const setState = (next: ConnectorState): void => {
    if (next !== state) {
      state = next;
      upsertSearchAttributes([
        { key: LP_CONNECTOR_STATE, value: state },
        { key: LP_CURSOR_TIME, value: new Date(cursor) },
      ]);
    }
    showDetails();
  };
  const showDetails = (): void => {
    const t = logState.totals;
    const win = current
      ? ` · window ${utcIso(current.window.from)} page ${current.progress.pagesDone}/${current.progress.pages ?? '?'}`
      : '';
    const err =
      lastError && (state === 'throttled' || state === 'failing' || state === 'needs-credentials') ? ` · ${lastError.slice(0, 120)}` : '';
    setCurrentDetails(
      `${state} · cursor ${utcIso(cursor)}${win} · ${t.imported} imported · ${t.partial} partial · ${t.skippedDuplicate} duplicates · ${t.failed} failed${err}`,
    );
  };

  /** Runs one activity call until it succeeds, applying the failure policy between attempts. */
  let workingState: ConnectorState = 'catching-up';
  let failuresInARow = 0;
  const guard = async <T>(call: (retried: boolean) => Promise<T>): Promise<T> => {
    for (let tries = 0; ; tries++) {
      try {
        const result = await call(tries > 0);
        if (failuresInARow > 0) {
          failuresInARow = 0;
          lastError = undefined;
          setState(workingState);
        }
        return result;
      } catch (err) {
        const failure = classifyFailure(err);
        failuresInARow++;
        lastError = failure.message;
        setState(failure.kind);
        const seen = wakeups;
        const seenConfig = configVersion;
        if (failure.kind === 'needs-credentials') {
          log.warn('Connector needs an operator', { connector: config.name, type: failure.type });
          await condition(() => wakeups !== seen || stopRequested);
        } else {
          log.warn('Activity failed after its retries; backing off', { connector: config.name, type: failure.type, kind: failure.kind });
          await condition(() => wakeups !== seen || stopRequested, backoffMs(failuresInARow));
        }
        if (stopRequested) throw new WindowAbandoned();
        setState(workingState);
        if (configVersion !== seenConfig) throw new WindowRestart();
      }
    }
  };

  const reimportsRunning = (): boolean => reimports.some((r) => r.state === 'running');
  const continueAsNewNow = async (): Promise<never> => {
    // A reimport's counts join this run's log when it completes: wait for it before handing over.
    await condition(() => !reimportsRunning() && allHandlersFinished());
    const next: CarriedState = {
      cursor,
      log: logState,
      windowsDone,
      runsSoFar,
      paused,
      ...(lastError !== undefined ? { lastError } : {}),
      ...(reimports.length > 0 ? { reimports } : {}),
      ...(sweep ? { sweep } : {}),
    };
    return continueAsNew<typeof connectorWorkflow>({
      config,
      carried: next,
      ...(input.maxWindowsPerRun !== undefined ? { maxWindowsPerRun: input.maxWindowsPerRun } : {}),
      ...(input.tuning !== undefined ? { tuning: input.tuning } : {}),
    });
  };

  /**
   * Late-arrival sweep: the last `lateArrivalSweep` before the cursor once more, keeping only conversation
   * versions no window's manifest lists; what it finds is archived and logged like any other item.
   */
  const runSweep = async (tracked: SweepState, now: number): Promise<'done' | 'abandoned' | 'restart'> => {
    const plan = sweepPlan(config, tracked, cursor);
    sweepSeq++;
    const scope = `s-${workflowInfo().runId.slice(0, 8)}-${sweepSeq}`;
    current = { window: plan.window, progress: { pagesDone: 0 } };
    const before = copyLogState(logState);
    let found = 0;
    try {
      const day = utcDay(now);
      const sweepGuard: Guard = (call) => guard((retried) => call(retried || rerunSweep));
      const outcome = await processWindow(
        acts,
        sweepGuard,
        config,
        plan.window,
        day,
        current.progress,
        (page) => {
          found += page.counts.fromSource;
          recordPage(logState, day, page.counts, page.failures);
          showDetails();
        },
        { scope, skipSeenIn: plan.manifests },
      );
      const done: SweepState = { ...tracked, runs: tracked.runs + 1, found: tracked.found + found, lastAt: now };
      sweep = afterWindow(config, done, { ...plan.window, scope }, outcome.manifest, cursor, now);
      rerunSweep = false;
      if (found > 0) log.info('Late-arrival sweep found conversations its windows had missed', { connector: config.name, found });
      return 'done';
    } catch (err) {
      if (!(err instanceof WindowAbandoned || err instanceof WindowRestart)) throw err;
      Object.assign(logState, before);
      if (err instanceof WindowRestart) rerunSweep = true;
      return err instanceof WindowAbandoned ? 'abandoned' : 'restart';
    } finally {
      current = undefined;
      showDetails();
    }
  };

  while (!stopRequested) {
    if (workflowInfo().continueAsNewSuggested || windowsThisRun >= (input.maxWindowsPerRun ?? Infinity)) {
      return continueAsNewNow();
    }
    if (paused) {
      setState('paused');
      await condition(() => !paused || stopRequested || workflowInfo().continueAsNewSuggested);
      continue;
    }
    const now = Date.now();
    // run-now collects whatever is ready, even less than the minimum window.
    const forced = runNow;
    runNow = false;
    const window = nextWindow(cursor, now, {
      maxSizeMs: config.schedule.backfillWindowMs,
      minSizeMs: forced ? 1 : config.schedule.minWindowMs,
      lagMs: config.schedule.lagMs,
    });
    if (!window) {
      if (sweep && sweepDue(config, sweep, cursor, now)) {
        const outcome = await runSweep(sweep, now);
        if (outcome === 'abandoned') break;
        continue;
      }
      setState('live');
      await condition(() => runNow || stopRequested || paused || workflowInfo().continueAsNewSuggested, config.schedule.pollIntervalMs);
      continue;
    }
    const behind = now - config.schedule.lagMs - window.to;
    workingState = behind > 2 * config.schedule.pollIntervalMs ? 'catching-up' : 'live';
    setState(workingState);
    current = { window, progress: { pagesDone: 0 } };
    showDetails();
    // Counts of a window that is restarted or abandoned are rolled back: the re-run counts every item again.
    const before = copyLogState(logState);
    // A re-run window may find items its first run wrote: they count as imported, not as duplicates.
    const rerun = rerunWindow;
    const windowGuard: Guard = (call) => guard((retried) => call(retried || rerun));
    let outcome: WindowOutcome;
    try {
      const day = utcDay(Date.now());
      outcome = await processWindow(acts, windowGuard, config, window, day, current.progress, (page) => {
        recordPage(logState, day, page.counts, page.failures);
        showDetails();
      });
    } catch (err) {
      current = undefined;
      if (err instanceof WindowAbandoned || err instanceof WindowRestart) Object.assign(logState, before);
      if (err instanceof WindowAbandoned) break;
      if (err instanceof WindowRestart) {
        rerunWindow = true;
        continue; // same window, new config (all its steps are idempotent)
      }
      throw err;
    }
    rerunWindow = false;
    current = undefined;
    cursor = window.to;
    sweep = afterWindow(config, sweep, { from: window.from, to: window.to }, outcome.manifest, cursor, now);
    windowsDone++;
    windowsThisRun++;
    upsertSearchAttributes([{ key: LP_CURSOR_TIME, value: new Date(cursor) }]);
    showDetails();
  }
  setState('stopped');
  await condition(() => !reimportsRunning() && allHandlersFinished());
  return status();
}

function utcIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
}
