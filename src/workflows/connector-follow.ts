import { CancellationScope, condition, isCancellation, workflowInfo } from '@temporalio/workflow';
import type { FollowLiveResult } from '../activities/contracts';
import type { WindowActivities } from './activities-proxy';
import type { ConnectorEffects } from './connector-effects';
import type { Connector } from './connector-state';
import { watchWaitMs } from './connector-watch';
import { WindowAbandoned, WindowRestart } from './guard';
import type { Guard } from './process-window';

/**
 * A live connector follows in one followLive activity at a time (on the watch task queue): it collects the windows
 * that close meanwhile in-process and returns after the watch's wait (at most 5 minutes; less when a sweep or the
 * proof is due), and this records them as if the workflow had run them: a few actions an hour, busy or idle. An
 * operator's signal, a reconfigure or a suggested continue-as-new asks it to end (a cancel it reads from its
 * lease within a poll interval); it finishes the window it is in and its result is waited for and recorded.
 */
export async function followWhileLive(c: Connector, acts: WindowActivities, guard: Guard, fx: ConnectorEffects): Promise<void> {
  const lanes = c.sources().map((source) => ({
    source,
    cursor: c.cursorOf(source),
    lagMs: c.lagOf(source),
    ...(c.lane(source).rerunWindow ? { rerun: true } : {}),
  }));
  const input = { config: c.config, lanes, maxWaitMs: watchWaitMs(c) };
  const wakeups = c.wakeups;
  const woken = (): boolean => c.runNow || c.stopRequested || c.paused || c.wakeups !== wakeups || workflowInfo().continueAsNewSuggested;
  let result: FollowLiveResult | undefined;
  try {
    result = await guard(async () => {
      const followScope = new CancellationScope();
      const follow = followScope.run(() => acts.followLive(input));
      const wakeScope = new CancellationScope();
      const wake = wakeScope.run(() => condition(woken));
      wake.catch(() => undefined); // cancelled below once the follow is over
      await Promise.race([
        follow.then(
          () => undefined,
          () => undefined,
        ),
        wake,
      ]);
      wakeScope.cancel();
      if (woken()) followScope.cancel(); // it returns what it did; waited for below
      try {
        return await follow;
      } catch (err) {
        if (isCancellation(err)) return undefined; // ended before it did anything
        throw err;
      }
    });
  } catch (err) {
    if (err instanceof WindowAbandoned || err instanceof WindowRestart) return; // the loop sees the stop or the new config
    throw err;
  }
  if (result) recordFollow(c, result, Date.now()); // workflow-task time: deterministic on replay
  fx.cursorMoved();
}

/** Records a follow's windows and empty spans, in order, as the workflow's own windows would have been. */
export function recordFollow(c: Connector, result: FollowLiveResult, now: number): void {
  for (const w of result.windows) {
    c.passEmpty(w.source, w.window.from, now);
    for (const b of w.batches) c.recordBatch(w.day, b.counts, b.failures, w.source);
    c.finishWindow(w.window, w.manifest, now, w.source);
  }
  for (const { source, to } of result.emptyUntil) c.passEmpty(source, to, now);
  if (result.handBack) c.handBack(result.handBack.source, result.handBack.failure !== undefined);
}
