import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  CONFIG_ERROR_TYPES,
  LP_CONNECTOR_STATE,
  LP_CURSOR_TIME,
  nextWindow,
  utcDay,
  type ConnectorConfig,
  type ConnectorState,
  type ConnectorStatus,
  type TimeWindow,
} from '../model';
import { emptyLogState, recordPage, type LogState } from './connector-log-state';
import { pauseSignal, reconfigureSignal, resumeSignal, runNowSignal, statusQuery, stopSignal } from './messages';
import { processWindow, type WindowProgress } from './process-window';

/** What a run hands to the next one on continue-as-new: small, bounded, no personal data. */
export interface CarriedState {
  readonly cursor: number;
  readonly log: LogState;
  readonly windowsDone: number;
  readonly runsSoFar: number;
  readonly paused: boolean;
  readonly lastError?: string;
}

export interface ConnectorWorkflowInput {
  readonly config: ConnectorConfig;
  readonly carried?: CarriedState;
  /** Continue as new after this many windows even if the server has not suggested it (tests, tuning). */
  readonly maxWindowsPerRun?: number;
}

const FAILING_BACKOFF_MS = 5 * 60_000;

/**
 * One long-running workflow per connector: collect closed conversations window by window, from the
 * backfill start date up to (now − lag), then keep following. The cursor moves only after every item of
 * a window is imported, skipped as a duplicate, or logged as failed.
 */
export async function connectorWorkflow(input: ConnectorWorkflowInput): Promise<ConnectorStatus> {
  let config = input.config;
  const carried = input.carried;
  let cursor = carried?.cursor ?? config.schedule.startAt;
  const log0 = carried?.log ?? emptyLogState();
  let windowsDone = carried?.windowsDone ?? 0;
  const runsSoFar = (carried?.runsSoFar ?? 0) + 1;
  let paused = carried?.paused ?? false;
  let lastError = carried?.lastError;
  let state: ConnectorState = 'starting';
  let stopRequested = false;
  let runNow = false;
  let reconfigured = false;
  let current: { window: TimeWindow; progress: WindowProgress } | undefined;
  let windowsThisRun = 0;

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
    totals: { ...log0.totals },
    days: log0.days.map((d) => ({ day: d.day, counts: { ...d.counts } })),
    recentFailures: [...log0.recentFailures],
    ...(lastError !== undefined ? { lastError } : {}),
    runsSoFar,
  });

  setHandler(statusQuery, status);
  setHandler(pauseSignal, () => void (paused = true));
  setHandler(resumeSignal, () => void (paused = false));
  setHandler(stopSignal, () => void (stopRequested = true));
  setHandler(runNowSignal, () => void (runNow = true));
  setHandler(reconfigureSignal, (next) => {
    config = next;
    reconfigured = true;
  });

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
    const t = log0.totals;
    const win = current ? ` · window ${utcIso(current.window.from)} page ${current.progress.pagesDone}/${current.progress.pages ?? '?'}` : '';
    setCurrentDetails(
      `${state} · cursor ${utcIso(cursor)}${win} · ${t.imported} imported · ${t.partial} partial · ${t.skippedDuplicate} duplicates · ${t.failed} failed`,
    );
  };

  while (!stopRequested) {
    if (paused) {
      setState('paused');
      await condition(() => !paused || stopRequested);
      continue;
    }
    const now = Date.now();
    const window = nextWindow(cursor, now, {
      maxSizeMs: config.schedule.backfillWindowMs,
      minSizeMs: config.schedule.minWindowMs,
      lagMs: config.schedule.lagMs,
    });
    if (!window) {
      setState('live');
      runNow = false;
      await condition(() => runNow || stopRequested || paused, config.schedule.pollIntervalMs);
      continue;
    }
    const behind = now - config.schedule.lagMs - window.to;
    setState(behind > 2 * config.schedule.pollIntervalMs ? 'catching-up' : 'live');
    current = { window, progress: { pagesDone: 0 } };
    showDetails();
    try {
      const day = utcDay(Date.now());
      await processWindow(config, window, day, current.progress, (page) => {
        recordPage(log0, day, page.counts, page.failures);
        showDetails();
      });
    } catch (err) {
      current = undefined;
      await waitAfterFailure(err);
      continue;
    }
    current = undefined;
    cursor = window.to;
    windowsDone++;
    windowsThisRun++;
    lastError = undefined;
    upsertSearchAttributes([{ key: LP_CURSOR_TIME, value: new Date(cursor) }]);
    showDetails();

    if (!stopRequested && (workflowInfo().continueAsNewSuggested || windowsThisRun >= (input.maxWindowsPerRun ?? Infinity))) {
      await condition(allHandlersFinished);
      const next: CarriedState = { cursor, log: log0, windowsDone, runsSoFar, paused, ...(lastError !== undefined ? { lastError } : {}) };
      return continueAsNew<typeof connectorWorkflow>({
        config,
        carried: next,
        ...(input.maxWindowsPerRun !== undefined ? { maxWindowsPerRun: input.maxWindowsPerRun } : {}),
      });
    }
  }
  setState('stopped');
  await condition(allHandlersFinished);
  return status();

  /** A window that failed for good: wait for an operator (config errors) or back off, then redo it. */
  async function waitAfterFailure(err: unknown): Promise<void> {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    const type = cause instanceof ApplicationFailure ? cause.type : undefined;
    lastError = cause instanceof Error ? cause.message : String(cause);
    if (type && (CONFIG_ERROR_TYPES as readonly string[]).includes(type)) {
      setState('needs-credentials');
      log.warn('Connector needs an operator', { connector: config.name, type });
      reconfigured = false;
      await condition(() => reconfigured || runNow || stopRequested);
      runNow = false;
      return;
    }
    setState('failing');
    log.error('Window failed; retrying after a pause', { connector: config.name, error: lastError });
    await condition(() => runNow || stopRequested || reconfigured, FAILING_BACKOFF_MS);
    runNow = false;
    reconfigured = false;
  }
}

function utcIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
}
