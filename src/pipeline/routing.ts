/**
 * Routing: which mailboxes a conversation goes to. The resolution chain (mapping CSV, then the directory by
 * `mail`, then `proxyAddresses`, then the catch-all mailbox) is the resolver's (graph/resolve-mailbox.ts); the
 * rules here decide who is looked up, when two participants are one mailbox, and who counts as outside.
 */
import type { MailboxResolution } from '../graph/types';
import type { ResolverParticipant } from '../graph/resolve-mailbox';
import type { ExternalParticipantPolicy, ParticipantKind } from '../model';
import type { RouteTarget, Routing, RoutingParticipant, Unmapped } from './batch-files';

/** What routing asks of the directory (MailboxResolver answers it; dry-run and the activity use the same). */
export interface MailboxLookup {
  resolve(p: ResolverParticipant): Promise<MailboxResolution>;
}

/**
 * The mailboxes of a conversation's participants: one target per mailbox (by user id) even when two
 * participants share it; consumers without an address are nobody to deliver to; a participant with an address
 * but no usable mailbox is unmapped (a failed row) — or external, when it is a consumer or bot outside the
 * directory and the policy is `log-only`.
 */
export async function routeParticipants(
  participants: readonly RoutingParticipant[],
  lookup: MailboxLookup,
  policy: ExternalParticipantPolicy,
): Promise<Routing> {
  const targets: RouteTarget[] = [];
  const unmapped: Unmapped[] = [];
  const external: Unmapped[] = [];
  for (const p of participants) {
    if (!p.email && p.kind === 'consumer') continue;
    const r = await lookup.resolve({
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
      if (policy === 'log-only' && isExternal(p.kind, r.reason)) external.push(entry);
      else unmapped.push(entry);
    }
  }
  return { targets, unmapped, external };
}

/** A consumer or bot without a directory entry is outside the organisation; an employee without a mailbox is not. */
function isExternal(kind: ParticipantKind, reason: string): boolean {
  return (kind === 'consumer' || kind === 'bot') && (reason === 'not-in-directory' || reason === 'address-not-trusted');
}
