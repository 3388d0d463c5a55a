import { upgradeConfig, type ConnectorConfig } from '../model';
import type { ActivityDeps } from './ports';
import { makeCompleteWindow } from './complete-window';
import { makeConvertPage } from './convert-page';
import { makeFailedWindows } from './failed-windows';
import { makeFetchPage } from './fetch-page';
import { makeImportPage } from './import-page';
import { makeResolvePage } from './resolve-page';
import { makeStagePage } from './stage-page';

/**
 * Tasks a workflow scheduled before an upgrade carry its config as it was then: every activity completes it
 * once, on entry, so no rule below needs a fallback for fields a config lacked.
 */
function withCompleteConfig<I extends { readonly config: ConnectorConfig }, O>(activity: (input: I) => Promise<O>) {
  return (input: I): Promise<O> => activity({ ...input, config: upgradeConfig(input.config) });
}

/** Builds the connector's activities from their dependencies (one object per worker). */
export function createActivities(deps: ActivityDeps) {
  return {
    fetchPage: withCompleteConfig(makeFetchPage(deps)),
    convertPage: withCompleteConfig(makeConvertPage(deps)),
    stagePage: withCompleteConfig(makeStagePage(deps)),
    resolvePage: withCompleteConfig(makeResolvePage(deps)),
    importPage: withCompleteConfig(makeImportPage(deps)),
    completeWindow: withCompleteConfig(makeCompleteWindow(deps)),
    failedWindows: withCompleteConfig(makeFailedWindows(deps)),
  };
}

export type ConnectorActivities = ReturnType<typeof createActivities>;
