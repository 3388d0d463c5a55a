import { condition, defineQuery, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  addCounts,
  CONVERSATION_SOURCES,
  upgradeConfig,
  utcDay,
  zeroCounts,
  type ConfigOfAnyAge,
  type ConnectorConfig,
  type FailureRow,
  type LogCounts,
  type TimeWindow,
} from '../model';
import { activitiesFor, fairnessOf, type ActivityTuning } from './activities-proxy';
import { backoffMs, classifyFailure } from './failure-policy';
import { FUSED_PREPARE_PATCH, processWindow, type Guard } from './process-window';

export interface ReimportInput {
  readonly config: ConfigOfAnyAge;
  readonly windows: readonly TimeWindow[];
  /** Keeps this reimport's blobs (raw pages, working files, log parts, manifests) apart. */
  readonly scope: string;
  readonly tuning?: ActivityTuning;
}

export interface ReimportProgress {
  readonly windowsDone: number;
  readonly windows: number;
  readonly counts: LogCounts;
  readonly lastError?: string;
}

export interface ReimportResult {
  readonly counts: LogCounts;
  /** Legacy chat's share of `counts`, when the connector collects chats (absent: messaging only). */
  readonly chatCounts?: LogCounts;
  readonly failures: readonly FailureRow[];
  readonly windows: number;
}

export const reimportProgressQuery = defineQuery<ReimportProgress>('reimportProgress');

const MAX_ROWS = 20;

/**
 * Child of a connector: runs the page pipeline again over given windows, checking the mailbox for each
 * item's import key before every create, so only what is missing is written (the rest is logged as a
 * duplicate). Used for "reimport a time range" and "retry failed items". The connector's cursor is untouched.
 * Every window is read from each source the connector collects (messaging, then legacy chat).
 */
export async function reimportWorkflow(input: ReimportInput): Promise<ReimportResult> {
  const given = upgradeConfig(input.config);
  const config: ConnectorConfig = { ...given, graph: { ...given.graph, existenceCheck: 'always' } };
  const acts = activitiesFor(input.tuning, fairnessOf(config));
  let counts = zeroCounts();
  let chatCounts = zeroCounts();
  const sources = CONVERSATION_SOURCES.filter((s) => config.liveperson.sources.includes(s));
  const failures: FailureRow[] = [];
  let windowsDone = 0;
  let lastError: string | undefined;
  setHandler(reimportProgressQuery, () => ({ windowsDone, windows: input.windows.length, counts, ...(lastError ? { lastError } : {}) }));

  // What a retried import finds created before this reimport started was there already: a duplicate, not ours.
  const ownWritesSince = workflowInfo().startTime.getTime();
  let failuresInARow = 0;
  const guard: Guard = async (call) => {
    for (let tries = 0; ; tries++) {
      try {
        const r = await call(tries > 0);
        failuresInARow = 0;
        lastError = undefined;
        return r;
      } catch (err) {
        failuresInARow++;
        lastError = classifyFailure(err).message;
        await condition(() => false, backoffMs(failuresInARow));
      }
    }
  };

  for (const w of splitWindows(input.windows, config.schedule.backfillWindowMs)) {
    for (const source of sources) {
      const day = utcDay(Date.now()); // workflow-task time: deterministic on replay
      await processWindow(
        acts,
        guard,
        config,
        w,
        day,
        { pagesDone: 0 },
        (page) => {
          counts = addCounts(counts, page.counts);
          if (source === 'chat') chatCounts = addCounts(chatCounts, page.counts);
          failures.push(...page.failures);
          if (failures.length > MAX_ROWS) failures.splice(0, failures.length - MAX_ROWS);
        },
        { scope: input.scope, ownWritesSince, fusedPrepare: () => patched(FUSED_PREPARE_PATCH), ...(source === 'chat' ? { source } : {}) },
      );
    }
    windowsDone++;
  }
  return { counts, failures, windows: windowsDone, ...(sources.includes('chat') ? { chatCounts } : {}) };
}

/** Cuts windows longer than LivePerson likes to be asked for into pieces of at most maxMs. */
export function splitWindows(windows: readonly TimeWindow[], maxMs: number): TimeWindow[] {
  return windows.flatMap((w) => {
    const out: TimeWindow[] = [];
    for (let from = w.from; from < w.to; from += maxMs) out.push({ from, to: Math.min(from + maxMs, w.to) });
    return out;
  });
}
