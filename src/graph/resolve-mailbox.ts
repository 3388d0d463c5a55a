import { parseMappingCsv, type MappingRow } from './mapping-csv';
import type { FoundUser } from './client';
import type { MailboxResolution, UnmappedReason } from './types';

/** The part of `GraphMailClient` the resolver needs (a fake can stand in for it). */
export interface MailboxDirectory {
  findUserByAddress(address: string): Promise<FoundUser | undefined>;
  getUser(idOrUpn: string): Promise<{ readonly id: string; readonly userPrincipalName: string } | undefined>;
  probeMailbox(userId: string): Promise<'ok' | UnmappedReason>;
}

export interface MailboxResolverOptions {
  /** CSV text with columns lpUser (agent id, login name or e-mail) and m365User (UPN or object id). */
  readonly mappingCsv?: string;
  /** UPN or object id of the mailbox that takes participants whose address is not in the directory. */
  readonly catchAllMailbox?: string;
}

/** A conversation participant, as far as routing is concerned. */
export interface ResolverParticipant {
  readonly id: string;
  readonly loginName?: string;
  readonly email?: string;
  /** False when the address comes from an untrusted source (e.g. typed by a consumer): never routed by it. */
  readonly routable: boolean;
}

const REASON_TEXT: Record<UnmappedReason, string> = {
  'no-address': 'has no e-mail address',
  'not-in-directory': 'is not in the directory',
  'no-mailbox': 'has no usable Exchange Online mailbox (unlicensed, inactive or on-premises)',
  'blocked-by-policy': "is outside the app's Exchange access policy / RBAC scope",
  'address-not-trusted': 'comes from an untrusted source and is not used for routing',
};

/** Whether a login name is the same address as the e-mail (addresses compare case-insensitively). */
function sameAddress(loginName: string | undefined, email: string): boolean {
  return loginName !== undefined && loginName.trim().toLowerCase() === email.toLowerCase();
}

/**
 * Finds the mailbox of each participant: the mapping CSV first (by agent id, login name, then e-mail),
 * then the directory by address (`mail`, then `proxyAddresses`), then the catch-all mailbox for addresses
 * not in the directory. A user found but without a usable mailbox stays unmapped with that reason, so it
 * is reported rather than hidden. Results are cached for the life of the instance.
 */
export class MailboxResolver {
  private readonly mapping: ReadonlyMap<string, MappingRow>;
  private readonly cache = new Map<string, Promise<MailboxResolution>>();
  private catchAll: Promise<MailboxResolution> | undefined;

  /** @throws MappingCsvError when the CSV is unusable (at start, with the line and the fix). */
  constructor(
    private readonly directory: MailboxDirectory,
    private readonly opts: MailboxResolverOptions = {},
  ) {
    this.mapping = opts.mappingCsv ? parseMappingCsv(opts.mappingCsv) : new Map();
  }

  resolve(p: ResolverParticipant): Promise<MailboxResolution> {
    const key = JSON.stringify([p.id, p.loginName ?? '', (p.email ?? '').toLowerCase(), p.routable]);
    let r = this.cache.get(key);
    if (!r) {
      r = this.resolveUncached(p);
      this.cache.set(key, r);
      // Throttling or outages are not answers: do not remember them.
      r.catch(() => this.cache.delete(key));
    }
    return r;
  }

  private csvRow(p: ResolverParticipant): MappingRow | undefined {
    const keys = [p.id, p.loginName, p.routable ? p.email : undefined];
    for (const k of keys) {
      const row = k ? this.mapping.get(k.trim().toLowerCase()) : undefined;
      if (row) return row;
    }
    return undefined;
  }

  private async usable(
    userId: string,
    upn: string,
    via: 'csv' | 'mail' | 'proxy-address' | 'catch-all',
    what: string,
    /** The address `what` already names: a UPN equal to it is not repeated. */
    named?: string,
  ): Promise<MailboxResolution> {
    const state = await this.directory.probeMailbox(userId);
    if (state === 'ok') return { kind: 'mapped', userId, userPrincipalName: upn, via };
    const user = named !== undefined && sameAddress(named, upn) ? `(${userId})` : `${upn} (${userId})`;
    return { kind: 'unmapped', reason: state, detail: `${what}: their Microsoft 365 user ${user} ${REASON_TEXT[state]}.` };
  }

  private async resolveUncached(p: ResolverParticipant): Promise<MailboxResolution> {
    const who = `participant ${p.id}${p.loginName ? ` (${p.loginName})` : ''}`;
    const row = this.csvRow(p);
    if (row) {
      const user = await this.directory.getUser(row.m365User);
      if (!user) {
        return {
          kind: 'unmapped',
          reason: 'not-in-directory',
          detail: `${who}: mapping CSV line ${row.line} maps '${row.lpUser}' to '${row.m365User}', which is not in the directory. Fix the CSV.`,
        };
      }
      return this.usable(user.id, user.userPrincipalName, 'csv', `${who} (mapping CSV line ${row.line})`);
    }
    const email = p.email?.trim();
    if (!email)
      return this.orCatchAll({
        kind: 'unmapped',
        reason: 'no-address',
        detail: `${who} ${REASON_TEXT['no-address']} and is not in the mapping CSV.`,
      });
    if (!p.routable) {
      return {
        kind: 'unmapped',
        reason: 'address-not-trusted',
        detail: `${who}: ${sameAddress(p.loginName, email) ? 'the address' : `address ${email}`} ${REASON_TEXT['address-not-trusted']}; map the participant in the mapping CSV if it belongs to your organisation.`,
      };
    }
    // Named once: the login name is often the address itself.
    const whoWithAddress = sameAddress(p.loginName, email) ? who : `participant ${p.id} (${p.loginName ? `${p.loginName}, ` : ''}${email})`;
    const found = await this.directory.findUserByAddress(email);
    if (found) return this.usable(found.id, found.userPrincipalName, found.via, whoWithAddress, email);
    return this.orCatchAll({
      kind: 'unmapped',
      reason: 'not-in-directory',
      detail: `${whoWithAddress}: no Microsoft 365 user has this address as mail or proxy address.`,
    });
  }

  private orCatchAll(unmapped: MailboxResolution): Promise<MailboxResolution> {
    const target = this.opts.catchAllMailbox;
    if (!target) return Promise.resolve(unmapped);
    this.catchAll ??= (async (): Promise<MailboxResolution> => {
      const user = await this.directory.getUser(target);
      if (!user)
        return {
          kind: 'unmapped',
          reason: 'not-in-directory',
          detail: `The catch-all mailbox '${target}' is not in the directory. Fix the connector's catchAllMailbox.`,
        };
      return this.usable(user.id, user.userPrincipalName, 'catch-all', `catch-all mailbox '${target}'`);
    })();
    const p = this.catchAll;
    p.catch(() => {
      if (this.catchAll === p) this.catchAll = undefined;
    });
    return p;
  }
}
