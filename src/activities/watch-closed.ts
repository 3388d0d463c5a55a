import { Context } from '@temporalio/activity';
import type { ConnectorConfig, ConversationSource, TimeWindow } from '../model';
import { recordsInWindow } from '../pipeline/window-filter';
import type { ActivityDeps } from './ports';

/** One source the watch looks at: from its cursor to now − its lag. */
export interface WatchedLane {
  readonly source: ConversationSource;
  readonly cursor: number;
  readonly lagMs: number;
}

export interface WatchClosedInput {
  readonly config: ConnectorConfig;
  readonly lanes: readonly WatchedLane[];
  /** Longest the watch waits for a closed conversation before it returns with what it saw (nothing). */
  readonly maxWaitMs: number;
}

export interface WatchClosedResult {
  /** The first source found with a conversation closed after its cursor (absent: none within maxWaitMs). */
  readonly found?: ConversationSource;
  /**
   * Per watched source, how far its last search reached with nothing closed in [cursor, to): the workflow may
   * move that source's cursor there without a window (a late arrival is the sweep's, as for any window).
   */
  readonly emptyUntil: readonly { readonly source: ConversationSource; readonly to: number }[];
}

/**
 * Live following without a workflow step per poll: the activity polls LivePerson in-process every pollInterval
 * and returns as soon as a conversation closed after a cursor (then the workflow collects the window as always),
 * or after maxWaitMs with how far each source was seen empty. An idle connector costs one activity per
 * maxWaitMs instead of a timer, a fetch and an upsert per poll. It reads, never writes: a watch cancelled, lost
 * with its worker or run twice changes nothing. Runs on the watch task queue, apart from the pipeline's slots.
 */
export function makeWatchClosed(deps: ActivityDeps) {
  return async function watchClosed(input: WatchClosedInput): Promise<WatchClosedResult> {
    const { config } = input;
    const s = config.schedule;
    const deadline = Date.now() + input.maxWaitMs;
    const emptyUntil = new Map<ConversationSource, number>(input.lanes.map((l) => [l.source, l.cursor]));
    for (;;) {
      const now = Date.now();
      for (const lane of input.lanes) {
        const window = { from: lane.cursor, to: now - lane.lagMs };
        // Only a window the workflow would collect (at least minWindow): a shorter one would send it straight back.
        if (window.to - window.from < s.minWindowMs) continue;
        if (await anyClosedIn(deps, config, lane.source, window)) return { found: lane.source, emptyUntil: [] };
        emptyUntil.set(lane.source, window.to);
      }
      if (Date.now() + s.pollIntervalMs >= deadline) {
        return {
          emptyUntil: [...emptyUntil].filter(([source, to]) => to > cursorOf(input, source)).map(([source, to]) => ({ source, to })),
        };
      }
      await Context.current().sleep(s.pollIntervalMs);
    }
  };
}

function cursorOf(input: WatchClosedInput, source: ConversationSource): number {
  return input.lanes.find((l) => l.source === source)!.cursor;
}

/** Whether any conversation closed in the window: the covering search, paged until one falls inside it. */
async function anyClosedIn(deps: ActivityDeps, config: ConnectorConfig, source: ConversationSource, window: TimeWindow): Promise<boolean> {
  const search = deps.source(config, source);
  for (let offset = 0; ; offset += 100) {
    const page = await search.searchClosed(window, offset, 100);
    // A record without a usable end time counts too: the window collected for it logs it as failed, as always.
    if (recordsInWindow(page.records, window).length > 0) return true;
    if (page.records.length === 0 || offset + 100 >= page.count) return false;
  }
}
