/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- tests inspect raw LivePerson JSON loosely, as it arrives */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MalformedRecordError } from '../../src/liveperson/errors';
import { normalizeRecord, usersById, type NormalizeContext } from '../../src/liveperson/normalize';
import type { LpUser } from '../../src/liveperson/types';
import { MESSAGE_CONTENT_TYPES, type Conversation } from '../../src/model';

type Json = Record<string, any>;
const fixture = (): Json => JSON.parse(readFileSync(join(__dirname, '../fixtures/liveperson/mi-record-closed.json'), 'utf8'));

const users: LpUser[] = [
  { id: '5550001', loginName: 'rosa.costa@contoso.example', fullName: 'Rosa Costa', email: 'rosa.costa@contoso.example', userTypeId: 1 },
  { id: '5559999', loginName: 'billing-bot', fullName: 'Virtual Assistant', email: 'bot@contoso.example', userTypeId: 2 },
];
const ctx: NormalizeContext = { accountId: '12345678', users: usersById(users), allowUnauthenticatedSdeRouting: false };
const consumerOf = (c: Conversation) => c.participants.find((p) => p.kind === 'consumer')!;
const withoutPersonalSde = (r: Json): Json => ({
  ...r,
  sdes: { events: r.sdes.events.filter((e: Json) => e.sdeType !== 'PERSONAL_INFO') },
});

describe('normalizeRecord: a closed conversation in the documented MI shape', () => {
  const c = normalizeRecord(fixture(), ctx);

  it('keeps identity, times and version (the end time)', () => {
    expect(c).toMatchObject({
      accountId: '12345678',
      conversationId: '0b7f3c1e-5a2d-4e8f-9c61-2f4d8a9b7e10',
      status: 'CLOSE',
      startTime: 1772442910100,
      endTime: 1772444515900,
      version: '1772444515900',
      timeZone: 'Europe/Berlin',
      skill: 'Billing',
      channel: 'APP',
      closeReason: 'AGENT',
      summary: 'Double charge refunded.',
      partialReasons: [],
    });
    expect(c.device).toBeUndefined(); // literal "undefined" is missing
  });

  it('renders every message type to readable text, in sequence order', () => {
    const byType = Object.fromEntries(c.messages.map((m) => [m.type, m]));
    expect(c.messages.map((m) => m.seq)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11]);
    expect(c.messages[0]!.text).toBe('Hallo, meine Rechnung ist doppelt 🙁');
    expect(c.messages[1]!.text).toBe('Hi! I can help with billing.\n[Quick replies: Refund | Talk to an agent]');
    expect(byType.RICH_CONTENT!.text).toBe(
      '[Image: Invoice https://shop.example/card.png]\nInvoice 2026-0301\n[Open invoice] https://shop.example/inv/0301',
    );
    expect(byType.HOSTED_FILE).toMatchObject({
      text: 'My invoice',
      file: {
        relativePath: '/v1/AUTH_async-images/12345678/5d0c3b8e-9a41-4e0f-8c2b-7f3e2a1d9b64_invoice.pdf',
        fileType: 'PDF',
        caption: 'My invoice',
      },
    });
    expect(byType.IMG).toMatchObject({
      text: '[File: photo.jpg]',
      file: { relativePath: '/v1/AUTH_async-images/12345678/b7e2d4f0-1c3a-4d5e-9f8a-0b1c2d3e4f5a_photo.jpg', fileType: 'JPG' },
    });
    expect(byType.TEXT_HTML!.text).toBe('<p>See <b>our refund policy</b></p>'); // kept as source, never rendered
    expect(byType.LINK).toMatchObject({
      text: 'Refund policy: https://shop.example/refund-policy.pdf',
      link: 'https://shop.example/refund-policy.pdf',
    });
    expect(byType.SECURE_FORM_INVITATION!.text).toBe('[Secure form invitation: Card details]');
    expect(byType.SECURE_FORM_SUBMIT!.text).toBe('[Secure form submitted: Card details]');
    expect(JSON.stringify(c)).not.toContain('4111111111111111'); // secure form data is never archived
    expect(c.messages.find((m) => m.seq === 5)).toMatchObject({ audience: 'AGENTS_AND_MANAGERS', senderKind: 'agent' });
    expect(c.messages.at(-1)!.text).toBe('شكراً، تم الحل ✅');
    const covered = new Set(c.messages.map((m) => m.type));
    expect(MESSAGE_CONTENT_TYPES.filter((t) => !covered.has(t))).toEqual([]);
  });

  it('knows who sent each message', () => {
    expect(c.messages.map((m) => m.senderKind)).toEqual([
      'consumer',
      'bot',
      'bot',
      'consumer',
      'agent',
      'agent',
      'agent',
      'consumer',
      'agent',
      'consumer',
      'consumer',
    ]);
  });

  it('gives agents and bots their Users API e-mail', () => {
    const rosa = c.participants.find((p) => p.id === '5550001');
    expect(rosa).toMatchObject({
      kind: 'agent',
      displayName: 'Rosa Costa',
      email: 'rosa.costa@contoso.example',
      emailSource: 'users-api',
      routable: true,
      role: 'ASSIGNED_AGENT',
    });
    expect(c.participants.find((p) => p.id === '5559999')).toMatchObject({
      kind: 'bot',
      email: 'bot@contoso.example',
      emailSource: 'users-api',
    });
  });

  it('prefers the authenticated PERSONAL_INFO e-mail over the (older) profile e-mail', () => {
    expect(consumerOf(c)).toMatchObject({
      id: 'c0ffee00-1111-4222-a333-444455556666',
      kind: 'consumer',
      displayName: 'Jana Nováková',
      email: 'jana.novakova@example.net',
      emailSource: 'authenticated-sde',
      routable: true,
    });
  });

  it('keeps transfers and survey answers', () => {
    expect(c.transfers).toEqual([
      {
        time: 1772443075000,
        reason: 'Skill',
        sourceSkill: 'Unassigned',
        targetSkill: 'Billing',
        sourceAgentId: '5559999',
        assignedAgentId: '5550001',
      },
    ]);
    expect(c.surveys).toEqual([{ surveyType: 'Satisfaction', question: 'Was your issue resolved?', answer: 'Yes' }]);
  });
});

describe('normalizeRecord: where e-mail addresses come from', () => {
  it('uses the profile e-mail when there is no authenticated SDE', () => {
    const c = normalizeRecord(withoutPersonalSde(fixture()), ctx);
    expect(consumerOf(c)).toMatchObject({ email: 'jana.old@example.net', emailSource: 'profile', routable: true });
  });

  it('shows an unauthenticated SDE address but does not route by it unless allowed', () => {
    const r = withoutPersonalSde(fixture());
    r.consumerParticipants[0].email = 'undefined';
    expect(consumerOf(normalizeRecord(r, ctx))).toMatchObject({
      email: 'typed.by.visitor@example.org',
      emailSource: 'unauthenticated-sde',
      routable: false,
    });
    expect(consumerOf(normalizeRecord(r, { ...ctx, allowUnauthenticatedSdeRouting: true }))).toMatchObject({ routable: true });
  });

  it('leaves a consumer without any address unroutable', () => {
    const r = withoutPersonalSde(fixture());
    r.consumerParticipants[0].email = 'undefined';
    delete r.unAuthSdes;
    const consumer = consumerOf(normalizeRecord(r, ctx));
    expect(consumer.email).toBeUndefined();
    expect(consumer.routable).toBe(false);
  });

  it('ignores values that are not addresses ("n/a", phone numbers)', () => {
    const r = withoutPersonalSde(fixture());
    r.consumerParticipants[0].email = 'n/a';
    r.unAuthSdes.events[0].personalInfo.personalInfo.contacts[0].personalContact.email = '+4912345';
    expect(consumerOf(normalizeRecord(r, ctx)).email).toBeUndefined();
  });

  it('falls back to an e-mail-shaped login name for an agent unknown to the Users API', () => {
    const c = normalizeRecord(fixture(), { ...ctx, users: new Map() });
    expect(c.participants.find((p) => p.id === '5550001')).toMatchObject({
      email: 'rosa.costa@contoso.example',
      emailSource: 'login-name',
      routable: true,
    });
    expect(c.participants.find((p) => p.id === '5559999')).toMatchObject({ kind: 'bot', routable: false });
    expect(c.participants.find((p) => p.id === '5559999')!.email).toBeUndefined();
  });

  it('reads the newest PERSONAL_INFO event and a flat email field', () => {
    const r = fixture();
    r.sdes.events.push({
      sdeType: 'PERSONAL_INFO',
      serverTimeStamp: '1772442999000',
      personalInfo: { serverTimeStamp: '1772442999000', personalInfo: { email: 'jana.new@example.net' } },
    });
    expect(consumerOf(normalizeRecord(r, ctx)).email).toBe('jana.new@example.net');
  });

  it('never takes an event marked isAuthenticated:false as authenticated', () => {
    const r = withoutPersonalSde(fixture());
    r.sdes.events.push({ ...r.unAuthSdes.events[0] });
    r.consumerParticipants[0].email = 'undefined';
    expect(consumerOf(normalizeRecord(r, ctx))).toMatchObject({ emailSource: 'unauthenticated-sde', routable: false });
  });
});

describe('normalizeRecord: LivePerson’s loose shapes', () => {
  it('accepts the singular section names of the docs example', () => {
    const r = fixture();
    r.consumerParticipant = r.consumerParticipants;
    delete r.consumerParticipants;
    r.messageScore = r.messageScores;
    delete r.messageScores;
    expect(consumerOf(normalizeRecord(r, ctx)).id).toBe('c0ffee00-1111-4222-a333-444455556666');
  });

  it('reads numbers sent as strings and string times when the epoch field is missing', () => {
    const r = fixture();
    r.info.endTimeL = '1772444515900';
    delete r.info.startTimeL;
    r.messageRecords[0].seq = '0';
    delete r.messageRecords[0].timeL;
    const c = normalizeRecord(r, ctx);
    expect(c.endTime).toBe(1772444515900);
    expect(c.startTime).toBe(1772442910100);
    expect(c.messages[0]!.time).toBe(1772442920000);
  });

  it('keeps people named only in messages or transfers', () => {
    const r = fixture();
    r.messageRecords[6].participantId = '7777777';
    r.transfers[0].sourceAgentId = '8888888';
    r.transfers[0].sourceAgentLoginName = 'someone@contoso.example';
    const c = normalizeRecord(r, ctx);
    expect(c.participants.find((p) => p.id === '7777777')).toMatchObject({ kind: 'agent' });
    expect(c.participants.find((p) => p.id === '8888888')).toMatchObject({ email: 'someone@contoso.example' });
  });

  it('reads a literal "null" string as missing, like "undefined"', () => {
    const r = withoutPersonalSde(fixture());
    r.info.device = 'null';
    r.consumerParticipants[0].email = 'null';
    delete r.unAuthSdes;
    const c = normalizeRecord(r, ctx);
    expect(c.device).toBeUndefined();
    expect(consumerOf(c).email).toBeUndefined();
  });

  it('gives a deleted agent the e-mail the Users API still lists for them', () => {
    const r = fixture();
    for (const a of r.agentParticipants) if (a.agentId === '5550001') a.agentDeleted = true;
    const deleted = users.map((u) => (u.id === '5550001' ? { ...u, deleted: true } : u));
    const c = normalizeRecord(r, { ...ctx, users: usersById(deleted) });
    expect(c.participants.find((p) => p.id === '5550001')).toMatchObject({
      email: 'rosa.costa@contoso.example',
      emailSource: 'users-api',
      routable: true,
    });
  });

  it('renders an unknown message type instead of failing', () => {
    const r = fixture();
    r.messageRecords[0].type = 'CO_BROWSE_INVITE';
    expect(normalizeRecord(r, ctx).messages[0]).toMatchObject({ type: 'TEXT_PLAIN', text: 'Hallo, meine Rechnung ist doppelt 🙁' });
  });

  it('marks an isPartial record as partial with a reason', () => {
    const r = fixture();
    r.info.isPartial = true;
    expect(normalizeRecord(r, ctx).partialReasons).toEqual([expect.stringContaining('isPartial')]);
  });
});

describe('normalizeRecord: malformed records become MalformedRecordError, never a crash', () => {
  const cases: [string, unknown, RegExp, string | undefined][] = [
    ['null', null, /expected a JSON object/, undefined],
    ['an array', [], /expected a JSON object/, undefined],
    ['no info', { messageRecords: [] }, /no info section/, undefined],
    ['no conversation id', { info: { conversationId: 'undefined', endTimeL: 1 } }, /conversationId is missing/, undefined],
    [
      'a closed one without end time',
      { info: { conversationId: 'abc', status: 'CLOSE', endTimeL: -1, startTimeL: 1 } },
      /without info.endTimeL/,
      'abc',
    ],
    ['a bad status', { info: { conversationId: 'abc', status: 'WEIRD', endTimeL: 5, startTimeL: 1 } }, /info.status/, 'abc'],
    [
      'messageRecords as a string',
      { info: { conversationId: 'abc', status: 'CLOSE', endTimeL: 5, startTimeL: 1 }, messageRecords: 'x' },
      /messageRecords/,
      'abc',
    ],
  ];
  it.each(cases)('%s', (_name, record, reason, id) => {
    let error: unknown;
    try {
      normalizeRecord(record, ctx);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MalformedRecordError);
    expect((error as MalformedRecordError).reason).toMatch(reason);
    expect((error as MalformedRecordError).conversationId).toBe(id);
  });
});
