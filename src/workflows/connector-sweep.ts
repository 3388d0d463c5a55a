import { log, patched, workflowInfo } from '@temporalio/workflow';
import { utcDay, type ConversationSource, type SweepState } from '../model';
import type { WindowActivities } from './activities-proxy';
import type { ConnectorEffects } from './connector-effects';
import type { Connector } from './connector-state';
import { WindowAbandoned, WindowRestart } from './guard';
import { afterWindow, sweepPlan } from './late-arrival-sweep';
import { DRAIN_LANES_PATCH, FUSED_PREPARE_PATCH, processWindow, type Guard } from './process-window';

/**
 * Late-arrival sweep: the last `lateArrivalSweep` before the cursor once more, keeping only conversation
 * versions no window's manifest lists; what it finds is archived and logged like any other item. A stop
 * abandons it and a reconfigure restarts it, its counts rolled back either way. Each source has its own sweep
 * (legacy chat's looks back further: `chatLateArrivalSweep`).
 */
export async function runSweep(
  c: Connector,
  acts: WindowActivities,
  guard: Guard,
  fx: ConnectorEffects,
  source: ConversationSource,
  now: number,
): Promise<'done' | 'abandoned' | 'restart'> {
  const lane = c.lane(source);
  const tracked: SweepState = lane.sweep!;
  const plan = sweepPlan(c.config, tracked, lane.cursor, source);
  c.sweepSeq++;
  const scope = `s-${workflowInfo().runId.slice(0, 8)}-${c.sweepSeq}`;
  c.current = { window: plan.window, progress: { pagesDone: 0 }, ...(source === 'chat' ? { source } : {}) };
  const before = c.snapshotLog();
  let found = 0;
  try {
    const day = utcDay(now);
    const sweepGuard: Guard = (call) => guard((retried) => call(retried || lane.rerunSweep));
    const outcome = await processWindow(
      acts,
      sweepGuard,
      c.config,
      plan.window,
      day,
      c.current.progress,
      (batch) => {
        found += batch.counts.fromSource;
        c.recordBatch(day, batch.counts, batch.failures, source);
        fx.show();
      },
      {
        scope,
        skipSeenIn: plan.manifests,
        drainOnFailure: () => patched(DRAIN_LANES_PATCH),
        fusedPrepare: () => patched(FUSED_PREPARE_PATCH),
        ...(source === 'chat' ? { source } : {}),
      },
    );
    const done: SweepState = { ...tracked, runs: tracked.runs + 1, found: tracked.found + found, lastAt: now };
    lane.sweep = afterWindow(c.config, done, { ...plan.window, scope }, outcome.manifest, lane.cursor, now, source);
    lane.rerunSweep = false;
    if (found > 0) log.info('Late-arrival sweep found conversations its windows had missed', { connector: c.config.name, found, source });
    return 'done';
  } catch (err) {
    if (!(err instanceof WindowAbandoned || err instanceof WindowRestart)) throw err;
    c.rollbackLog(before);
    lane.rerunSweep = true; // restarted or abandoned: its re-run may find its own earlier writes
    return err instanceof WindowAbandoned ? 'abandoned' : 'restart';
  } finally {
    c.current = undefined;
    fx.show();
  }
}
