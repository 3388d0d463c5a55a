import { SeededRandom } from '../../shared/random';
import type { TenantAgent } from '../../shared/tenant';
import { engagementIdOf, type ChatPlan } from './chat-plan';
import {
  AGENT_CHAT_LINES,
  AGENT_HTML_LINES,
  BROWSERS,
  OPERATING_SYSTEMS,
  OPERATOR_QUESTIONS,
  POST_CHAT_QUESTIONS,
  PRE_CHAT_TOPICS,
  PRIVATE_CHAT_LINES,
  URL_LINES,
  VISITOR_CHAT_LINES,
  VISITOR_PLACES,
} from './chat-texts';
import { lpTime } from './render';

/** An Engagement History record as JSON (`interactionHistoryRecords[]`). */
export type EhRecord = Record<string, unknown> & { info: Record<string, unknown> };

type Line = Record<string, unknown>;

/**
 * Renders the full Engagement History record of a planned chat, in the shape of the API's documented
 * examples: `info`, `transcript.lines` (system lines around visitor and agent lines; agent lines in the
 * html text type; url and rich-content lines; ONLY_TO_REP lines), `lineScores`, `surveys`, `campaign`,
 * `visitorInfo`, `coBrowseSessions` and `sdes`. A transfer between agents shows as a system line and a
 * change of the lines' `agentId`. A partial record (`isPartial`) has only the first half of its lines.
 */
export function renderChatRecord(plan: ChatPlan, accountId: string, partial = plan.partial): EhRecord {
  const rnd = new SeededRandom(plan.detailSeed);
  const visitorName = plan.visitorFirstName;
  const lines: Line[] = [];
  let seq = 0;
  const push = (time: number, fields: Line): void => {
    lines.push({ time: lpTime(time), timeL: time, ...fields, lineSeq: String(seq++) });
  };
  const system = (time: number, controlType: number, text: string): void =>
    push(time, { controlType, text, by: 'info', source: 'system', subType: 'REGULAR', textType: 'plain', cannedAnswerType: 0, agentId: 0 });

  const first = plan.agents[0];
  system(plan.startTime - 4000, 4, 'Thank you for choosing to chat with us.  An agent will be with you shortly.');
  if (first) system(plan.startTime, 3, `You are now chatting with ${first.nickname}.`);

  const span = Math.max(1, plan.endTime - plan.startTime - 2000);
  const step = span / (plan.lineCount + 1);
  let current: TenantAgent | undefined = first;
  const spoke = new Set<string>();
  for (let i = 0; i < plan.lineCount; i++) {
    const time = Math.floor(plan.startTime + step * (i + 1));
    const segment = Math.min(plan.agents.length - 1, Math.floor((i / plan.lineCount) * plan.agents.length));
    const agent = plan.agents[segment];
    if (agent && current && agent !== current) {
      system(time - 500, 3, `The chat was transferred from ${current.nickname} to ${agent.nickname}.`);
      current = agent;
    }
    // The visitor opens; an agent new to the chat writes next, so every agent who served it appears in its lines.
    const mustSpeak = agent !== undefined && i > 0 && !spoke.has(agent.id);
    const fromVisitor = i === 0 || !agent || (!mustSpeak && rnd.chance(0.5));
    if (!fromVisitor && agent) spoke.add(agent.id);
    push(time, fromVisitor ? visitorLine(rnd, visitorName) : agentLine(rnd, agent));
  }
  system(plan.endTime, 5, 'Thank you for chatting with us.');

  const kept = partial ? lines.slice(0, Math.max(1, Math.ceil(lines.length / 2))) : lines;
  const last = plan.agents[plan.agents.length - 1];
  const place = rnd.pick(VISITOR_PLACES);
  return {
    info: {
      startTime: lpTime(plan.startTime),
      startTimeL: plan.startTime,
      endTime: lpTime(plan.endTime),
      endTimeL: plan.endTime,
      duration: Math.floor((plan.endTime - plan.startTime) / 1000),
      visitorId: plan.visitorId,
      visitorName,
      engagementId: engagementIdOf(accountId, plan),
      isInteractive: true,
      accountId,
      agentId: last?.id ?? '-1',
      agentNickName: last?.nickname ?? 'NA',
      agentLoginName: last?.loginName ?? 'NA',
      agentFullName: last?.fullName ?? 'NA',
      agentDeleted: last?.deleted ?? false,
      skillId: plan.skill.id,
      skillName: plan.skill.name,
      isAgentSurvey: plan.hasOperatorSurvey,
      isPostChatSurvey: plan.hasPostChatSurvey,
      isPreChatSurvey: plan.hasPreChatSurvey,
      channel: 1,
      startReason: plan.startReason[0],
      startReasonDesc: plan.startReason[1],
      endReason: plan.endReason[0],
      endReasonDesc: plan.endReason[1],
      engagementSet: 0,
      engagementSequence: 0,
      agentGroupId: -1,
      agentGroupName: 'Main Group',
      mcs: rnd.int(-1, 1),
      alertedMCS: rnd.int(-1, 1),
      chatMCS: rnd.int(0, 100),
      chatRequestedTime: lpTime(plan.startTime - 5000),
      chatRequestedTimeL: plan.startTime - 5000,
      chatStartUrl: 'https://shop.example/help',
      chatStartPage: 'Help centre',
      isPartial: partial,
      interactive: true,
      ended: true,
      chatDataEnriched: !partial,
    },
    transcript: { lines: kept },
    lineScores: kept
      .filter((l) => l.source === 'visitor')
      .map((l) => ({ lineSeq: l.lineSeq, lineRawScore: rnd.int(-1, 1), mcs: rnd.int(0, 100) })),
    surveys: surveys(plan, rnd),
    campaign: {
      campaignEngagementId: '213185212',
      campaignEngagementName: 'Sticky chat button',
      campaignId: '213185112',
      campaignName: 'Live Chat on your site',
      goalId: '213184812',
      goalName: 'Interact with visitors',
      visitorBehaviorId: '213184912',
      visitorBehaviorName: 'Any behavior',
      visitorProfileId: '213184712',
      visitorProfileName: 'All visitors',
      lobId: -1,
      lobName: 'NA',
    },
    visitorInfo: {
      ...place,
      isp: place.country ? 'Example ISP' : '',
      org: '',
      device: rnd.pick(['DESKTOP', 'MOBILE', 'TABLET'] as const),
      ipAddress: `192.0.2.${rnd.int(1, 254)}`,
      browser: rnd.pick(BROWSERS),
      operatingSystem: rnd.pick(OPERATING_SYSTEMS),
    },
    coBrowseSessions: { coBrowseSessionsList: [] },
    sdes: {
      events: [
        {
          purchase: { total: '77.0', currency: null, serverTimeStamp: String(plan.startTime), orderId: `B-${plan.chatId.slice(-5)}` },
          serverTimeStamp: String(plan.startTime),
          sdeType: 'PURCHASE',
          isAuthenticated: false,
        },
      ],
    },
  };
}

function visitorLine(rnd: SeededRandom, visitorName: string): Line {
  return {
    controlType: 0,
    text: rnd.pick(VISITOR_CHAT_LINES),
    by: visitorName,
    source: 'visitor',
    subType: 'REGULAR',
    textType: 'plain',
    cannedAnswerType: 0,
    agentId: 0,
  };
}

function agentLine(rnd: SeededRandom, agent: TenantAgent): Line {
  const base = { controlType: 0, by: agent.nickname, source: 'agent', cannedAnswerType: 0, agentId: Number(agent.id) };
  const roll = rnd.next();
  if (roll < 0.06) return { ...base, text: rnd.pick(PRIVATE_CHAT_LINES), subType: 'ONLY_TO_REP', textType: 'plain' };
  if (roll < 0.12) return { ...base, text: rnd.pick(AGENT_HTML_LINES), subType: 'REGULAR', textType: 'html' };
  if (roll < 0.17) return { ...base, text: rnd.pick(URL_LINES), subType: 'REGULAR', textType: 'url' };
  if (roll < 0.21) return { ...base, json: richCard(rnd), subType: 'REGULAR', textType: 'rich-content' };
  return { ...base, text: rnd.pick(AGENT_CHAT_LINES), subType: 'REGULAR', textType: 'html', cannedAnswerType: rnd.chance(0.2) ? 1 : 0 };
}

function richCard(rnd: SeededRandom): Record<string, unknown> {
  const product = rnd.pick(['Phone 8', 'Rain jacket', 'Café mug ☕']);
  return {
    type: 'vertical',
    elements: [
      { type: 'image', url: 'https://shop.example/img/p.png', tooltip: product },
      { type: 'text', text: product, style: { bold: true, size: 'large' } },
      { type: 'text', text: `Now on sale: ${rnd.int(10, 99)}.99` },
      {
        type: 'button',
        title: 'Add to cart',
        click: { actions: [{ type: 'link', name: 'add to cart', uri: 'https://shop.example/cart' }] },
      },
    ],
  };
}

function surveys(plan: ChatPlan, rnd: SeededRandom): Record<string, unknown> {
  const at = (time: number, fields: Record<string, unknown>): Record<string, unknown> => ({
    scope: 'Session',
    time: lpTime(time),
    timeL: time,
    ...fields,
    values: [fields.value],
  });
  const preChat: Record<string, unknown>[] = [];
  if (plan.hasPreChatSurvey) {
    const t = plan.startTime - 6000;
    const pre = { source: 'Pre-Chat', name: 'Pre-Chat Survey', surveyID: 195991 };
    preChat.push(at(t, { ...pre, displayName: 'Name', value: `${plan.visitorFirstName} ${plan.visitorLastName}`, questionID: 1 }));
    if (plan.preChatEmail !== undefined) preChat.push(at(t, { ...pre, displayName: 'Email', value: plan.preChatEmail, questionID: 2 }));
    preChat.push(at(t, { ...pre, displayName: 'What is your question about?', value: rnd.pick(PRE_CHAT_TOPICS), questionID: 3 }));
  }
  const postChat = plan.hasPostChatSurvey
    ? POST_CHAT_QUESTIONS.map((q, i) =>
        at(plan.endTime + 8000, {
          source: 'Exit',
          name: 'Post-chat Survey',
          displayName: q.question,
          value: rnd.pick(q.answers),
          questionID: 9 + i,
          surveyID: 222726,
        }),
      )
    : [];
  const operator = plan.hasOperatorSurvey
    ? OPERATOR_QUESTIONS.map((q, i) =>
        at(plan.endTime + 20000, {
          source: 'Agent',
          name: 'Agent Survey',
          displayName: q.question,
          value: rnd.pick(q.answers),
          questionID: 20 + i,
          surveyID: 300001,
        }),
      )
    : [];
  return { preChat, postChat, operator };
}
