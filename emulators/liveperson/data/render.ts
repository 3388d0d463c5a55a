import { SeededRandom } from '../../shared/random';
import type { TenantAgent } from '../../shared/tenant';
import type { ConversationPlan } from './plan';
import { AGENT_LINES, BOT_LINES, CONSUMER_LINES, FILE_TYPES, PRIVATE_AGENT_LINES } from './texts';

/** An MI conversation record as JSON; sections are plain objects so the route can pick `contentToRetrieve`. */
export type MiRecord = Record<string, unknown> & { info: Record<string, unknown> };

/** LivePerson's string form of a time, e.g. `2016-08-29 14:30:24.565+0000`. */
export function lpTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '+0000');
}

export const HOSTED_FILE_PREFIX = '/v1/AUTH_async-images';

/** Relative Swift path of a hosted file; the byte size is derived from it (see `files.ts`). */
export function hostedFilePath(accountId: string, id: string, name: string): string {
  return `${HOSTED_FILE_PREFIX}/${accountId}/${id}_${name}`;
}

interface Speaker {
  readonly kind: 'consumer' | 'agent';
  readonly agent?: TenantAgent;
}

/** Renders the full MI record of a planned conversation (deterministic for the plan). */
export function renderRecord(plan: ConversationPlan, accountId: string): MiRecord {
  const rnd = new SeededRandom(plan.detailSeed);
  const convId = plan.conversationId;
  const dialogId = convId; // the MAIN dialog shares the conversation id
  const span = Math.max(1, plan.endTime - plan.startTime);
  const step = span / (plan.messageCount + 1);
  const agentSegments = plan.agents.length;

  const messageRecords: Record<string, unknown>[] = [];
  const messageScores: Record<string, unknown>[] = [];
  const messageStatuses: Record<string, unknown>[] = [];
  const joinTimes = new Map<string, number>();
  const leaveTimes = new Map<string, number>();
  let previousAgent: TenantAgent | undefined;
  const transferPoints: { time: number; from: TenantAgent; to: TenantAgent }[] = [];

  let seq = -1;
  for (let i = 0; i < plan.messageCount; i++) {
    const time = Math.floor(plan.startTime + step * (i + 1));
    const segment = Math.min(agentSegments - 1, Math.floor((i / plan.messageCount) * agentSegments));
    const agent = plan.agents[segment];
    if (agent && previousAgent !== agent) {
      if (previousAgent) {
        transferPoints.push({ time: time - 1, from: previousAgent, to: agent });
        leaveTimes.set(previousAgent.id, time - 1);
      }
      if (!joinTimes.has(agent.id)) joinTimes.set(agent.id, Math.max(plan.startTime, time - 500));
      previousAgent = agent;
    }
    const speaker: Speaker = i === 0 || !agent || rnd.chance(0.5) ? { kind: 'consumer' } : { kind: 'agent', agent };
    seq += rnd.chance(0.05) ? 2 : 1; // sequence numbers are not always continuous
    const messageId = `ms::conv:${convId}::msg:${seq}`;
    const msg = renderMessage(rnd, speaker, accountId, i);
    const participantId = speaker.kind === 'consumer' ? plan.consumer.participantId : (speaker.agent?.id ?? '');
    const rec: Record<string, unknown> = {
      type: msg.type,
      messageData: msg.data,
      messageId,
      audience: msg.private ? 'AGENTS_AND_MANAGERS' : 'ALL',
      seq,
      dialogId,
      participantId,
      source: plan.channel,
      time: lpTime(time),
      timeL: time,
      device: plan.device,
      sentBy: speaker.kind === 'consumer' ? 'Consumer' : 'Agent',
    };
    if (speaker.agent?.userType === '2') {
      rec.contextData = {
        rawMetadata: JSON.stringify([{ type: 'BotResponse', intents: [{ id: 'order_status', name: 'Order status', confidence: 'HIGH' }] }]),
        structuredMetadata: [
          {
            botResponse: {
              externalConversationId: convId,
              businessCases: [],
              intents: [{ id: 'order_status', name: 'Order status', confidence: 'HIGH', confidenceScore: 0.91 }],
            },
          },
        ],
      };
    }
    messageRecords.push(rec);
    if (speaker.kind === 'consumer') {
      messageScores.push({ messageId, messageRawScore: rnd.int(-1, 1), mcs: rnd.int(0, 100), time: lpTime(time), timeL: time });
    }
    messageStatuses.push({
      messageId,
      seq,
      time: lpTime(time + 2000),
      timeL: time + 2000,
      participantId: speaker.kind === 'consumer' ? (agent?.id ?? 'undefined') : plan.consumer.participantId,
      participantType: speaker.kind === 'consumer' ? 'Agent' : 'Consumer',
      messageDeliveryStatus: 'READ',
      dialogId,
    });
  }

  const last = plan.agents[plan.agents.length - 1];
  const agentParticipant = (a: TenantAgent, role: string, permission: string, t: number): Record<string, unknown> => ({
    agentFullName: a.fullName,
    agentNickname: a.nickname,
    agentLoginName: a.loginName,
    agentDeleted: a.deleted,
    agentId: a.id,
    agentPid: a.pid,
    userType: a.userType,
    userTypeName: a.userType === '2' ? 'Bot' : 'Human',
    role,
    agentGroupName: 'Main Group',
    agentGroupId: -1,
    time: lpTime(t),
    timeL: t,
    permission,
    dialogId,
  });
  const agentParticipants = plan.agents.map((a) =>
    agentParticipant(a, 'ASSIGNED_AGENT', 'ASSIGNED_AGENT', joinTimes.get(a.id) ?? plan.startTime),
  );
  if (plan.reader) agentParticipants.push(agentParticipant(plan.reader, 'MANAGER', 'READER', plan.startTime + Math.floor(span / 2)));
  const agentParticipantsLeave = plan.agents
    .filter((a) => leaveTimes.has(a.id))
    .map((a) => agentParticipant(a, 'ASSIGNED_AGENT', 'ASSIGNED_AGENT', leaveTimes.get(a.id) ?? plan.endTime));

  const c = plan.consumer;
  const profileEmail = c.placement === 'profile' ? c.email : c.staleProfileEmail;
  const consumerParticipants = [
    {
      participantId: c.participantId,
      time: lpTime(plan.startTime),
      timeL: plan.startTime,
      joinTime: lpTime(plan.startTime),
      joinTimeL: plan.startTime,
      firstName: profileEmail || rnd.chance(0.5) ? c.firstName : 'undefined',
      lastName: profileEmail || rnd.chance(0.5) ? c.lastName : 'undefined',
      email: profileEmail ?? 'undefined',
      phone: c.phone ?? 'undefined',
      token: 'undefined',
      avatarURL: 'undefined',
      consumerName: `${c.firstName} ${c.lastName}`,
      dialogId,
    },
  ];

  const transfers = transferPoints.map((t) => ({
    timeL: t.time,
    time: lpTime(t.time),
    assignedAgentId: t.to.id,
    assignedAgentFullName: t.to.fullName,
    assignedAgentLoginName: t.to.loginName,
    assignedAgentNickname: t.to.nickname,
    targetSkillId: plan.skill.id,
    targetSkillName: plan.skill.name,
    reason: t.from.userType === '2' ? 'Skill' : rnd.pick(['Agent', 'Skill', 'back2Q'] as const),
    by: t.from.id,
    sourceSkillId: plan.skill.id,
    sourceSkillName: plan.skill.name,
    sourceAgentId: t.from.id,
    sourceAgentFullName: t.from.fullName,
    sourceAgentLoginName: t.from.loginName,
    sourceAgentNickname: t.from.nickname,
    dialogId,
  }));

  const interactions = plan.agents.map((a, i) => ({
    assignedAgentId: a.id,
    assignedAgentFullName: a.fullName,
    assignedAgentLoginName: a.loginName,
    assignedAgentNickname: a.nickname,
    interactionTimeL: joinTimes.get(a.id) ?? plan.startTime,
    interactionTime: lpTime(joinTimes.get(a.id) ?? plan.startTime),
    interactiveSequence: i + 1,
    dialogId,
  }));

  const surveyed = rnd.chance(0.15);
  const summarised = rnd.chance(0.2);
  const sessionId = rnd.int(1, 2 ** 31);

  return {
    info: {
      conversationId: convId,
      brandId: accountId,
      status: 'CLOSE',
      fullDialogStatus: 'CLOSE',
      startTime: lpTime(plan.startTime),
      startTimeL: plan.startTime,
      endTime: lpTime(plan.endTime),
      endTimeL: plan.endTime,
      duration: plan.endTime - plan.startTime,
      closeReason: plan.closeReason,
      closeReasonDescription: plan.closeReason === 'SYSTEM' ? 'AUTO_CLOSE' : 'MANUAL_CLOSE',
      firstConversation: rnd.chance(0.3),
      csat: surveyed ? rnd.int(1, 5) : undefined,
      mcs: rnd.int(0, 100),
      alertedMCS: rnd.int(-1, 1),
      source: plan.channel,
      device: plan.device,
      browser: plan.channel === 'SHARK' ? 'CHROME' : 'undefined',
      operatingSystem: plan.device === 'MOBILE' ? 'ANDROID' : 'WINDOWS',
      latestSkillId: plan.skill.id,
      latestSkillName: plan.skill.name,
      latestAgentId: last?.id ?? 'undefined',
      latestAgentLoginName: last?.loginName ?? 'undefined',
      latestAgentNickname: last?.nickname ?? 'undefined',
      latestAgentFullName: last?.fullName ?? 'undefined',
      agentDeleted: last?.deleted ?? false,
      latestAgentGroupId: -1,
      latestAgentGroupName: 'Main Group',
      latestQueueState: 'ACTIVE',
      isPartial: false,
      sessionId: String(sessionId),
      interactionContextId: String(rnd.int(1, 99)),
      timeZone: plan.timeZone,
      features: ['PHOTO_SHARING', 'QUICK_REPLIES', 'RICH_CONTENT'],
      language: 'en-US',
      integration: plan.channel === 'APP' ? 'MOBILE_SDK' : 'WEB_SDK',
      integrationVersion: '3.0',
      appId: 'webAsync',
      ipAddress: `10.${rnd.int(0, 255)}.${rnd.int(0, 255)}.${rnd.int(1, 254)}`,
      visitorId: `vis-${sessionId}`,
    },
    campaign: {
      campaignEngagementId: '1234567890',
      campaignEngagementName: 'Messaging engagement',
      campaignId: '987654',
      campaignName: 'Default campaign',
      goalId: '11',
      goalName: 'Interact with consumers',
      engagementSource: 'WEB_SITE',
      lobId: -1,
      lobName: 'undefined',
      locationId: '1',
      locationName: 'Entire website',
      behaviorSystemDefault: true,
      profileSystemDefault: true,
    },
    monitoring: {
      country: 'Germany',
      countryCode: 'DE',
      state: 'Berlin',
      city: 'Berlin',
      isp: 'Example ISP',
      org: 'Example Org',
      device: plan.device,
      ipAddress: '10.0.0.1',
      browser: 'CHROME',
      operatingSystem: 'WINDOWS',
      conversationStartPage: 'https://shop.example/help',
      conversationStartPageTitle: 'Help',
    },
    messageRecords,
    agentParticipants,
    agentParticipantsLeave,
    agentParticipantsActive: [],
    consumerParticipants,
    transfers,
    interactions,
    messageScores,
    messageStatuses,
    conversationSurveys: surveyed
      ? [
          {
            surveyType: 'Post chat',
            surveyStatus: 'FILLED',
            dialogId,
            surveyData: [
              { question: 'How satisfied were you?', answer: String(rnd.int(1, 5)) },
              { question: 'Anything to add?', answer: 'Quick and friendly 👍' },
            ],
          },
        ]
      : [],
    coBrowseSessions: { coBrowseSessionsList: [] },
    summary: summarised ? { text: 'Customer asked about an order; resolved.', lastUpdatedTime: plan.endTime } : undefined,
    sdes: renderSdes(plan, rnd, false),
    unAuthSdes: renderSdes(plan, rnd, true),
    responseTime: { latestEffectiveResponseDueTime: plan.endTime, configuredResponseTime: 3600 },
    dialogs: [
      {
        dialogId,
        status: 'CLOSE',
        dialogType: 'MAIN',
        dialogChannelType: 'MESSAGING',
        startTime: lpTime(plan.startTime),
        startTimeL: plan.startTime,
        endTime: lpTime(plan.endTime),
        endTimeL: plan.endTime,
        closeReason: plan.closeReason,
        closeReasonDescription: 'MANUAL_CLOSE',
        skillId: plan.skill.id,
        skillName: plan.skill.name,
      },
    ],
  };
}

interface RenderedMessage {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly private?: boolean;
}

function renderMessage(rnd: SeededRandom, speaker: Speaker, accountId: string, i: number): RenderedMessage {
  const isBot = speaker.agent?.userType === '2';
  const roll = rnd.next();
  if (speaker.kind === 'agent' && !isBot && roll < 0.02) {
    return { type: 'TEXT_PLAIN', data: { msg: { text: rnd.pick(PRIVATE_AGENT_LINES) } }, private: true };
  }
  if (roll < 0.05 && speaker.kind === 'agent')
    return { type: 'RICH_CONTENT', data: { richContent: { content: JSON.stringify(richCard(rnd)) } } };
  if (roll < 0.09) {
    const f = rnd.pick(FILE_TYPES);
    const id = rnd.uuid();
    return {
      type: 'HOSTED_FILE',
      data: {
        file: {
          relativePath: hostedFilePath(accountId, id, f.name),
          fileType: f.ext,
          caption: rnd.chance(0.5) ? `Here is the ${f.name}` : 'undefined',
        },
      },
    };
  }
  if (roll < 0.11) {
    return { type: 'LINK', data: { file: { externalFileLink: `https://docs.example/guide-${i}.pdf`, fileType: 'PDF', caption: 'Guide' } } };
  }
  if (roll < 0.13 && speaker.kind === 'agent' && !isBot) {
    return {
      type: 'TEXT_HTML',
      data: { msg: { text: '<p>Please see <b>our terms</b> &amp; <a href="https://shop.example/terms">conditions</a></p>' } },
    };
  }
  if (roll < 0.14) {
    return speaker.kind === 'agent'
      ? {
          type: 'SECURE_FORM_INVITATION',
          data: { secureFormInvitation: { formId: '555', title: 'Card details', invitationId: `inv-${i}` } },
        }
      : { type: 'SECURE_FORM_SUBMIT', data: { secureFormSubmit: { formId: '555', submissionId: `sub-${i}`, title: 'Card details' } } };
  }
  const text = speaker.kind === 'consumer' ? rnd.pick(CONSUMER_LINES) : rnd.pick(isBot ? BOT_LINES : AGENT_LINES);
  const data: Record<string, unknown> = { msg: { text } };
  if (speaker.kind === 'agent' && rnd.chance(0.05)) {
    data.quickReplies = {
      content: JSON.stringify({
        type: 'quickReplies',
        itemsPerRow: 8,
        replies: ['Yes', 'No', 'Talk to an agent'].map((t) => ({
          type: 'button',
          tooltip: t,
          title: t,
          click: { actions: [{ type: 'publishText', text: t }] },
        })),
      }),
    };
  }
  return { type: 'TEXT_PLAIN', data };
}

function richCard(rnd: SeededRandom): Record<string, unknown> {
  const product = rnd.pick(['Trail shoes', 'Rain jacket', 'Café mug ☕']);
  return {
    type: 'vertical',
    elements: [
      { type: 'image', url: 'https://shop.example/img/p.png', caption: product, tooltip: product },
      { type: 'text', text: product, tooltip: product, style: { bold: true, size: 'large' } },
      { type: 'text', text: `Now ${rnd.int(10, 99)}.99 €` },
      {
        type: 'button',
        tooltip: 'Buy',
        title: 'Buy now',
        click: { actions: [{ type: 'link', name: 'Buy', uri: 'https://shop.example/buy' }] },
      },
    ],
  };
}

function renderSdes(plan: ConversationPlan, rnd: SeededRandom, unauthenticated: boolean): Record<string, unknown> {
  const c = plan.consumer;
  const events: Record<string, unknown>[] = [];
  const ts = String(plan.startTime + 1000);
  const wantPersonal = unauthenticated ? c.placement === 'unauthenticated-sde' : c.placement === 'authenticated-sde';
  if (!unauthenticated && rnd.chance(0.3)) {
    events.push({
      sdeType: 'CUSTOMER_INFO',
      serverTimeStamp: ts,
      customerInfo: {
        serverTimeStamp: ts,
        customerInfo: { customerId: `cust-${c.participantId.slice(0, 8)}`, userName: c.firstName, accountName: 'undefined' },
      },
    });
  }
  if (wantPersonal && c.email) {
    events.push({
      sdeType: 'PERSONAL_INFO',
      serverTimeStamp: ts,
      ...(unauthenticated ? { isAuthenticated: false } : {}),
      personalInfo: {
        serverTimeStamp: ts,
        originalTimeStamp: ts,
        personalInfo: {
          name: c.firstName,
          surname: c.lastName,
          language: 'en-US',
          contacts: [{ personalContact: { email: c.email, ...(c.phone ? { phone: c.phone } : {}) } }],
        },
      },
    });
  }
  return { events };
}
