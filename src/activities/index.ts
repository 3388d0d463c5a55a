import { upgradeConfig, type ConnectorConfig } from '../model';
import type { ActivityDeps } from './ports';
import { makeCompleteWindow } from './complete-window';
import { makeConvertBatch } from './convert-batch';
import { makeFailedWindows } from './failed-windows';
import { makeFetchBatch } from './fetch-batch';
import { makeImportBatch } from './import-batch';
import { makePrepareBatch } from './prepare-batch';
import { makeResolveBatch } from './resolve-batch';
import { makeProveDays } from './prove-days';
import { makeStageBatch } from './stage-batch';
import { makeWatchClosed } from './watch-closed';

/**
 * Tasks a workflow scheduled before an upgrade carry its config as it was then: every activity completes it
 * once, on entry, so no rule below needs a fallback for fields a config lacked.
 */
function withCompleteConfig<I extends { readonly config: ConnectorConfig }, O>(activity: (input: I) => Promise<O>) {
  return (input: I): Promise<O> => activity({ ...input, config: upgradeConfig(input.config) });
}

/**
 * Builds the connector's activities from their dependencies (one object per worker). The keys are the activity
 * type names recorded in running connectors' histories: they keep the word `page` (see contracts.ts).
 */
export function createActivities(deps: ActivityDeps) {
  return {
    preparePage: withCompleteConfig(makePrepareBatch(deps)),
    // The single steps preparePage runs: kept for histories (and running windows) from before it.
    fetchPage: withCompleteConfig(makeFetchBatch(deps)),
    convertPage: withCompleteConfig(makeConvertBatch(deps)),
    stagePage: withCompleteConfig(makeStageBatch(deps)),
    resolvePage: withCompleteConfig(makeResolveBatch(deps)),
    importPage: withCompleteConfig(makeImportBatch(deps)),
    completeWindow: withCompleteConfig(makeCompleteWindow(deps)),
    failedWindows: withCompleteConfig(makeFailedWindows(deps)),
    proveDays: withCompleteConfig(makeProveDays(deps)),
    watchClosed: withCompleteConfig(makeWatchClosed(deps)),
  };
}

export type ConnectorActivities = ReturnType<typeof createActivities>;
