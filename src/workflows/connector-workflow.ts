import { allHandlersFinished, condition, continueAsNew, log, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ConfigOfAnyAge, ConnectorStatus } from '../model';
import { activitiesFor, fairnessOf, type ActivityTuning } from './activities-proxy';
import { connectorEffects } from './connector-effects';
import { launchReimport } from './connector-reimports';
import { Connector, type CarriedState } from './connector-state';
import { daysToProve } from './completeness-plan';
import { runProof } from './connector-proof';
import { runSweep } from './connector-sweep';
import { collectWindow } from './connector-window';
import { followWhileLive } from './connector-follow';
import { watchWhileIdle } from './connector-watch';
import { connectorGuard } from './guard';
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
import { splitWindows } from './reimport-workflow';

export type { CarriedState } from './connector-state';

/** Runs recorded before the daily completeness proof went idle where it now proves days (see completeness-plan.ts). */
const COMPLETENESS_PATCH = 'daily-completeness-proof';
/** Runs recorded before the live watch waited on a timer per poll interval where they now watch (connector-watch.ts). */
const WATCH_PATCH = 'live-watch';
/** Runs recorded before the live follower waited in a watch and ran each window's activities where they now follow. */
const FOLLOW_PATCH = 'live-follow';

export interface ConnectorWorkflowInput {
  /** As the connector was started or last reconfigured (older runs may lack newer fields: see upgradeConfig). */
  readonly config: ConfigOfAnyAge;
  readonly carried?: CarriedState;
  /** Continue as new after this many windows even if the server has not suggested it (tests, tuning). */
  readonly maxWindowsPerRun?: number;
  readonly tuning?: ActivityTuning;
}

/**
 * One long-running workflow per connector: collect closed conversations window by window, from the
 * backfill start date up to (now − lag), then keep following. The cursor moves only after every item of
 * a window is imported, skipped as a duplicate, or logged as failed. The state and its transitions are
 * the Connector class; failures go through the connector's guard (guard.ts). In workflow code Date.now()
 * is Temporal's deterministic workflow-task time. With legacy chat on (liveperson.sources), chats are collected
 * the same way with their own cursor, lag and sweep, the source furthest behind first.
 */
export async function connectorWorkflow(input: ConnectorWorkflowInput): Promise<ConnectorStatus> {
  const c = new Connector(input.config, input.carried);
  const fx = connectorEffects(c);
  const guard = connectorGuard(c, fx);
  const acts = () => activitiesFor(input.tuning, fairnessOf(c.config)); // a new weight applies from the next window

  setHandler(statusQuery, () => c.status(Date.now()));
  setHandler(pauseSignal, () => c.pause());
  setHandler(resumeSignal, () => c.resume());
  setHandler(stopSignal, () => c.stop());
  setHandler(runNowSignal, () => c.requestRunNow());
  setHandler(
    reconfigureUpdate,
    (next) => {
      const accepted = c.reconfigure(next, Date.now());
      log.info('Connector reconfigured', { connector: c.config.name });
      return accepted;
    },
    { validator: (next: ConfigOfAnyAge) => c.validateReconfigure(next) },
  );
  setHandler(
    reimportUpdate,
    async ({ from, to }) => {
      const id = await launchReimport(c, fx, splitWindows([{ from, to }], c.config.schedule.backfillWindowMs), input.tuning);
      return { reimportId: id, windows: Math.ceil((to - from) / c.config.schedule.backfillWindowMs) };
    },
    { validator: (range: { from: number; to: number }) => c.validateReimport(range, Date.now()) },
  );
  setHandler(
    retryFailedUpdate,
    async ({ fromDay, toDay }) => {
      const found = await acts().failedWindows({ config: c.config, fromDay, toDay });
      if (found.windows.length === 0) return { failedRows: found.failedRows, windows: 0 };
      const id = await launchReimport(c, fx, found.windows, input.tuning);
      return { reimportId: id, failedRows: found.failedRows, windows: found.windows.length };
    },
    { validator: (days: { fromDay: string; toDay: string }) => c.validateRetryFailed(days) },
  );

  let proof: ReturnType<typeof daysToProve>;
  while (!c.stopRequested) {
    if (c.shouldContinueAsNew(workflowInfo().continueAsNewSuggested, input.maxWindowsPerRun)) {
      // A reimport's counts join this run's log when it completes: wait for it before handing over.
      await condition(() => !c.reimportsRunning() && allHandlersFinished());
      return continueAsNew<typeof connectorWorkflow>({ ...input, config: c.config, carried: c.carried() });
    }
    if (c.paused) {
      fx.enter('paused');
      await condition(() => !c.paused || c.stopRequested || workflowInfo().continueAsNewSuggested);
      continue;
    }
    const now = Date.now();
    const next = c.takeNextWindow(now);
    let sweep: ReturnType<Connector['sweepDue']>;
    if (next) {
      if (!(await collectWindow(c, acts(), guard, fx, next.window, now, next.source))) break;
    } else if ((sweep = c.sweepDue(now))) {
      if ((await runSweep(c, acts(), guard, fx, sweep, now)) === 'abandoned') break;
    } else if (
      c.collects('messaging') &&
      (proof = daysToProve(c.config, c.completeness, c.cursor, now)).length > 0 &&
      patched(COMPLETENESS_PATCH)
    ) {
      if ((await runProof(c, acts(), guard, fx, proof, now)) === 'abandoned') break;
    } else if (patched(FOLLOW_PATCH)) {
      fx.enter('live');
      await followWhileLive(c, acts(), guard, fx);
    } else if (patched(WATCH_PATCH)) {
      fx.enter('live');
      await watchWhileIdle(c, acts(), guard, fx);
    } else {
      fx.enter('live');
      await condition(
        () => c.runNow || c.stopRequested || c.paused || workflowInfo().continueAsNewSuggested,
        c.config.schedule.pollIntervalMs,
      );
    }
  }
  fx.enter('stopped');
  await condition(() => !c.reimportsRunning() && allHandlersFinished());
  return c.status(Date.now());
}
