import { workBlobName, scopedWindowLabel, sourceOf } from '../model';
import type { RoutedBatchFile, RoutedBatchItem, StagedBatchFile } from '../pipeline/batch-files';
import { routeParticipants } from '../pipeline/routing';
import { heartbeat } from '../runtime/heartbeat';
import type { BatchRef, ResolveBatchResult } from './contracts';
import type { ActivityDeps } from './ports';

/**
 * resolve-mailbox: the Microsoft 365 mailbox of every participant of every item (the rules:
 * pipeline/routing.ts; the lookups: mapping CSV, then directory, then the catch-all).
 */
export function makeResolveBatch(deps: ActivityDeps) {
  return async function resolveBatch(ref: BatchRef & { staged: string }): Promise<ResolveBatchResult> {
    const { config, window, page } = ref;
    const input = await deps.staging.getJson<StagedBatchFile>('work', ref.staged);
    const resolver = await deps.resolver(config);
    const items: RoutedBatchItem[] = [];
    let targets = 0;
    let unmapped = 0;
    for (const item of input.items) {
      heartbeat();
      const routing = await routeParticipants(item.participants, resolver, config.graph.externalParticipants);
      targets += routing.targets.length;
      unmapped += routing.unmapped.length;
      items.push({ ...item, ...routing });
    }
    const routed = workBlobName(config.name, scopedWindowLabel(window, ref.scope), page, 'routed', sourceOf(ref));
    const file: RoutedBatchFile = { items, failures: input.failures };
    await deps.staging.putJson('work', routed, file);
    return { routed, targets, unmapped };
  };
}
