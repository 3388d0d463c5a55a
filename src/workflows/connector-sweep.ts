import { log, workflowInfo } from '@temporalio/workflow';
import { utcDay, type SweepState } from '../model';
import type { WindowActivities } from './activities-proxy';
import type { ConnectorEffects } from './connector-effects';
import type { Connector } from './connector-state';
import { WindowAbandoned, WindowRestart } from './guard';
import { afterWindow, sweepPlan } from './late-arrival-sweep';
import { processWindow, type Guard } from './process-window';

/**
 * Late-arrival sweep: the last `lateArrivalSweep` before the cursor once more, keeping only conversation
 * versions no window's manifest lists; what it finds is archived and logged like any other item. A stop
 * abandons it and a reconfigure restarts it, its counts rolled back either way.
 */
export async function runSweep(
  c: Connector,
  acts: WindowActivities,
  guard: Guard,
  fx: ConnectorEffects,
  tracked: SweepState,
  now: number,
): Promise<'done' | 'abandoned' | 'restart'> {
  const plan = sweepPlan(c.config, tracked, c.cursor);
  c.sweepSeq++;
  const scope = `s-${workflowInfo().runId.slice(0, 8)}-${c.sweepSeq}`;
  c.current = { window: plan.window, progress: { pagesDone: 0 } };
  const before = c.snapshotLog();
  let found = 0;
  try {
    const day = utcDay(now);
    const sweepGuard: Guard = (call) => guard((retried) => call(retried || c.rerunSweep));
    const outcome = await processWindow(
      acts,
      sweepGuard,
      c.config,
      plan.window,
      day,
      c.current.progress,
      (batch) => {
        found += batch.counts.fromSource;
        c.recordBatch(day, batch.counts, batch.failures);
        fx.show();
      },
      { scope, skipSeenIn: plan.manifests },
    );
    const done: SweepState = { ...tracked, runs: tracked.runs + 1, found: tracked.found + found, lastAt: now };
    c.sweep = afterWindow(c.config, done, { ...plan.window, scope }, outcome.manifest, c.cursor, now);
    c.rerunSweep = false;
    if (found > 0) log.info('Late-arrival sweep found conversations its windows had missed', { connector: c.config.name, found });
    return 'done';
  } catch (err) {
    if (!(err instanceof WindowAbandoned || err instanceof WindowRestart)) throw err;
    c.rollbackLog(before);
    c.rerunSweep = true; // restarted or abandoned: its re-run may find its own earlier writes
    return err instanceof WindowAbandoned ? 'abandoned' : 'restart';
  } finally {
    c.current = undefined;
    fx.show();
  }
}
