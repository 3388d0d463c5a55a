/**
 * The late-arrival sweep's bookkeeping, free of I/O (runs in the workflow). LivePerson makes a closed
 * conversation searchable after a lag of "up to about a minute"; one that shows up after its window has passed
 * would otherwise never be archived. In live mode the connector therefore looks back over the last
 * `lateArrivalSweep` every `sweepInterval`, and fetch keeps only what no finished window's manifest lists.
 */
import {
  manifestBlobName,
  scopedWindowLabel,
  type ConnectorConfig,
  type ConversationSource,
  type DoneWindow,
  type SweepState,
  type TimeWindow,
} from '../model';

/**
 * How far back a source's sweep looks: `lateArrivalSweep` for messaging; `chatLateArrivalSweep` for legacy chat,
 * which Engagement History may index up to 2 hours after it ended (the config rules keep it past that).
 */
export function sweepLookBack(config: ConnectorConfig, source: ConversationSource = 'messaging'): number {
  return source === 'chat' ? config.schedule.chatLateArrivalSweepMs : config.schedule.lateArrivalSweepMs;
}

/** Whether the sweep is on for this config and source (`lateArrivalSweep: 0m` turns messaging's off). */
export function sweepEnabled(config: ConnectorConfig, source: ConversationSource = 'messaging'): boolean {
  return sweepLookBack(config, source) > 0 && config.schedule.sweepIntervalMs > 0;
}

/**
 * A sweep is due when it is on, its interval has passed, and the cursor has moved past the point from which
 * finished windows are tracked (before that, the sweep could not tell what its windows already saw).
 */
export function sweepDue(
  config: ConnectorConfig,
  sweep: SweepState | undefined,
  cursor: number,
  now: number,
  source: ConversationSource = 'messaging',
): boolean {
  if (!sweepEnabled(config, source) || sweep === undefined) return false;
  return now - sweep.lastAt >= config.schedule.sweepIntervalMs && cursor > Math.max(config.schedule.startAt, sweep.trackedFrom);
}

/** The span a sweep reads, and the manifests of the finished windows that overlap it. */
export function sweepPlan(
  config: ConnectorConfig,
  sweep: SweepState,
  cursor: number,
  source: ConversationSource = 'messaging',
): { window: TimeWindow; manifests: string[] } {
  const from = Math.max(config.schedule.startAt, sweep.trackedFrom, cursor - sweepLookBack(config, source));
  const window = { from, to: cursor };
  const manifests = sweep.recent
    .filter((w) => w.to > window.from && w.from < window.to)
    .map((w) => manifestBlobName(config.name, scopedWindowLabel(w, w.scope), source));
  return { window, manifests };
}

/**
 * The sweep state after a finished window or sweep: one that wrote a manifest is remembered while it can
 * still overlap a sweep's look-back. The first window finished with the sweep on starts the tracking.
 * Undefined while the sweep is off.
 */
export function afterWindow(
  config: ConnectorConfig,
  sweep: SweepState | undefined,
  done: DoneWindow,
  wroteManifest: boolean,
  cursor: number,
  now: number,
  source: ConversationSource = 'messaging',
): SweepState | undefined {
  if (!sweepEnabled(config, source)) return sweep;
  const base: SweepState = sweep ?? { runs: 0, found: 0, lastAt: now, trackedFrom: done.from, recent: [] };
  const horizon = cursor - sweepLookBack(config, source);
  const recent = wroteManifest ? [...base.recent, done] : base.recent;
  return { ...base, recent: recent.filter((w) => w.to > horizon) };
}
