import { importKey, type ConnectorStatus, type LogCounts } from '../../src/model';
import type { MailboxItem, TruthConversation } from '../../scripts/lib/emulator-truth';
import { conversationOfKey, type MailboxSummary } from '../../scripts/demo/inspect';
import { evaluate, formatVerdicts, type CheckObservations } from '../../scripts/demo/verdicts';

const START = Date.parse('2026-06-01T00:00:00Z');
const CURSOR = START + 3 * 86_400_000;
const WF = 'lp-archive-connector-demo';

function truth(n: number): TruthConversation[] {
  return Array.from({ length: n }, (_, i) => ({
    conversationId: `conv-${i}`,
    endTime: START + i * 60_000,
    agentIds: ['a1'],
    expectedMailboxes: ['ava@contoso.example'],
  }));
}

function item(c: TruthConversation, mail = 'ava@contoso.example'): MailboxItem {
  return {
    id: `m-${c.conversationId}-${mail}`,
    userId: `id-${mail}`,
    mail,
    folder: 'LivePerson Conversational Cloud DataParser',
    importKey: importKey('demo', c.conversationId, String(c.endTime)),
    isDraft: false,
    subject: 's',
  };
}

function mailOf(items: MailboxItem[], duplicatePairs = 0): MailboxSummary {
  return { folderItems: items.length, ours: items, duplicatePairs, mailboxes: new Set(items.map((i) => i.userId)).size };
}

function status(totals: Partial<LogCounts>): ConnectorStatus {
  const t: LogCounts = { fromSource: 1200, forImport: 1200, imported: 1200, partial: 0, skippedDuplicate: 0, failed: 0, ...totals };
  return {
    connector: 'demo',
    state: 'paused',
    cursor: new Date(CURSOR).toISOString(),
    lagSeconds: 60,
    windowsDone: 13,
    totals: t,
    days: [{ day: '2026-06-04', counts: t }],
    recentFailures: [],
    runsSoFar: 1,
  };
}

function observations(overrides: Partial<CheckObservations> = {}): CheckObservations {
  const conversations = truth(1200);
  return {
    connector: 'demo',
    status: status({}),
    startAt: START,
    catchUpMs: 62_000,
    truth: conversations,
    mail: mailOf(conversations.map((c) => item(c))),
    visibilityIds: [WF],
    uiIds: [WF],
    workflowId: WF,
    ...overrides,
  };
}

const failing = (o: CheckObservations): string[] =>
  evaluate(o)
    .filter((v) => !v.pass)
    .map((v) => v.check);

describe('demo --check verdicts', () => {
  it('pass when the log, the source and the mailboxes agree', () => {
    expect(failing(observations())).toEqual([]);
    expect(formatVerdicts(evaluate(observations()))).toContain('VERDICT: PASS (9 checks)');
  });

  it('fail below 1,000 conversations', () => {
    const few = truth(999);
    expect(
      failing(
        observations({
          truth: few,
          status: status({ fromSource: 999, forImport: 999, imported: 999 }),
          mail: mailOf(few.map((c) => item(c))),
        }),
      ),
    ).toEqual(['at least 1000 conversations archived']);
  });

  it('fail when a (mailbox, import key) pair is there twice', () => {
    expect(failing(observations({ mail: { ...observations().mail, duplicatePairs: 1 } }))).toContain(
      'each (mailbox, import key) exactly once',
    );
  });

  it("fail when a conversation is missing from an agent's mailbox, naming it", () => {
    const o = observations();
    const verdicts = evaluate({ ...o, mail: mailOf(o.mail.ours.slice(1)) });
    const missing = verdicts.find((v) => v.check === "each conversation in every agent's mailbox");
    expect(missing?.pass).toBe(false);
    expect(missing?.detail).toContain('conv-0 → ava@contoso.example');
  });

  it('fail when the log skipped or repeated a conversation of the window', () => {
    expect(failing(observations({ status: status({ fromSource: 1199 }) }))).toEqual([
      'every conversation of [startDate, cursor) collected once',
    ]);
  });

  it('fail when the counts do not add up', () => {
    expect(failing(observations({ status: status({ forImport: 1201 }) }))).toEqual(['counts add up']);
  });

  it('fail when the workflow is not found by its connector name, in visibility or in the Web UI', () => {
    expect(failing(observations({ visibilityIds: [], uiIds: 'GET … answered 404' }))).toEqual([
      'workflow found by LpConnectorName="demo"',
      'workflow listed by the Web UI',
    ]);
  });
});

describe('conversationOfKey', () => {
  it('reads the conversation id back from our import key and ignores other connectors', () => {
    expect(conversationOfKey(importKey('demo', 'abc-123', '1700000000000'), 'demo')).toBe('abc-123');
    expect(conversationOfKey(importKey('other', 'abc-123', '1'), 'demo')).toBeUndefined();
  });
});

describe('demo --check with legacy chat', () => {
  const chat = (i: number, lateMs = 0) => ({
    engagementId: `12345678${4000 + i}`,
    endTime: START + i * 60_000,
    visibleAt: START + i * 60_000 + 60_000 + lateMs,
    agentIds: ['a1'],
    expectedMailboxes: ['ava@contoso.example'],
  });
  const chatItem = (c: ReturnType<typeof chat>): MailboxItem => ({
    id: `m-chat-${c.engagementId}`,
    userId: 'id-ava@contoso.example',
    mail: 'ava@contoso.example',
    folder: 'LivePerson Conversational Cloud DataParser',
    importKey: importKey('demo', c.engagementId, String(c.endTime), 'chat'),
    isDraft: false,
    subject: 's',
  });

  function withChats(chats: ReturnType<typeof chat>[], inMail: ReturnType<typeof chat>[], chatFromSource: number): CheckObservations {
    const base = observations();
    const messaging = base.status.totals;
    const chatTotals: LogCounts = { ...messaging, fromSource: chatFromSource, forImport: inMail.length, imported: inMail.length };
    const all: LogCounts = {
      fromSource: messaging.fromSource + chatFromSource,
      forImport: messaging.forImport + inMail.length,
      imported: messaging.imported + inMail.length,
      partial: 0,
      skippedDuplicate: 0,
      failed: 0,
    };
    const source = (totals: LogCounts) => ({ enabled: true, cursor: new Date(CURSOR).toISOString(), lagSeconds: 60, totals, days: [] });
    return {
      ...base,
      status: {
        ...base.status,
        totals: all,
        days: [{ day: '2026-06-04', counts: all }],
        sources: { messaging: source(messaging), chat: source(chatTotals) },
      },
      chats: { truth: chats, lagMs: 5 * 60_000, checkedAt: CURSOR },
      mail: mailOf([...base.mail.ours, ...inMail.map(chatItem)]),
    };
  }

  it('passes when every chat searchable in time is in its agent’s mailbox, counting messaging and chats apart', () => {
    const chats = [chat(1), chat(2), chat(3)];
    const o = withChats(chats, chats, 3);
    expect(failing(o)).toEqual([]);
    expect(formatVerdicts(evaluate(o))).toContain('every legacy chat of [startDate, chat cursor) collected once');
    expect(conversationOfKey(chatItem(chat(1)).importKey!, 'demo')).toBe('chat/123456784001');
  });

  it('leaves a chat searchable only later to the chat sweep, but fails on a missing chat that was searchable in time', () => {
    const late = chat(4, 90 * 60_000);
    expect(failing(withChats([chat(1), late], [chat(1)], 1))).toEqual([]);
    expect(failing(withChats([chat(1), chat(2)], [chat(1)], 1))).toEqual(
      expect.arrayContaining([
        'every legacy chat of [startDate, chat cursor) collected once',
        "each conversation in every agent's mailbox",
      ]),
    );
  });
});
