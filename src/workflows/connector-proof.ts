import { log, patched, workflowInfo } from '@temporalio/workflow';
import { utcDay, type DayCheck } from '../model';
import type { WindowActivities } from './activities-proxy';
import { afterProof, type DayToProve } from './completeness-plan';
import type { ConnectorEffects } from './connector-effects';
import type { Connector } from './connector-state';
import { WindowAbandoned, WindowRestart } from './guard';
import { DRAIN_LANES_PATCH, FUSED_PREPARE_PATCH, processWindow, type Guard } from './process-window';

/**
 * The daily completeness proof of the due days. A day with conversations in no manifest is repaired at once: a
 * window over the day, searched with LivePerson's whole retention as the start reach, keeps only the versions the
 * proof lists as missing and archives them like any other item; the day is then proven again. What stays missing
 * (LivePerson did not return it this time) is shown in the status and the log and checked again next time.
 * A stop abandons the proof (it runs again after a restart); a reconfigure ends it (it runs again with the new config).
 */
export async function runProof(
  c: Connector,
  acts: WindowActivities,
  guard: Guard,
  fx: ConnectorEffects,
  days: readonly DayToProve[],
  now: number,
): Promise<'done' | 'abandoned' | 'restart'> {
  const before = c.snapshotLog();
  try {
    const first = (await guard(() => acts.proveDays({ config: c.config, days }))).days;
    const incomplete = first.filter((d) => d.missingTotal > 0);
    let checks: readonly DayCheck[] = first;
    let foundLate = 0;
    if (incomplete.length > 0) {
      const todo = days.filter((d) => incomplete.some((i) => i.day === d.day));
      for (const d of todo)
        await repairDay(
          c,
          acts,
          guard,
          fx,
          d,
          incomplete.find((i) => i.day === d.day)!,
          now,
        );
      const again = (await guard(() => acts.proveDays({ config: c.config, days: todo }))).days;
      for (const d of again) {
        const was = incomplete.find((i) => i.day === d.day)!;
        foundLate += Math.max(0, was.missingTotal - d.missingTotal);
      }
      checks = first.map((d) => again.find((a) => a.day === d.day) ?? d);
      log.warn('Completeness proof found conversations no window had archived; archived them now', {
        connector: c.config.name,
        days: incomplete.map((d) => d.day),
        found: foundLate,
      });
    }
    c.completeness = afterProof(c.config, c.completeness, checks, foundLate, now);
    const still = checks.filter((d) => d.status === 'incomplete');
    if (still.length > 0)
      log.warn('Days not proven complete: LivePerson reports conversations that are in no manifest', {
        connector: c.config.name,
        days: still.map((d) => `${d.day} (${d.missingTotal} missing)`),
      });
    return 'done';
  } catch (err) {
    if (!(err instanceof WindowAbandoned || err instanceof WindowRestart)) throw err;
    c.rollbackLog(before);
    return err instanceof WindowAbandoned ? 'abandoned' : 'restart';
  } finally {
    c.current = undefined;
    fx.show();
  }
}

/** Archives the versions a day's proof lists as missing (logged in today's log, like the sweep's finds). */
async function repairDay(
  c: Connector,
  acts: WindowActivities,
  guard: Guard,
  fx: ConnectorEffects,
  d: DayToProve,
  proof: DayCheck,
  now: number,
): Promise<void> {
  c.repairSeq++;
  const scope = `p-${workflowInfo().runId.slice(0, 8)}-${c.repairSeq}`;
  const window = { from: d.from, to: d.to };
  c.current = { window, progress: { pagesDone: 0 } };
  const day = utcDay(now);
  // A retried or re-run repair finds its own earlier writes: they count as imported, not as duplicates.
  const repairGuard: Guard = (call) => guard(() => call(true));
  await processWindow(
    acts,
    repairGuard,
    c.config,
    window,
    day,
    c.current.progress,
    (batch) => {
      c.recordBatch(day, batch.counts, batch.failures);
      fx.show();
    },
    {
      scope,
      onlyMissingIn: proof.proof,
      drainOnFailure: () => patched(DRAIN_LANES_PATCH),
      fusedPrepare: () => patched(FUSED_PREPARE_PATCH),
    },
  );
}
