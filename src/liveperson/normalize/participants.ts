import { z } from 'zod';
import type { EmailSource, Participant, ParticipantKind } from '../../model';
import type { LpUser } from '../types';
import { asEmail, asList, bool, cleanText, isObject, section, text } from './lenient';
import { personalInfo } from './sdes';

const agentSchema = z.object({
  agentId: text,
  agentPid: text,
  agentLoginName: text,
  agentNickname: text,
  agentFullName: text,
  userType: text,
  userTypeName: text,
  role: text,
  permission: text,
  agentDeleted: bool,
});

const consumerSchema = z.object({
  participantId: text,
  firstName: text,
  lastName: text,
  consumerName: text,
  email: text,
});

export interface ParticipantContext {
  readonly users: ReadonlyMap<string, LpUser>;
  readonly allowUnauthenticatedSdeRouting: boolean;
}

/** Participants plus an index from every id a message may name (agentId, agentPid, consumer id). */
export interface ParticipantSet {
  readonly list: Participant[];
  readonly byId: Map<string, Participant>;
}

/**
 * Agents come from the three agent sections and transfers; their e-mail from the Users API (a login name that
 * is an address is the fallback). The consumer's e-mail: authenticated PERSONAL_INFO SDE, then the profile,
 * then an unauthenticated SDE (shown, but routable only when the admin allowed it).
 */
export function collectParticipants(record: Record<string, unknown>, ctx: ParticipantContext): ParticipantSet {
  const list: Participant[] = [];
  const byId = new Map<string, Participant>();
  const add = (p: Participant, aliases: readonly (string | undefined)[] = []): void => {
    list.push(p);
    byId.set(p.id, p);
    for (const a of aliases) if (a && !byId.has(a)) byId.set(a, p);
  };

  for (const name of ['agentParticipants', 'agentParticipantsActive', 'agentParticipantsLeave']) {
    for (const raw of asList(record[name])) {
      const a = agentSchema.safeParse(raw);
      if (!a.success || !a.data.agentId || byId.has(a.data.agentId)) continue;
      const d = a.data;
      const agentId = d.agentId ?? '';
      add(
        agentParticipant(ctx, agentId, {
          loginName: d.agentLoginName,
          displayName: d.agentFullName ?? d.agentNickname,
          userType: d.userType,
          userTypeName: d.userTypeName,
          role: d.role ?? d.permission,
        }),
        [d.agentPid],
      );
    }
  }
  // A transferred-to agent missing from the participant sections still took part.
  for (const t of asList(record.transfers)) {
    if (!isObject(t)) continue;
    for (const [idKey, prefix] of [
      ['assignedAgentId', 'assignedAgent'],
      ['sourceAgentId', 'sourceAgent'],
    ] as const) {
      const id = cleanText(t[idKey]);
      if (id && !byId.has(id)) {
        add(
          agentParticipant(ctx, id, {
            loginName: cleanText(t[`${prefix}LoginName`]),
            displayName: cleanText(t[`${prefix}FullName`]) ?? cleanText(t[`${prefix}Nickname`]),
          }),
        );
      }
    }
  }

  const consumers = asList(section(record, 'consumerParticipants', 'consumerParticipant'));
  const authSde = personalInfo(record.sdes, true);
  const unauthSde = personalInfo(record.unAuthSdes, false);
  let first = true;
  for (const raw of consumers) {
    const c = consumerSchema.safeParse(raw);
    if (!c.success || !c.data.participantId || byId.has(c.data.participantId)) continue;
    const d = c.data;
    // SDEs describe the conversation's consumer, i.e. the first consumer participant.
    const sdeFor = first;
    first = false;
    const profileName = [d.firstName, d.lastName].filter(Boolean).join(' ') || undefined;
    const displayName = profileName ?? d.consumerName ?? (sdeFor ? authSde.name : undefined) ?? 'Consumer';
    const email = consumerEmail(
      asEmail(d.email),
      sdeFor ? authSde.email : undefined,
      sdeFor ? unauthSde.email : undefined,
      ctx.allowUnauthenticatedSdeRouting,
    );
    add({ id: d.participantId ?? '', kind: 'consumer', displayName, ...email });
  }
  return { list, byId };
}

/** An agent seen only in a message (not in any participant section): known from the Users API if possible. */
export function agentFromMessage(ctx: ParticipantContext, id: string): Participant {
  return agentParticipant(ctx, id, {});
}

export function consumerFromMessage(id: string): Participant {
  return { id, kind: 'consumer', displayName: 'Consumer', routable: false };
}

/** An agent: e-mail from the Users API (a login name that is an address is the fallback), names from the record or the Users API. */
export function agentParticipant(
  ctx: ParticipantContext,
  id: string,
  mi: { loginName?: string; displayName?: string; userType?: string; userTypeName?: string; role?: string },
): Participant {
  const user = ctx.users.get(id);
  const loginName = mi.loginName ?? cleanText(user?.loginName);
  const kind = agentKind(mi.userType, mi.userTypeName, user?.userTypeId);
  const usersApiEmail = asEmail(user?.email);
  const loginEmail = asEmail(loginName);
  const email: { email?: string; emailSource?: EmailSource } = usersApiEmail
    ? { email: usersApiEmail, emailSource: 'users-api' }
    : loginEmail
      ? { email: loginEmail, emailSource: 'login-name' }
      : {};
  return {
    id,
    kind,
    ...(mi.role ? { role: mi.role } : {}),
    ...(loginName ? { loginName } : {}),
    displayName: mi.displayName ?? user?.fullName ?? user?.nickname ?? loginName ?? `${kind === 'bot' ? 'Bot' : 'Agent'} ${id}`,
    ...email,
    // Login names and Users API addresses are set by the account's admins, so both may choose a mailbox.
    routable: email.email !== undefined,
  };
}

function agentKind(userType: string | undefined, userTypeName: string | undefined, userTypeId: number | undefined): ParticipantKind {
  const t = userType ?? (userTypeId !== undefined ? String(userTypeId) : undefined);
  const name = userTypeName?.toLowerCase();
  if (t === '2' || name === 'bot') return 'bot';
  if (t === '0' || name === 'system') return 'system';
  return 'agent';
}

function consumerEmail(
  profile: string | undefined,
  authSde: string | undefined,
  unauthSde: string | undefined,
  allowUnauth: boolean,
): { email?: string; emailSource?: EmailSource; routable: boolean } {
  if (authSde) return { email: authSde, emailSource: 'authenticated-sde', routable: true };
  if (profile) return { email: profile, emailSource: 'profile', routable: true };
  // Whatever a visitor typed: shown in the transcript, but it must not plant items in someone's mailbox by default.
  if (unauthSde) return { email: unauthSde, emailSource: 'unauthenticated-sde', routable: allowUnauth };
  return { routable: false };
}
