import { Context } from '@temporalio/activity';
import { utcDay, type ConnectorConfig, type ConversationSource, type TimeWindow } from '../model';
import { followWindow, nextFollowPoll } from '../pipeline/live-grid';
import { rawEndTime, recordsInWindow } from '../pipeline/window-filter';
import { warn, withOwnHeartbeat } from '../runtime/heartbeat';
import { pipelineSteps, runWindowInProcess } from '../runtime/in-process-window';
import type { FollowedWindow, FollowLiveInput, FollowLiveResult } from './contracts';
import type { ActivityDeps } from './ports';

/**
 * Where the running follow stands with Temporal, read before every window and poll (see follow-lease.ts): `wanted`;
 * `ending` (cancelled by the workflow: a signal, a reconfigure, a continue-as-new; it is still the attempt the workflow
 * waits for); `lost` (not this attempt any more: timed out and retried elsewhere, or Temporal cannot be read).
 */
export type FollowStanding = 'wanted' | 'ending' | 'lost';

export interface FollowLease {
  standing(): Promise<FollowStanding>;
}

/** How often a follow reads its lease while it only polls (and before every window): how soon a signal ends it. */
export const LEASE_READ_MS = 15_000;

/** Windows one follow collects at most before it returns: bounds the result recorded in history. */
export const MAX_FOLLOWED_WINDOWS = 30;

/**
 * Live following for a few actions an hour: one activity on the watch task queue searches LivePerson every poll
 * interval and collects each window that has closed conversations right here, through the same pipeline steps, blob
 * names and import keys as the workflow's windows; after maxWaitMs (or when Temporal no longer wants it: an
 * operator's signal, a reconfigure, a continue-as-new) it returns the windows it collected and how far each source
 * was seen empty, and the workflow records them as if it had run them. Windows lie on a grid from the cursor
 * (live-grid.ts), so a follow retried after its worker died rewrites the same log parts and manifests, and what it
 * finds of the lost attempt's items counts as imported (attempt > 1), never as duplicates. It hands a window back
 * to the workflow when it cannot do it whole (a record with no end time, or a step that failed: the workflow's
 * failure policy then applies).
 */
export function makeFollowLive(deps: ActivityDeps, lease: FollowLease) {
  const steps = pipelineSteps(deps);
  return (input: FollowLiveInput): Promise<FollowLiveResult> => withOwnHeartbeat(() => followLive(input));

  async function followLive(input: FollowLiveInput): Promise<FollowLiveResult> {
    const { config } = input;
    const gridMs = config.schedule.pollIntervalMs;
    const deadline = Date.now() + input.maxWaitMs;
    const lanes = input.lanes.map((l) => ({ source: l.source, cursor: l.cursor, lagMs: l.lagMs, rerun: l.rerun === true }));
    const windows: FollowedWindow[] = [];
    const emptyUntil = new Map<ConversationSource, number>();
    const done = (handBack?: FollowLiveResult['handBack']): FollowLiveResult => ({
      windows,
      emptyUntil: [...emptyUntil].map(([source, to]) => ({ source, to })),
      ...(handBack ? { handBack } : {}),
    });
    // Cut short (lost, or the worker stops): the windows stand, the cursors stay at their ends, and what follows is
    // searched again by whatever the loop does next.
    const cut = (): FollowLiveResult => ({ windows, emptyUntil: [] });
    // A poll that only searches takes a standing read within LEASE_READ_MS (or the poll interval, if shorter: a signal
    // never waits longer than a poll); a window (it writes) reads it afresh.
    const leaseFreshMs = Math.min(LEASE_READ_MS, gridMs);
    let standingSeen: FollowStanding = 'wanted';
    let standingReadAt = -Infinity;
    const readLease = async (fresh: boolean): Promise<FollowStanding> => {
      if (fresh || Date.now() - standingReadAt >= leaseFreshMs) {
        standingSeen = await lease.standing();
        standingReadAt = Date.now();
      }
      return standingSeen;
    };
    const lost = async (): Promise<boolean> => Context.current().cancellationSignal.aborted || (await readLease(true)) === 'lost';

    let nextPollAt = 0;
    let ending = false;
    for (;;) {
      if (Context.current().cancellationSignal.aborted) return cut();
      const standing = await readLease(false);
      if (standing === 'lost') return cut();
      // Asked to end: one last pass collects what has closed up to now − lag (after a retry, that redoes the windows
      // the lost attempt did, under the same names), then it returns.
      ending ||= standing === 'ending';
      const last = ending || Date.now() >= deadline;
      if (last || Date.now() >= nextPollAt) {
        for (const lane of lanes) {
          // Catch the source up: window after window while their ends have passed now − lag.
          while (windows.length < MAX_FOLLOWED_WINDOWS) {
            const span = { from: lane.cursor, to: Date.now() - lane.lagMs };
            if (span.to <= span.from) break;
            let first: { at?: number } | undefined;
            try {
              first = await firstCloseIn(deps, config, lane.source, span);
            } catch (err) {
              if (windows.length === 0) throw err; // it only read: Temporal retries it
              return done(); // what was collected is recorded; the next follow searches again
            }
            if (!first) {
              emptyUntil.set(lane.source, span.to);
              lane.cursor = span.to;
              break;
            }
            if (first.at === undefined) return done({ source: lane.source }); // the workflow's window logs it as failed
            const window = followWindow(lane.cursor, first.at, gridMs);
            if (window.from > lane.cursor) {
              emptyUntil.set(lane.source, window.from);
              lane.cursor = window.from;
            }
            if (window.to > span.to) break; // its grid step has not passed now − lag yet
            if (await lost()) return cut();
            const followed = await collect(lane, window);
            if (typeof followed === 'string') return done({ source: lane.source, failure: followed });
            windows.push(followed);
            emptyUntil.delete(lane.source);
            lane.cursor = window.to;
            lane.rerun = false;
          }
        }
        if (last || windows.length >= MAX_FOLLOWED_WINDOWS) return done();
        nextPollAt = Math.min(...lanes.map((l) => nextFollowPoll(Date.now(), l.lagMs, gridMs)));
      }
      // Between polls the lease is read every LEASE_READ_MS, so a signal takes effect soon even with a long pollInterval.
      await pause(Math.min(nextPollAt, deadline, Date.now() + LEASE_READ_MS) - Date.now());
    }

    /** One window in-process; the failure's message when a step failed (what it wrote is found again by the re-run). */
    async function collect(lane: { source: ConversationSource; rerun: boolean }, window: TimeWindow): Promise<FollowedWindow | string> {
      const day = utcDay(window.to - 1);
      try {
        const run = await runWindowInProcess(steps, config, window, lane.source, day, lane.rerun);
        return { source: lane.source, window, day, batches: run.batches, manifest: run.manifest };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        warn('A live window failed in the follower; the workflow collects it with its failure policy', {
          connector: config.name,
          source: lane.source,
          window,
          error: message,
        });
        return message;
      }
    }
  }
}

/** Waits `ms`, or less if the worker shuts down (the follow then returns what it did). */
async function pause(ms: number): Promise<void> {
  if (ms <= 0) return;
  try {
    await Context.current().sleep(ms);
  } catch {
    // cancelled: the loop sees it and returns
  }
}

/**
 * The earliest close in the span (the covering search, paged): undefined when none; `{}` when a record in it has no
 * usable end time (its window is the workflow's, which logs it as failed).
 */
async function firstCloseIn(
  deps: ActivityDeps,
  config: ConnectorConfig,
  source: ConversationSource,
  span: TimeWindow,
): Promise<{ at?: number } | undefined> {
  const search = deps.source(config, source);
  let first: number | undefined;
  for (let offset = 0; ; offset += 100) {
    const page = await search.searchClosed(span, offset, 100);
    for (const record of recordsInWindow(page.records, span)) {
      const end = rawEndTime(record);
      if (end === undefined) return {};
      if (first === undefined || end < first) first = end;
    }
    if (page.records.length === 0 || offset + 100 >= page.count) return first === undefined ? undefined : { at: first };
  }
}
