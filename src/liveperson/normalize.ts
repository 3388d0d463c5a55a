import { z } from 'zod';
import {
  MESSAGE_CONTENT_TYPES,
  type Conversation,
  type ConversationMessage,
  type MessageContentType,
  type ParticipantKind,
  type SurveyAnswer,
  type Transfer,
} from '../model';
import { MalformedRecordError } from './errors';
import { renderContent } from './normalize/content';
import { asList, bool, cleanNumber, cleanText, isObject, num, section, text, timeOf } from './normalize/lenient';
import { agentFromMessage, collectParticipants, consumerFromMessage, type ParticipantContext } from './normalize/participants';
import { RETENTION_MS } from './search-plan';
import type { LpUser } from './types';

export interface NormalizeContext {
  readonly accountId: string;
  /** Users API users by id (agentId): the source of agent e-mails. */
  readonly users: ReadonlyMap<string, LpUser>;
  /** Let an address from an unauthenticated SDE choose a mailbox (off by default: anyone can type any address). */
  readonly allowUnauthenticatedSdeRouting: boolean;
}

/** Printable ASCII, no leading or trailing space: what LivePerson ids are, and what every place an id goes accepts. */
const PRINTABLE_ID = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

const infoSchema = z.object({
  conversationId: text,
  status: text,
  startTimeL: num,
  startTime: text,
  endTimeL: num,
  endTime: text,
  timeZone: text,
  closeReason: text,
  latestSkillName: text,
  source: text,
  device: text,
  isPartial: bool,
  isTruncated: bool,
});

const messageSchema = z.object({
  type: text,
  messageData: z.unknown(),
  messageId: text,
  seq: num,
  participantId: text,
  sentBy: text,
  timeL: num,
  time: text,
  audience: text,
});

/**
 * Turns one Messaging Interactions record into the shared `Conversation`. Lenient about what LivePerson is
 * loose about (literal "undefined", singular/plural section names, numbers as strings, unknown fields);
 * strict only where an archive item would be wrong without it (an id, a closed conversation's end time).
 * Anything it cannot read throws `MalformedRecordError` with the conversation id and the reason.
 */
export function normalizeRecord(record: unknown, ctx: NormalizeContext): Conversation {
  if (!isObject(record))
    throw new MalformedRecordError(
      `expected a JSON object, got ${record === null ? 'null' : Array.isArray(record) ? 'an array' : typeof record}`,
    );
  if (!isObject(record.info)) throw new MalformedRecordError('the record has no info section');
  const info = infoSchema.parse(record.info); // cannot fail: every field is lenient
  const conversationId = info.conversationId;
  if (!conversationId) throw new MalformedRecordError('info.conversationId is missing');
  if (!PRINTABLE_ID.test(conversationId)) {
    // The id names the sealed item (blob metadata travels as an HTTP header), the Message-ID and the import key:
    // one that cannot go there would block the whole window, so the record fails alone. Not echoed: it may hold line breaks.
    throw new MalformedRecordError(
      'info.conversationId holds characters other than printable ASCII (line breaks, control or non-ASCII characters) or starts or ends with a space; LivePerson ids are ASCII, so the record is damaged or hostile',
    );
  }
  try {
    return build(record, record.info, info, conversationId, ctx);
  } catch (e) {
    if (e instanceof MalformedRecordError) throw e;
    throw new MalformedRecordError(`unexpected content (${e instanceof Error ? e.message : String(e)})`, conversationId);
  }
}

function build(
  record: Record<string, unknown>,
  rawInfo: Record<string, unknown>,
  info: z.infer<typeof infoSchema>,
  conversationId: string,
  ctx: NormalizeContext,
): Conversation {
  const partialReasons: string[] = [];
  const endTime = timeOf(rawInfo, 'endTime') ?? -1;
  const statusText = info.status?.toUpperCase();
  const status: 'OPEN' | 'CLOSE' = statusText === 'CLOSE' || (statusText === undefined && endTime > 0) ? 'CLOSE' : 'OPEN';
  if (statusText !== undefined && statusText !== 'OPEN' && statusText !== 'CLOSE') {
    throw new MalformedRecordError(`info.status is '${info.status ?? ''}', expected OPEN or CLOSE`, conversationId);
  }
  if (status === 'CLOSE' && endTime <= 0) throw new MalformedRecordError('closed conversation without info.endTimeL', conversationId);

  const pctx: ParticipantContext = { users: ctx.users, allowUnauthenticatedSdeRouting: ctx.allowUnauthenticatedSdeRouting };
  const people = collectParticipants(record, pctx);
  const rawMessages = section(record, 'messageRecords', 'messageRecord');
  if (rawMessages !== undefined && !Array.isArray(rawMessages) && !isObject(rawMessages)) {
    throw new MalformedRecordError(`messageRecords is ${typeof rawMessages}, expected a list`, conversationId);
  }

  let startTime = timeOf(rawInfo, 'startTime');
  const messages: ConversationMessage[] = [];
  let lastTime = startTime ?? (endTime > 0 ? endTime : 0);
  for (const [i, raw] of asList(rawMessages).entries()) {
    if (!isObject(raw)) {
      partialReasons.push(`message ${i + 1} is not an object and was left out`);
      continue;
    }
    const m = messageSchema.parse(raw);
    const time = m.timeL ?? timeOf(raw, 'time');
    if (time === undefined) partialReasons.push(`message ${m.messageId ?? i + 1} has no time; shown at the previous message's time`);
    const at = time ?? lastTime;
    lastTime = at;
    const type = contentType(m.type);
    const content = renderContent(type, m.type, m.messageData);
    const participantId = m.participantId ?? '';
    let sender = people.byId.get(participantId);
    const sentBy = m.sentBy?.toLowerCase();
    if (!sender && participantId) {
      // Named in a message but in no participant section: keep them, so no one who spoke is dropped.
      sender = sentBy === 'consumer' ? consumerFromMessage(participantId) : agentFromMessage(pctx, participantId);
      people.list.push(sender);
      people.byId.set(participantId, sender);
    }
    messages.push({
      messageId: m.messageId ?? `${conversationId}:${m.seq ?? i}`,
      seq: m.seq ?? i,
      time: at,
      participantId,
      senderKind: sender?.kind ?? kindFromSentBy(sentBy),
      type: type ?? 'TEXT_PLAIN',
      text: content.text,
      ...(content.file ? { file: content.file } : {}),
      ...(content.link ? { link: content.link } : {}),
      ...(m.audience ? { audience: m.audience } : {}),
    });
  }
  messages.sort((a, b) => a.seq - b.seq || a.time - b.time);

  if (startTime === undefined) {
    startTime = Math.min(...messages.map((m) => m.time), endTime > 0 ? endTime : Infinity);
    if (!Number.isFinite(startTime))
      throw new MalformedRecordError('info.startTimeL is missing and there are no messages to date it', conversationId);
    partialReasons.push('info.startTimeL is missing; the first message time is used');
  }
  if (info.isPartial)
    partialReasons.push('LivePerson returned only part of this conversation (isPartial) and the full record could not be fetched');
  if (info.isTruncated) partialReasons.push('LivePerson truncated this conversation record (isTruncated)');
  // Found by the sweep's or the proof's search past the retention: archived, and reported as possibly incomplete.
  if (endTime - startTime > RETENTION_MS)
    partialReasons.push(
      `open for longer than LivePerson's 13-month retention (since ${new Date(startTime).toISOString()}): LivePerson may no longer hold its oldest messages`,
    );

  return {
    accountId: ctx.accountId,
    conversationId,
    version: String(endTime),
    startTime,
    endTime,
    ...(info.timeZone ? { timeZone: info.timeZone } : {}),
    status,
    ...(info.closeReason ? { closeReason: info.closeReason } : {}),
    ...(info.latestSkillName ? { skill: info.latestSkillName } : {}),
    ...(info.source ? { channel: info.source } : {}),
    ...(info.device ? { device: info.device } : {}),
    participants: people.list,
    messages,
    transfers: transfers(record.transfers),
    surveys: surveys(record.conversationSurveys),
    ...summaryOf(record.summary),
    partialReasons,
  };
}

function contentType(t: string | undefined): MessageContentType | undefined {
  const u = t?.toUpperCase();
  return (MESSAGE_CONTENT_TYPES as readonly string[]).includes(u ?? '') ? (u as MessageContentType) : undefined;
}

function kindFromSentBy(sentBy: string | undefined): ParticipantKind {
  if (sentBy === 'consumer') return 'consumer';
  if (sentBy === 'agent') return 'agent';
  if (sentBy === 'bot') return 'bot';
  return 'system';
}

function transfers(v: unknown): Transfer[] {
  const out: Transfer[] = [];
  for (const t of asList(v)) {
    if (!isObject(t)) continue;
    const time = timeOf(t, 'time');
    if (time === undefined) continue;
    const sourceSkill = cleanText(t.sourceSkillName) ?? cleanText(t.sourceSkillId);
    const targetSkill = cleanText(t.targetSkillName) ?? cleanText(t.targetSkillId);
    const reason = cleanText(t.reason);
    const sourceAgentId = cleanText(t.sourceAgentId);
    const assignedAgentId = cleanText(t.assignedAgentId);
    out.push({
      time,
      ...(reason ? { reason } : {}),
      ...(sourceSkill ? { sourceSkill } : {}),
      ...(targetSkill ? { targetSkill } : {}),
      ...(sourceAgentId ? { sourceAgentId } : {}),
      ...(assignedAgentId ? { assignedAgentId } : {}),
    });
  }
  return out.sort((a, b) => a.time - b.time);
}

function surveys(v: unknown): SurveyAnswer[] {
  const out: SurveyAnswer[] = [];
  for (const s of asList(v)) {
    if (!isObject(s)) continue;
    const surveyType = cleanText(s.surveyType);
    for (const qa of asList(s.surveyData)) {
      if (!isObject(qa)) continue;
      const question = cleanText(qa.question);
      const answer = cleanText(qa.answer) ?? (cleanNumber(qa.answer) !== undefined ? String(qa.answer) : undefined);
      if (question && answer) out.push({ ...(surveyType ? { surveyType } : {}), question, answer });
    }
  }
  return out;
}

function summaryOf(v: unknown): { summary?: string } {
  const t = isObject(v) ? cleanText(v.text) : cleanText(v);
  return t ? { summary: t } : {};
}

/** Users by id, the shape `normalizeRecord` wants, from `listUsers()`. */
export function usersById(users: readonly LpUser[]): ReadonlyMap<string, LpUser> {
  return new Map(users.map((u) => [u.id, u]));
}
