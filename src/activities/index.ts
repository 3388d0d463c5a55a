import type { ActivityDeps } from './ports';
import { makeCompleteWindow } from './complete-window';
import { makeConvertPage } from './convert-page';
import { makeFailedWindows } from './failed-windows';
import { makeFetchPage } from './fetch-page';
import { makeImportPage } from './import-page';
import { makeResolvePage } from './resolve-page';
import { makeStagePage } from './stage-page';

/** Builds the connector's activities from their dependencies (one object per worker). */
export function createActivities(deps: ActivityDeps) {
  return {
    fetchPage: makeFetchPage(deps),
    convertPage: makeConvertPage(deps),
    stagePage: makeStagePage(deps),
    resolvePage: makeResolvePage(deps),
    importPage: makeImportPage(deps),
    completeWindow: makeCompleteWindow(deps),
    failedWindows: makeFailedWindows(deps),
  };
}

export type ConnectorActivities = ReturnType<typeof createActivities>;
