import { SeededRandom } from '../../shared/random';
import type { Tenant, TenantAgent } from '../../shared/tenant';
import { CHANNELS, CONSUMER_FIRST, CONSUMER_LAST, DEVICES, SKILLS, TIME_ZONES } from './texts';

/**
 * The small, eagerly generated description of one conversation. The full MI record (messages, SDEs, …)
 * is rendered from it on demand (`render.ts`), so 10k conversations cost little memory.
 */
export const EMAIL_PLACEMENTS = ['profile', 'authenticated-sde', 'unauthenticated-sde'] as const;
export type EmailPlacement = (typeof EMAIL_PLACEMENTS)[number];

export interface ConsumerPlan {
  readonly participantId: string;
  readonly firstName: string;
  readonly lastName: string;
  /** Where the consumer's e-mail shows up in the record, if anywhere. */
  readonly placement?: EmailPlacement;
  readonly email?: string;
  /** An older profile address that an authenticated SDE overrides (tests the precedence). */
  readonly staleProfileEmail?: string;
  readonly phone?: string;
}

export interface ConversationPlan {
  readonly conversationId: string;
  readonly startTime: number;
  readonly endTime: number;
  /** When the emulator starts returning it (end + ingestion lag). */
  readonly visibleAt: number;
  /** Agents in the order they joined; the bot, when present, comes first. */
  readonly agents: readonly TenantAgent[];
  /** A manager who only read along (permission READER); still a participant. */
  readonly reader?: TenantAgent;
  readonly consumer: ConsumerPlan;
  readonly messageCount: number;
  /** End times of earlier closes, when the conversation was re-opened and closed again (newest last). */
  readonly previousEndTimes?: readonly number[];
  readonly skill: (typeof SKILLS)[number];
  readonly channel: string;
  readonly device: string;
  readonly timeZone: string;
  readonly closeReason: 'AGENT' | 'CONSUMER' | 'SYSTEM';
  /** Seed of everything rendered later (texts, message types, files). */
  readonly detailSeed: number;
  /** Served by this account only (a conversation added for one tenant); absent: by every account served. */
  readonly account?: string;
}

/** Whether account `acct` sees conversation `p` (all do, unless it was added for one account). */
export function servedTo(p: object, acct: unknown): boolean {
  const only = (p as { readonly account?: string }).account;
  return only === undefined || only === acct;
}

export interface PlanContext {
  readonly accountId: string;
  readonly tenant: Tenant;
  readonly maxMessages: number;
  readonly longConversationRate: number;
  readonly maxLongConversationDays: number;
  readonly ingestionLagMs: number;
}

/** murmur3 finaliser: spreads (seed, index) into independent per-conversation seeds. */
export function mixSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export function asciiLocal(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Overrides for conversations added through `POST /_emulator/conversations`. */
export interface PlanOverrides {
  readonly startTime?: number;
  readonly messageCount?: number;
  readonly consumerEmail?: string;
  readonly placement?: EmailPlacement;
  readonly agentIds?: readonly string[];
  /** A returning consumer: reuse this participantId (exercises the by-consumer search). */
  readonly consumerParticipantId?: string;
  /** Only this account serves it (many tenants on one emulator, each with its own live conversations). */
  readonly account?: string;
}

/** Plans conversation `index` of `seed`, closing at `endTime`. Deterministic for (seed, index, endTime). */
export function planConversation(
  ctx: PlanContext,
  seed: number,
  index: number,
  endTime: number,
  overrides: PlanOverrides = {},
): ConversationPlan {
  const rnd = new SeededRandom(mixSeed(seed, index));
  const conversationId = rnd.uuid();
  const humans = ctx.tenant.agents.filter((a) => a.userType === '1');
  const bot = ctx.tenant.agents.find((a) => a.userType === '2');

  const long = rnd.chance(ctx.longConversationRate);
  const durationMs = long
    ? DAY + Math.floor(rnd.next() * (ctx.maxLongConversationDays - 1) * DAY)
    : 2 * MINUTE + Math.floor(rnd.next() ** 2 * 180 * MINUTE);
  const startTime = overrides.startTime ?? endTime - durationMs;

  const agents: TenantAgent[] = [];
  if (bot && rnd.chance(0.3)) agents.push(bot);
  const humanCount = rnd.chance(0.7) ? 1 : rnd.chance(0.6) ? 2 : 3;
  while (agents.filter((a) => a.userType === '1').length < humanCount) {
    const a = rnd.pick(humans);
    if (!agents.includes(a)) agents.push(a);
  }
  const reader = rnd.chance(0.05) ? rnd.pick(humans) : undefined;

  const consumer = planConsumer(ctx, rnd, index, overrides);
  const messageCount =
    overrides.messageCount ?? Math.max(1, Math.min(ctx.maxMessages, 1 + Math.floor(rnd.next() ** 1.5 * ctx.maxMessages)));

  const planned: ConversationPlan = {
    conversationId,
    startTime: Math.min(startTime, endTime - 1000),
    endTime,
    visibleAt: endTime + ctx.ingestionLagMs,
    agents: overrides.agentIds ? agentsById(ctx.tenant, overrides.agentIds) : agents,
    reader: reader && !agents.includes(reader) ? reader : undefined,
    consumer,
    messageCount,
    skill: rnd.pick(SKILLS),
    channel: rnd.pick(CHANNELS),
    device: rnd.pick(DEVICES),
    timeZone: rnd.pick(TIME_ZONES),
    closeReason: rnd.pick(['AGENT', 'CONSUMER', 'SYSTEM'] as const),
    detailSeed: rnd.int(1, 0x7fffffff),
    ...(overrides.account !== undefined ? { account: overrides.account } : {}),
  };
  return planned;
}

function agentsById(tenant: Tenant, ids: readonly string[]): TenantAgent[] {
  return ids.map((id) => {
    const a = tenant.agents.find((x) => x.id === id);
    if (!a) throw new RangeError(`unknown agent id ${id}; known: ${tenant.agents.map((x) => x.id).join(', ')}`);
    return a;
  });
}

function planConsumer(ctx: PlanContext, rnd: SeededRandom, index: number, o: PlanOverrides): ConsumerPlan {
  const generatedId = rnd.uuid(); // drawn even when overridden, so the rest of the plan stays the same
  const participantId = o.consumerParticipantId ?? generatedId;
  const employee = rnd.chance(0.04) ? rnd.pick(ctx.tenant.employeeConsumers) : undefined;
  const firstName = employee?.firstName ?? rnd.pick(CONSUMER_FIRST);
  const lastName = employee?.lastName ?? rnd.pick(CONSUMER_LAST);
  const local = `${asciiLocal(firstName) || 'customer'}.${asciiLocal(lastName) || 'x'}${index}`;
  const email = o.consumerEmail ?? employee?.email ?? `${local}@example.net`;
  const phone = rnd.chance(0.3) ? `+1555${String(rnd.int(0, 9999999)).padStart(7, '0')}` : undefined;
  const roll = rnd.next();
  let placement: EmailPlacement | undefined =
    roll < 0.4 ? 'profile' : roll < 0.6 ? 'authenticated-sde' : roll < 0.65 ? 'unauthenticated-sde' : undefined;
  // Employees chatting with the helpdesk are always identifiable, so their mailbox path is exercised.
  if (employee && (placement === undefined || placement === 'unauthenticated-sde')) placement = 'profile';
  if (o.placement) placement = o.placement;
  if (o.consumerEmail && !placement) placement = 'profile';
  const staleProfileEmail = placement === 'authenticated-sde' && rnd.chance(0.25) ? `old.${local}@example.org` : undefined;
  return {
    participantId,
    firstName,
    lastName,
    placement,
    email: placement ? email : undefined,
    staleProfileEmail,
    phone,
  };
}

/** Ground-truth summary the tests compare against (`GET /_emulator/conversations`). */
export interface ConversationTruth {
  readonly conversationId: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly visibleAt: number;
  readonly agentIds: readonly string[];
  readonly consumerParticipantId: string;
  /** The address the connector should route to (authenticated SDE beats profile); unauthenticated SDE listed with its source. */
  readonly consumerEmail?: string;
  readonly consumerEmailSource?: EmailPlacement;
  readonly messageCount: number;
  /** Earlier versions' end times of a re-opened conversation. */
  readonly previousEndTimes?: readonly number[];
}

export function truthOf(p: ConversationPlan): ConversationTruth {
  const agentIds = [...p.agents.map((a) => a.id), ...(p.reader ? [p.reader.id] : [])];
  return {
    conversationId: p.conversationId,
    startTime: p.startTime,
    endTime: p.endTime,
    visibleAt: p.visibleAt,
    agentIds,
    consumerParticipantId: p.consumer.participantId,
    ...(p.consumer.email ? { consumerEmail: p.consumer.email, consumerEmailSource: p.consumer.placement } : {}),
    messageCount: p.messageCount,
    ...(p.previousEndTimes ? { previousEndTimes: p.previousEndTimes } : {}),
  };
}

/** The same conversation re-opened and closed again at `endTime`, with `addMessages` more messages (at most 200). */
export function reopenedPlan(p: ConversationPlan, endTime: number, addMessages: number, ingestionLagMs: number): ConversationPlan {
  if (endTime <= p.endTime)
    throw new RangeError(`a re-opened conversation must close after its previous end (${p.endTime}), got ${endTime}`);
  return {
    ...p,
    endTime,
    visibleAt: endTime + ingestionLagMs,
    messageCount: Math.min(200, p.messageCount + addMessages),
    previousEndTimes: [...(p.previousEndTimes ?? []), p.endTime],
  };
}
