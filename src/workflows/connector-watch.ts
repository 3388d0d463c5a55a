import { CancellationScope, condition, workflowInfo } from '@temporalio/workflow';
import type { WindowActivities } from './activities-proxy';
import type { ConnectorEffects } from './connector-effects';
import type { Connector } from './connector-state';
import { WindowAbandoned, WindowRestart } from './guard';
import type { Guard } from './process-window';

/** Longest one watch waits before the loop looks again (and, with a sweep or the proof due sooner, less). */
export const MAX_WATCH_MS = 5 * 60_000;

/** How long one watch (or follow) runs: at most MAX_WATCH_MS, less when a sweep or the proof is due sooner. */
export function watchWaitMs(c: Connector): number {
  const s = c.config.schedule;
  const bounds = [
    MAX_WATCH_MS,
    ...(s.sweepIntervalMs > 0 ? [s.sweepIntervalMs] : []),
    ...(s.completenessCheckMs > 0 ? [s.completenessCheckMs] : []),
  ];
  return Math.max(2 * s.pollIntervalMs, Math.min(...bounds));
}

/**
 * A live connector with nothing to collect waits in one watchClosed activity (on the watch task queue) instead of a
 * timer and an empty window per poll: it returns when a conversation closed after a cursor (the loop then
 * collects the window) or after the wait with how far each source was seen empty (those cursors move with no
 * window). An operator's signal, a reconfigure or a suggested continue-as-new ends the wait at once; the watch
 * is cancelled (it only reads).
 */
export async function watchWhileIdle(c: Connector, acts: WindowActivities, guard: Guard, fx: ConnectorEffects): Promise<void> {
  const maxWaitMs = watchWaitMs(c);
  const lanes = c.sources().map((source) => ({ source, cursor: c.cursorOf(source), lagMs: c.lagOf(source) }));
  const wakeups = c.wakeups;
  const woken = (): boolean => c.runNow || c.stopRequested || c.paused || c.wakeups !== wakeups || workflowInfo().continueAsNewSuggested;
  let outcome: Awaited<ReturnType<WindowActivities['watchClosed']>> | 'woken';
  try {
    outcome = await guard(async () => {
      const scope = new CancellationScope();
      try {
        return await scope.run(() => {
          const watch = acts.watchClosed({ config: c.config, lanes, maxWaitMs });
          const wake = condition(woken).then(() => 'woken' as const);
          // The loser is cancelled below: its rejection is expected.
          watch.catch(() => undefined);
          wake.catch(() => undefined);
          return Promise.race([watch, wake]);
        });
      } finally {
        scope.cancel();
      }
    });
  } catch (err) {
    if (err instanceof WindowAbandoned || err instanceof WindowRestart) return; // the loop sees the stop or the new config
    throw err;
  }
  if (outcome === 'woken') return;
  const now = Date.now(); // workflow-task time: deterministic on replay
  for (const { source, to } of outcome.emptyUntil) c.passEmpty(source, to, now);
  if (outcome.emptyUntil.length > 0) fx.cursorMoved();
}
