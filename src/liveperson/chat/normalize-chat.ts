import { z } from 'zod';
import type {
  Conversation,
  ConversationFact,
  ConversationMessage,
  MessageContentType,
  Participant,
  SurveyAnswer,
  Transfer,
} from '../../model';
import { MalformedRecordError } from '../errors';
import type { NormalizeContext } from '../normalize';
import { structuredText } from '../normalize/content';
import { asEmail, asList, bool, cleanText, isObject, jsonField, num, text, timeOf } from '../normalize/lenient';
import { agentParticipant, type ParticipantContext } from '../normalize/participants';
import { personalInfo } from '../normalize/sdes';
import { engagementIdOf } from './engagement-history-client';

/** The channel line of every chat: the one place an archived chat says which product it came from. */
export const CHAT_CHANNEL = 'CHAT';
/** Participant id of LivePerson's own system lines ("You are now chatting with …"). */
export const CHAT_SYSTEM_ID = 'system';

/** Printable ASCII, no leading or trailing space: what LivePerson ids are, and what every place an id goes accepts. */
const PRINTABLE_ID = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
/** Markup or a character reference: an html line with neither is plain text and shown as such. */
const HTML_MARKUP = /<[A-Za-z!/?]|&(?:#\d+|#x[\dA-Fa-f]+|[A-Za-z]+);/;

const infoSchema = z.object({
  visitorId: text,
  visitorName: text,
  agentId: text,
  agentLoginName: text,
  agentNickName: text,
  agentName: text,
  agentFullName: text,
  agentFullname: text,
  skillName: text,
  skillId: text,
  channel: num,
  startReason: text,
  startReasonDesc: text,
  endReason: text,
  endReasonDesc: text,
  chatStartUrl: text,
  chatStartPage: text,
  isPartial: bool,
});

const lineSchema = z.object({
  text: z.unknown().optional(),
  textType: text,
  json: z.unknown().optional(),
  by: text,
  source: text,
  subType: text,
  lineSeq: num,
  agentId: text,
  timeL: num,
});

const SURVEY_KINDS = [
  ['preChat', 'Pre-chat'],
  ['postChat', 'Post-chat'],
  ['operator', 'Operator'],
] as const;

/**
 * Turns one Engagement History record (legacy chat) into the shared `Conversation`, so it is archived exactly
 * like a messaging conversation: the engagement id is its id (kept apart from messaging ids by `source: 'chat'`),
 * its end time its version. Lines become messages (ONLY_TO_REP lines private, as agent-only messages are;
 * html lines with markup shown as source, never rendered; url lines as links; rich content as text); agents
 * get their e-mails from the Users API; the visitor's pre-chat e-mail is shown but routes nothing unless
 * `allowUnauthenticatedSdeRouting` says so, exactly as an unauthenticated messaging consumer's.
 * Anything it cannot read throws `MalformedRecordError` with the engagement id and the reason.
 */
export function normalizeChatRecord(record: unknown, ctx: NormalizeContext): Conversation {
  if (!isObject(record)) {
    throw new MalformedRecordError(
      `expected a JSON object (an Engagement History record), got ${record === null ? 'null' : Array.isArray(record) ? 'an array' : typeof record}`,
    );
  }
  if (!isObject(record.info)) throw new MalformedRecordError('the chat record has no info section');
  const engagementId = engagementIdOf(record);
  if (!engagementId) throw new MalformedRecordError('info.engagementId is missing');
  if (!PRINTABLE_ID.test(engagementId)) {
    // Not echoed: it may hold line breaks. It names the sealed item, the Message-ID and the import key.
    throw new MalformedRecordError(
      'info.engagementId holds characters other than printable ASCII or starts or ends with a space; LivePerson ids are ASCII, so the record is damaged or hostile',
    );
  }
  try {
    return build(record, record.info, engagementId, ctx);
  } catch (e) {
    if (e instanceof MalformedRecordError) throw e;
    throw new MalformedRecordError(`unexpected content (${e instanceof Error ? e.message : String(e)})`, engagementId);
  }
}

function build(
  record: Record<string, unknown>,
  rawInfo: Record<string, unknown>,
  engagementId: string,
  ctx: NormalizeContext,
): Conversation {
  const info = infoSchema.parse(rawInfo);
  const endTime = timeOf(rawInfo, 'endTime');
  if (endTime === undefined) {
    throw new MalformedRecordError('chat without info.endTimeL; Engagement History returns only ended chats', engagementId);
  }
  const partialReasons: string[] = [];
  const pctx: ParticipantContext = { users: ctx.users, allowUnauthenticatedSdeRouting: ctx.allowUnauthenticatedSdeRouting };
  const surveys = surveysOf(record.surveys);
  const visitor = visitorOf(record, info, surveys, ctx.allowUnauthenticatedSdeRouting);

  const participants: Participant[] = [visitor];
  const agents = new Map<string, Participant>();
  const addAgent = (id: string, hints: { loginName?: string; displayName?: string }): Participant => {
    let p = agents.get(id);
    if (!p) {
      p = agentParticipant(pctx, id, hints);
      agents.set(id, p);
      participants.push(p);
    }
    return p;
  };
  const infoAgentId = info.agentId !== undefined && info.agentId !== '0' && info.agentId !== '-1' ? info.agentId : undefined;
  const infoAgentHints = {
    loginName: info.agentLoginName,
    displayName: info.agentFullName ?? info.agentFullname ?? info.agentNickName ?? info.agentName,
  };
  let system: Participant | undefined;

  const transcript = isObject(record.transcript) ? record.transcript.lines : undefined;
  if (transcript !== undefined && !Array.isArray(transcript)) {
    throw new MalformedRecordError(`transcript.lines is ${typeof transcript}, expected a list`, engagementId);
  }
  let startTime = timeOf(rawInfo, 'startTime');
  let lastTime = startTime ?? endTime;
  const messages: ConversationMessage[] = [];
  const transfers: Transfer[] = [];
  let previousAgent: string | undefined;
  for (const [i, raw] of asList(transcript).entries()) {
    if (!isObject(raw)) {
      partialReasons.push(`transcript line ${i + 1} is not an object and was left out`);
      continue;
    }
    const line = lineSchema.parse(raw);
    const time = line.timeL ?? timeOf(raw, 'time');
    if (time === undefined) partialReasons.push(`transcript line ${line.lineSeq ?? i + 1} has no time; shown at the previous line's time`);
    const at = time ?? lastTime;
    lastTime = at;
    const source = line.source?.toLowerCase();
    let sender: Participant;
    if (source === 'visitor') sender = visitor;
    else if (source === 'agent') {
      const id = line.agentId !== undefined && line.agentId !== '0' ? line.agentId : (infoAgentId ?? 'unknown-agent');
      sender = addAgent(id, id === infoAgentId ? infoAgentHints : { displayName: line.by });
      // A change of agent between agent lines is a transfer (EH has no transfer section; the lines say who wrote).
      if (previousAgent !== undefined && previousAgent !== id)
        transfers.push({ time: at - 1, sourceAgentId: previousAgent, assignedAgentId: id });
      previousAgent = id;
    } else {
      system ??= { id: CHAT_SYSTEM_ID, kind: 'system', displayName: 'System', routable: false };
      sender = system;
    }
    const content = lineContent(line.textType, line.text, line.json);
    messages.push({
      messageId: `${engagementId}:${line.lineSeq ?? i}`,
      seq: line.lineSeq ?? i,
      time: at,
      participantId: sender.id,
      senderKind: sender.kind,
      type: content.type,
      text: content.text,
      ...(content.link ? { link: content.link } : {}),
      // ONLY_TO_REP: seen by agents only, like a messaging message to AGENTS_AND_MANAGERS.
      ...(line.subType?.toUpperCase() === 'ONLY_TO_REP' ? { audience: 'AGENTS_AND_MANAGERS' } : {}),
    });
  }
  messages.sort((a, b) => a.seq - b.seq || a.time - b.time);
  if (infoAgentId !== undefined) addAgent(infoAgentId, infoAgentHints);
  if (system) participants.push(system);

  if (startTime === undefined) {
    startTime = Math.min(endTime, ...messages.map((m) => m.time));
    partialReasons.push('info.startTimeL is missing; the first line time is used');
  }
  if (info.isPartial)
    partialReasons.push('LivePerson returned only part of this chat (isPartial) and the full record could not be fetched');

  const closeReason = info.endReasonDesc ?? info.endReason;
  return {
    source: 'chat',
    accountId: ctx.accountId,
    conversationId: engagementId,
    version: String(endTime),
    startTime,
    endTime,
    status: 'CLOSE',
    ...(closeReason ? { closeReason } : {}),
    ...((info.skillName ?? info.skillId) ? { skill: info.skillName ?? info.skillId } : {}),
    channel: info.channel === 2 ? `${CHAT_CHANNEL} (voice)` : CHAT_CHANNEL,
    ...deviceOf(record.visitorInfo),
    participants,
    messages,
    transfers,
    surveys,
    extraFacts: factsOf(record, info),
    partialReasons,
  };
}

/** A transcript line's content by its text type (plain, html, url, rich-content). */
function lineContent(
  textType: string | undefined,
  rawText: unknown,
  json: unknown,
): { type: MessageContentType; text: string; link?: string } {
  const body = typeof rawText === 'string' ? rawText : (cleanText(rawText) ?? '');
  switch (textType?.toLowerCase()) {
    case 'html':
      // Agent consoles send every line as html; only one that holds markup is shown as HTML source (escaped, never rendered).
      return HTML_MARKUP.test(body) ? { type: 'TEXT_HTML', text: body } : { type: 'TEXT_PLAIN', text: body };
    case 'url': {
      const url = body.trim();
      return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(url) ? { type: 'LINK', text: url, link: url } : { type: 'LINK', text: body };
    }
    case 'rich-content': {
      const parsed = jsonField(json ?? rawText);
      const lines = parsed === undefined ? [] : structuredText(parsed, 0);
      return { type: 'RICH_CONTENT', text: lines.length > 0 ? lines.join('\n') : body || '[Rich content]' };
    }
    case 'plain':
    case undefined:
      return { type: 'TEXT_PLAIN', text: body };
    default:
      return { type: 'TEXT_PLAIN', text: body || `[Unsupported line type ${textType}]` };
  }
}

function surveysOf(v: unknown): SurveyAnswer[] {
  if (!isObject(v)) return [];
  const out: SurveyAnswer[] = [];
  for (const [key, surveyType] of SURVEY_KINDS) {
    for (const q of asList(v[key])) {
      if (!isObject(q)) continue;
      const question = cleanText(q.displayName) ?? cleanText(q.question) ?? cleanText(q.name);
      const values = asList(q.values)
        .map(cleanText)
        .filter((x): x is string => x !== undefined);
      const answer = cleanText(q.value) ?? (values.length > 0 ? values.join(', ') : undefined);
      if (question && answer) out.push({ surveyType, question, answer });
    }
  }
  return out;
}

/**
 * The visitor. An address from an authenticated PERSONAL_INFO SDE may route; one typed into the pre-chat
 * survey or an unauthenticated SDE is whatever the visitor typed: shown, routable only when allowed.
 */
function visitorOf(
  record: Record<string, unknown>,
  info: z.infer<typeof infoSchema>,
  surveys: readonly SurveyAnswer[],
  allowUnauthenticated: boolean,
): Participant {
  const events = isObject(record.sdes) ? asList(record.sdes.events) : asList(record.sdes);
  // In EH only an event that says it is authenticated counts as such.
  const authenticated = personalInfo(
    events.filter((e) => isObject(e) && (e.isAuthenticated === true || e.isAuthenticated === 'true')),
    true,
  );
  const unauthenticated = personalInfo(events, false);
  const preChat = surveys.filter((s) => s.surveyType === 'Pre-chat');
  const preChatEmail = preChat.map((s) => (/e-?mail/i.test(s.question) ? asEmail(s.answer) : undefined)).find((e) => e !== undefined);
  const preChatName = preChat.find((s) => /^(full )?name$/i.test(s.question.trim()))?.answer;
  const email: Pick<Participant, 'email' | 'emailSource' | 'routable'> = authenticated.email
    ? { email: authenticated.email, emailSource: 'authenticated-sde', routable: true }
    : preChatEmail
      ? { email: preChatEmail, emailSource: 'pre-chat-survey', routable: allowUnauthenticated }
      : unauthenticated.email
        ? { email: unauthenticated.email, emailSource: 'unauthenticated-sde', routable: allowUnauthenticated }
        : { routable: false };
  return {
    id: info.visitorId ?? 'visitor',
    kind: 'consumer',
    displayName: info.visitorName ?? preChatName ?? authenticated.name ?? 'Visitor',
    ...email,
  };
}

function deviceOf(v: unknown): { device?: string } {
  const d = isObject(v) ? cleanText(v.device) : undefined;
  return d ? { device: d } : {};
}

/** What a chat tells beyond the common facts: why it started, where the visitor was, from which page and campaign. */
function factsOf(record: Record<string, unknown>, info: z.infer<typeof infoSchema>): ConversationFact[] {
  const facts: ConversationFact[] = [];
  const add = (label: string, ...parts: (string | undefined)[]): void => {
    const value = parts.filter((p): p is string => p !== undefined && p.trim().length > 0).join(' · ');
    if (value.length > 0) facts.push({ label, value });
  };
  add('Start reason', info.startReasonDesc, info.startReason !== undefined ? `code ${info.startReason}` : undefined);
  add('End reason code', info.endReason);
  const vi = isObject(record.visitorInfo) ? record.visitorInfo : {};
  add('Visitor location', [cleanText(vi.city), cleanText(vi.state), cleanText(vi.country)].filter(Boolean).join(', '));
  add('Visitor browser', cleanText(vi.browser), cleanText(vi.operatingSystem));
  add('Visitor IP address', cleanText(vi.ipAddress));
  add('Chat start page', info.chatStartPage, info.chatStartUrl);
  const c = isObject(record.campaign) ? record.campaign : {};
  add('Campaign', cleanText(c.campaignName), cleanText(c.campaignEngagementName));
  return facts;
}
