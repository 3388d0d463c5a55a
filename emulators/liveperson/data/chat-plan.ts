import { SeededRandom } from '../../shared/random';
import type { Tenant, TenantAgent } from '../../shared/tenant';
import { asciiLocal, mixSeed } from './plan';
import { END_REASONS, START_REASONS } from './chat-texts';
import { CONSUMER_FIRST, CONSUMER_LAST, SKILLS } from './texts';

/**
 * The small, eagerly generated description of one legacy chat (Engagement History). The full record
 * (transcript lines, surveys, visitor info) is rendered from it on demand (`chat-render.ts`).
 */
export interface ChatPlan {
  /** The real-time chat id; the engagementId LivePerson returns is the account id followed by it. */
  readonly chatId: string;
  readonly startTime: number;
  readonly endTime: number;
  /** When search starts returning it: LivePerson indexes a chat some time after it ended (up to 2 hours). */
  readonly visibleAt: number;
  /** Agents in the order they served; a second one means a transfer between agents. */
  readonly agents: readonly TenantAgent[];
  readonly visitorId: string;
  readonly visitorFirstName: string;
  readonly visitorLastName: string;
  /** The address typed into the pre-chat survey, if any (never verified by anyone). */
  readonly preChatEmail?: string;
  readonly hasPreChatSurvey: boolean;
  readonly hasPostChatSurvey: boolean;
  readonly hasOperatorSurvey: boolean;
  /** Transcript lines between visitor and agents, at least two per agent (system lines come on top). */
  readonly lineCount: number;
  readonly skill: (typeof SKILLS)[number];
  readonly startReason: (typeof START_REASONS)[number];
  readonly endReason: (typeof END_REASONS)[number];
  /** LivePerson never completed this chat's data: even a search by its engagementId answers `isPartial`. */
  readonly partial: boolean;
  readonly detailSeed: number;
}

/** How ingestion delays are drawn: most chats within `maxMs`, a share `lateRate` later, up to `lateMaxMs`. */
export interface ChatIngestion {
  readonly maxMs: number;
  readonly lateRate: number;
  readonly lateMaxMs: number;
}

export interface ChatPlanContext {
  readonly tenant: Tenant;
  readonly maxLines: number;
  readonly partialRate: number;
  readonly ingestion: ChatIngestion;
}

/** Overrides for chats added through `POST /_emulator/chats`. */
export interface ChatPlanOverrides {
  readonly startTime?: number;
  readonly lineCount?: number;
  readonly agentIds?: readonly string[];
  /** Put this address into the pre-chat survey (the visitor typed it). */
  readonly preChatEmail?: string;
  readonly partial?: boolean;
  /** Searchable this long after the chat ended (instead of a drawn delay). */
  readonly ingestionDelayMs?: number;
}

const MINUTE = 60_000;
/** Chat ids start high, as LivePerson's do (e.g. 4294967296…), so engagement ids have their usual length. */
const CHAT_ID_BASE = 4_294_967_296;

/** Plans chat `index` of `seed`, ending at `endTime`. Deterministic for (seed, index, endTime, overrides). */
export function planChat(ctx: ChatPlanContext, seed: number, index: number, endTime: number, o: ChatPlanOverrides = {}): ChatPlan {
  const rnd = new SeededRandom(mixSeed(seed ^ 0xc4a7, index));
  const humans = ctx.tenant.agents.filter((a) => a.userType === '1');
  const durationMs = 90_000 + Math.floor(rnd.next() ** 2 * 90 * MINUTE);
  const agents: TenantAgent[] = [rnd.pick(humans)];
  if (rnd.chance(0.2)) {
    const second = rnd.pick(humans);
    if (second !== agents[0]) agents.push(second);
  }
  const visitorFirstName = rnd.pick(CONSUMER_FIRST);
  const visitorLastName = rnd.pick(CONSUMER_LAST);
  const visitorId = rnd.uuid().replace(/-/g, '').slice(0, 22);
  const hasPreChatSurvey = rnd.chance(0.6);
  // Some visitors type a colleague's address, or an employee's: it must never route the chat by default.
  const emailRoll = rnd.next();
  const typed =
    emailRoll < 0.1 ? rnd.pick(ctx.tenant.employeeConsumers).email : `${asciiLocal(visitorFirstName) || 'visitor'}.${index}@example.net`;
  const drawnLines = Math.max(1, Math.min(ctx.maxLines, 2 + Math.floor(rnd.next() ** 1.5 * ctx.maxLines)));
  const late = rnd.chance(ctx.ingestion.lateRate);
  const drawnDelay = late
    ? ctx.ingestion.maxMs + Math.floor(rnd.next() * Math.max(0, ctx.ingestion.lateMaxMs - ctx.ingestion.maxMs))
    : Math.floor(rnd.next() * ctx.ingestion.maxMs);
  const served = o.agentIds ? agentsById(ctx.tenant, o.agentIds) : agents;
  // At least two lines per agent, so that every agent who served the chat also wrote in it (see chat-render).
  const lineCount = Math.max(o.lineCount ?? drawnLines, 2 * served.length);
  const plan: ChatPlan = {
    chatId: String(CHAT_ID_BASE + index),
    startTime: Math.min(o.startTime ?? endTime - durationMs, endTime - 1000),
    endTime,
    visibleAt: endTime + (o.ingestionDelayMs ?? drawnDelay),
    agents: served,
    visitorId,
    visitorFirstName,
    visitorLastName,
    ...(o.preChatEmail !== undefined
      ? { preChatEmail: o.preChatEmail }
      : hasPreChatSurvey && rnd.chance(0.7)
        ? { preChatEmail: typed }
        : {}),
    hasPreChatSurvey: hasPreChatSurvey || o.preChatEmail !== undefined,
    hasPostChatSurvey: rnd.chance(0.4),
    hasOperatorSurvey: rnd.chance(0.2),
    lineCount,
    skill: rnd.pick(SKILLS),
    startReason: rnd.pick(START_REASONS),
    endReason: rnd.pick(END_REASONS),
    partial: o.partial ?? rnd.chance(ctx.partialRate),
    detailSeed: rnd.int(1, 0x7fffffff),
  };
  return plan;
}

function agentsById(tenant: Tenant, ids: readonly string[]): TenantAgent[] {
  return ids.map((id) => {
    const a = tenant.agents.find((x) => x.id === id);
    if (!a) throw new RangeError(`unknown agent id ${id}; known: ${tenant.agents.map((x) => x.id).join(', ')}`);
    return a;
  });
}

/** The engagement id LivePerson gives a chat of `accountId`: the account id followed by the chat id. */
export function engagementIdOf(accountId: string, plan: ChatPlan): string {
  return `${accountId}${plan.chatId}`;
}

/** Ground truth of a chat for tests (`GET /_emulator/chats`). */
export interface ChatTruth {
  readonly engagementId: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly visibleAt: number;
  /** Every agent who wrote in it, in order (the last one is the record's `info.agentId`). */
  readonly agentIds: readonly string[];
  readonly visitorId: string;
  /** What the visitor typed into the pre-chat survey's e-mail field: not an authenticated identity. */
  readonly preChatEmail?: string;
  readonly lineCount: number;
  readonly partial: boolean;
}

export function chatTruthOf(p: ChatPlan, accountId: string): ChatTruth {
  return {
    engagementId: engagementIdOf(accountId, p),
    startTime: p.startTime,
    endTime: p.endTime,
    visibleAt: p.visibleAt,
    agentIds: p.agents.map((a) => a.id),
    visitorId: p.visitorId,
    ...(p.preChatEmail !== undefined ? { preChatEmail: p.preChatEmail } : {}),
    lineCount: p.lineCount,
    partial: p.partial,
  };
}
