/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- tests build raw Engagement History JSON loosely, as it arrives */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChatRecord } from '../../emulators/liveperson/data/chat-render';
import { planChat } from '../../emulators/liveperson/data/chat-plan';
import { generateTenant } from '../../emulators/shared/tenant';
import { CHAT_CHANNEL, normalizeChatRecord } from '../../src/liveperson/chat';
import { MalformedRecordError } from '../../src/liveperson/errors';
import { usersById, type NormalizeContext } from '../../src/liveperson/normalize';
import type { LpUser } from '../../src/liveperson/types';
import type { Conversation } from '../../src/model';

type Json = Record<string, any>;
const fixture = (): Json => JSON.parse(readFileSync(join(__dirname, '../fixtures/liveperson/eh-record-transfer.json'), 'utf8'));

const users: LpUser[] = [
  { id: '5550001', loginName: 'rosa.costa', fullName: 'Rosa Costa', email: 'rosa.costa@contoso.example', userTypeId: 1 },
  { id: '5550002', loginName: 'ben.agent', fullName: 'Ben Bauer', email: 'ben.bauer@contoso.example', userTypeId: 1 },
];
const ctx: NormalizeContext = { accountId: '12345678', users: usersById(users), allowUnauthenticatedSdeRouting: false };
const visitorOf = (c: Conversation) => c.participants.find((p) => p.kind === 'consumer')!;
const failure = (record: unknown): MalformedRecordError => {
  try {
    normalizeChatRecord(record, ctx);
  } catch (e) {
    if (e instanceof MalformedRecordError) return e;
    throw e;
  }
  throw new Error('expected a MalformedRecordError');
};

describe('normalizeChatRecord: a chat in the documented Engagement History shape', () => {
  const c = normalizeChatRecord(fixture(), ctx);

  it('keeps identity, times, version (the end time) and marks the source as chat', () => {
    expect(c).toMatchObject({
      source: 'chat',
      accountId: '12345678',
      conversationId: '123456784294967901',
      status: 'CLOSE',
      startTime: 1772442900000,
      endTime: 1772443800000,
      version: '1772443800000',
      skill: 'Billing',
      channel: CHAT_CHANNEL,
      closeReason: 'Rep stopped chat',
      device: 'DESKTOP',
      partialReasons: [],
    });
    expect(c.timeZone).toBeUndefined(); // EH gives none: times are shown in UTC
  });

  it('gives agents their Users API e-mails, routable, and the info agent once', () => {
    const agents = c.participants.filter((p) => p.kind === 'agent');
    expect(agents.map((a) => [a.id, a.displayName, a.email, a.emailSource, a.routable])).toEqual([
      ['5550001', 'Rosa', 'rosa.costa@contoso.example', 'users-api', true],
      ['5550002', 'Ben Bauer', 'ben.bauer@contoso.example', 'users-api', true],
    ]);
  });

  it('shows the visitor’s pre-chat e-mail but never lets it route the item by default', () => {
    expect(visitorOf(c)).toEqual({
      id: 'UwYzRjYzJhMzQ0YTRlYzcz',
      kind: 'consumer',
      displayName: 'Jane',
      email: 'jane.doe@example.net',
      emailSource: 'pre-chat-survey',
      routable: false,
    });
  });

  it('lets the pre-chat e-mail route only when the operator allowed unauthenticated addresses', () => {
    const open = normalizeChatRecord(fixture(), { ...ctx, allowUnauthenticatedSdeRouting: true });
    expect(visitorOf(open)).toMatchObject({ email: 'jane.doe@example.net', emailSource: 'pre-chat-survey', routable: true });
  });

  it('routes by an authenticated PERSONAL_INFO SDE before the pre-chat survey', () => {
    const r = fixture();
    r.sdes.events.push({
      sdeType: 'PERSONAL_INFO',
      isAuthenticated: true,
      serverTimeStamp: '1772442901000',
      personalInfo: { serverTimeStamp: '1772442901000', personalInfo: { contacts: [{ personalContact: { email: 'jane@bank.example' } }] } },
    });
    r.sdes.events.push({
      sdeType: 'PERSONAL_INFO',
      serverTimeStamp: '1772442902000', // says nothing about authentication: not trusted in a chat
      personalInfo: { personalInfo: { contacts: [{ personalContact: { email: 'someone@else.example' } }] } },
    });
    expect(visitorOf(normalizeChatRecord(r, ctx))).toMatchObject({
      email: 'jane@bank.example',
      emailSource: 'authenticated-sde',
      routable: true,
    });
  });

  it('turns lines into messages in order, each with its sender and kind', () => {
    expect(c.messages.map((m) => [m.seq, m.participantId, m.senderKind, m.type])).toEqual([
      [0, 'system', 'system', 'TEXT_PLAIN'],
      [1, 'system', 'system', 'TEXT_PLAIN'],
      [2, 'UwYzRjYzJhMzQ0YTRlYzcz', 'consumer', 'TEXT_PLAIN'],
      [3, '5550001', 'agent', 'TEXT_PLAIN'], // an html line without markup is plain text
      [4, '5550001', 'agent', 'TEXT_PLAIN'],
      [5, '5550001', 'agent', 'TEXT_HTML'],
      [6, '5550001', 'agent', 'LINK'],
      [7, 'system', 'system', 'TEXT_PLAIN'],
      [8, '5550002', 'agent', 'RICH_CONTENT'],
      [9, 'UwYzRjYzJhMzQ0YTRlYzcz', 'consumer', 'TEXT_PLAIN'],
      [10, 'system', 'system', 'TEXT_PLAIN'],
    ]);
    expect(c.messages[0]!.time).toBe(1772442900000 - 4000);
    expect(c.participants.at(-1)).toEqual({ id: 'system', kind: 'system', displayName: 'System', routable: false });
  });

  it('marks ONLY_TO_REP lines private, as agent-only messaging messages are, and only those', () => {
    expect(c.messages.filter((m) => m.audience !== undefined).map((m) => [m.seq, m.audience])).toEqual([[4, 'AGENTS_AND_MANAGERS']]);
  });

  it('keeps html with markup as source text, url lines as links and rich content as readable text', () => {
    expect(c.messages[5]!.text).toBe('Please read <b>our refund policy</b> &amp; <a href="https://shop.example/refunds">terms</a>');
    expect(c.messages[6]).toMatchObject({ text: 'https://shop.example/refunds?lang=en', link: 'https://shop.example/refunds?lang=en' });
    expect(c.messages[8]!.text).toBe('Refund of 42.00 EUR\n[Track refund] https://shop.example/track');
    expect(c.messages[9]!.text).toBe('<script>alert("x")</script> thanks!'); // escaped by the converter, never run
  });

  it('finds the transfer between agents from the lines', () => {
    expect(c.transfers).toEqual([{ time: 1772442900000 + 320000 - 1, sourceAgentId: '5550001', assignedAgentId: '5550002' }]);
  });

  it('keeps the pre-chat, post-chat and operator surveys', () => {
    expect(c.surveys).toEqual([
      { surveyType: 'Pre-chat', question: 'Name', answer: 'Jane Doe' },
      { surveyType: 'Pre-chat', question: 'Email', answer: 'jane.doe@example.net' },
      { surveyType: 'Post-chat', question: 'How was the chat?', answer: 'Great' },
      { surveyType: 'Operator', question: 'Was the issue resolved?', answer: 'Yes' },
    ]);
  });

  it('keeps the start reason, visitor info, start page and campaign as extra facts', () => {
    expect(c.extraFacts).toEqual([
      { label: 'Start reason', value: 'Visitor request · code 0' },
      { label: 'End reason code', value: '201' },
      { label: 'Visitor location', value: 'Berlin, Berlin, Germany' },
      { label: 'Visitor browser', value: 'Chrome 120.0 · WINDOWS' },
      { label: 'Visitor IP address', value: '192.0.2.7' },
      { label: 'Chat start page', value: 'Help centre · https://shop.example/help' },
      { label: 'Campaign', value: 'Live Chat on your site · Sticky chat button' },
    ]);
  });
});

describe('normalizeChatRecord: incomplete and malformed chats', () => {
  it('says why an isPartial chat is incomplete', () => {
    const r = fixture();
    r.info.isPartial = true;
    expect(normalizeChatRecord(r, ctx).partialReasons).toEqual([
      'LivePerson returned only part of this chat (isPartial) and the full record could not be fetched',
    ]);
  });

  it('dates a chat without a start time by its first line, and says so', () => {
    const r = fixture();
    delete r.info.startTimeL;
    delete r.info.startTime;
    const c = normalizeChatRecord(r, ctx);
    expect(c.startTime).toBe(1772442900000 - 4000);
    expect(c.partialReasons).toEqual(['info.startTimeL is missing; the first line time is used']);
  });

  it('refuses a chat without an engagement id, without an end time, or with a hostile id, naming the reason', () => {
    const noId = fixture();
    delete noId.info.engagementId;
    expect(failure(noId).reason).toBe('info.engagementId is missing');
    const noEnd = fixture();
    delete noEnd.info.endTimeL;
    delete noEnd.info.endTime;
    expect(failure(noEnd)).toMatchObject({
      conversationId: '123456784294967901',
      reason: 'chat without info.endTimeL; Engagement History returns only ended chats',
    });
    const hostile = fixture();
    hostile.info.engagementId = '1234\r\nBcc: x@evil.example';
    expect(failure(hostile).reason).toMatch(/printable ASCII/);
    expect(failure(hostile).message).not.toContain('evil');
    expect(failure('not a record').reason).toMatch(/expected a JSON object/);
    const badLines = fixture();
    badLines.transcript.lines = 'oops';
    expect(failure(badLines).reason).toBe('transcript.lines is string, expected a list');
  });

  it('keeps a chat whose lines are damaged, leaving out what it cannot read and saying so', () => {
    const r = fixture();
    r.transcript.lines.splice(3, 0, 42);
    delete r.transcript.lines[5].timeL;
    delete r.transcript.lines[5].time;
    const c = normalizeChatRecord(r, ctx);
    expect(c.messages).toHaveLength(11);
    expect(c.partialReasons).toEqual([
      'transcript line 4 is not an object and was left out',
      "transcript line 4 has no time; shown at the previous line's time",
    ]);
  });
});

describe('normalizeChatRecord: every chat the emulator generates', () => {
  it('normalises 300 seeded chats without error, each with a visitor, an agent and its lines', () => {
    const tenant = generateTenant(42);
    const users = usersById(
      tenant.agents.map((a) => ({
        id: a.id,
        loginName: a.loginName,
        fullName: a.fullName,
        email: a.email,
        userTypeId: Number(a.userType),
      })),
    );
    const pctx = { tenant, maxLines: 30, partialRate: 0.05, ingestion: { maxMs: 0, lateRate: 0, lateMaxMs: 0 } };
    for (let i = 0; i < 300; i++) {
      const plan = planChat(pctx, 42, i, Date.UTC(2026, 10, 1) + i * 60_000);
      const c = normalizeChatRecord(renderChatRecord(plan, '12345678'), { ...ctx, users });
      expect(c.conversationId).toBe(`12345678${plan.chatId}`);
      expect(c.version).toBe(String(plan.endTime));
      expect(c.participants.filter((p) => p.kind === 'agent').map((p) => p.id)).toEqual(plan.agents.map((a) => a.id));
      expect(c.transfers).toHaveLength(plan.agents.length - 1);
      expect(c.messages.filter((m) => m.senderKind !== 'system').length).toBeLessThanOrEqual(plan.lineCount);
      expect(visitorOf(c).routable).toBe(false); // generated chats carry no authenticated identity
      expect(c.partialReasons.length > 0).toBe(plan.partial);
    }
  });
});
