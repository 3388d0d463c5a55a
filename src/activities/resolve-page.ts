import { workBlobName, scopedWindowLabel } from '../model';
import type { PageRef, ResolvePageResult } from './contracts';
import type { ActivityDeps } from './ports';
import { heartbeat } from '../runtime/heartbeat';
import type { RoutedPageFile, RoutedPageItem, RouteTarget, StagedPageFile, Unmapped } from './page-files';

/**
 * resolve-mailbox: the Microsoft 365 mailbox of every participant (mapping CSV, then directory, then the
 * catch-all). One target per mailbox even when two participants share it. Participants without any
 * address (most consumers) are not targets; those with an address but no usable mailbox are reported.
 */
export function makeResolvePage(deps: ActivityDeps) {
  return async function resolvePage(ref: PageRef & { staged: string }): Promise<ResolvePageResult> {
    const { config, window, page } = ref;
    const input = await deps.staging.getJson<StagedPageFile>('work', ref.staged);
    const resolver = await deps.resolver(config);
    const items: RoutedPageItem[] = [];
    let targetCount = 0;
    let unmappedCount = 0;
    for (const item of input.items) {
      heartbeat();
      const targets: RouteTarget[] = [];
      const unmapped: Unmapped[] = [];
      const external: Unmapped[] = [];
      for (const p of item.participants) {
        if (!p.email && p.kind === 'consumer') continue;
        const r = await resolver.resolve({
          id: p.id,
          ...(p.loginName ? { loginName: p.loginName } : {}),
          ...(p.email ? { email: p.email } : {}),
          routable: p.routable,
        });
        if (r.kind === 'mapped') {
          if (!targets.some((t) => t.userId === r.userId)) {
            targets.push({ participantId: p.id, userId: r.userId, userPrincipalName: r.userPrincipalName, via: r.via });
          }
        } else if (r.reason !== 'no-address') {
          const entry = { participantId: p.id, reason: r.reason, detail: r.detail };
          if (config.graph.externalParticipants === 'log-only' && isExternal(p.kind, r.reason)) external.push(entry);
          else unmapped.push(entry);
        }
      }
      targetCount += targets.length;
      unmappedCount += unmapped.length;
      items.push({ ...item, targets, unmapped, external });
    }
    const routed = workBlobName(config.name, scopedWindowLabel(window, ref.scope), page, 'routed');
    const file: RoutedPageFile = { items, failures: input.failures };
    await deps.staging.putJson('work', routed, file);
    return { routed, targets: targetCount, unmapped: unmappedCount };
  };
}

/** A consumer or bot without a directory entry is outside the organisation; an employee without a mailbox is not. */
function isExternal(kind: string, reason: string): boolean {
  return (kind === 'consumer' || kind === 'bot') && (reason === 'not-in-directory' || reason === 'address-not-trusted');
}
