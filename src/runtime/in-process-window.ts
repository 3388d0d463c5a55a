import { makeCompleteWindow } from '../activities/complete-window';
import type { ImportBatchResult } from '../activities/contracts';
import { makeImportBatch } from '../activities/import-batch';
import type { ActivityDeps } from '../activities/ports';
import { makePrepareBatch } from '../activities/prepare-batch';
import type { ConnectorConfig, ConversationSource, TimeWindow } from '../model';

/**
 * The pipeline's steps as plain functions: the live follower runs a window with them inside its one activity. `prepare`
 * is the preparePage activity's own composition (fetch → convert → stage → resolve), so both run the same chain.
 */
export function pipelineSteps(deps: ActivityDeps) {
  return {
    prepare: makePrepareBatch(deps),
    import: makeImportBatch(deps),
    complete: makeCompleteWindow(deps),
  };
}

export type PipelineSteps = ReturnType<typeof pipelineSteps>;

export interface InProcessWindow {
  readonly batches: ImportBatchResult[];
  readonly manifest: boolean;
}

/**
 * One window through prepare (fetch → convert → stage → resolve-mailbox) → import and its manifest, batch after batch, in
 * this process: the same steps, blob names and keys as the workflow's window (process-window.ts), so what it
 * writes is what that window would write, and either finds the other's writes by the same keys. `rerun`: an
 * earlier run of this window may have written items (they count as imported when found).
 */
export async function runWindowInProcess(
  steps: PipelineSteps,
  config: ConnectorConfig,
  window: TimeWindow,
  source: ConversationSource,
  day: string,
  rerun: boolean,
): Promise<InProcessWindow> {
  const named = source === 'chat' ? { source } : {};
  const batches: ImportBatchResult[] = [];
  const pages: number[] = [];
  const first = await steps.prepare({ config, window, page: 0, ...named });
  const batchSize = first.batchSize ?? config.schedule.batchSize;
  const cut = first.batchSize !== undefined ? { batchSize } : {};
  const count = Math.max(1, Math.ceil(first.totalCount / batchSize));
  for (let page = 0; page < count; page++) {
    const p = page === 0 ? first : await steps.prepare({ config, window, page, ...named, ...cut });
    if (p.kept === 0) continue;
    const ref = { config, window, page, ...named };
    batches.push(await steps.import({ ...ref, routed: p.routed, day, ...(rerun ? { retried: true } : {}) }));
    pages.push(page);
  }
  if (pages.length === 0) return { batches, manifest: false };
  await steps.complete({ config, window, pages, ...named });
  return { batches, manifest: true };
}
