import { countsAddUp, importKey, type ConnectorConfig, type ConnectorStatus } from '../../src/model';
import { stopSignal } from '../../src/workflows/messages';
import { readDayLog } from '../../src/cli/day-log';
import { formatDayLog } from '../../src/cli/format-day-log';
import { formatStatus } from '../../src/cli/format-status';
import { statusAt } from '../../src/cli/status-view';
import { startHarness, waitForStatus, type Harness } from '../support/connector-harness';
import { emulatorConversations, mailboxItems } from '../../scripts/lib/emulator-truth';
import { generateTenant } from '../../emulators/shared/tenant';

interface ChatTruth {
  readonly engagementId: string;
  readonly endTime: number;
  readonly agentIds: readonly string[];
}

/**
 * Legacy chat (Engagement History) as a second source of the same connector: each source has its own cursor,
 * lag and late-arrival sweep; both land in the same folders, with import keys kept apart, and the log counts
 * each source as well as both together.
 */
describe('a connector collecting messaging and legacy chat (real dev server, emulators over HTTP)', () => {
  let h: Harness;
  const anchor = Date.now();
  const agents = new Map(generateTenant(42).agents.map((a) => [a.id, a]));
  const mailboxesOf = (agentIds: readonly string[]): string[] =>
    agentIds.flatMap((id) => {
      const a = agents.get(id);
      return a && a.mailbox === 'ok' && !a.emailIsAlias ? [a.email] : [];
    });

  beforeAll(async () => {
    h = await startHarness({
      lp: {
        conversations: 30,
        days: 1,
        anchorTime: anchor - 3 * 60_000,
        maxMessages: 6,
        ingestionLagMs: 1000,
        chats: 60,
        chatDays: 1,
        chatMaxLines: 8,
        chatIngestionMaxMs: 1000,
        chatLateRate: 0,
      },
    });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function chatsEnded(from: number, to: number): Promise<ChatTruth[]> {
    const res = await fetch(`${h.lp.url}/_emulator/chats?endFrom=${from}&endTo=${to}`);
    expect(res.status).toBe(200);
    return (await res.json()) as ChatTruth[];
  }

  function bothSources(startDate: number): ConnectorConfig {
    return h.config({
      startDate: new Date(startDate).toISOString(),
      backfillWindow: '6h',
      lag: '1m',
      chatLag: '1m',
      pollInterval: '2s',
      minWindow: '1s',
      sweepInterval: '10s',
      chatLateArrivalSweep: '3h',
    });
  }

  const bothLive = (s: ConnectorStatus): boolean =>
    s.sources !== undefined &&
    Date.parse(s.sources.messaging.cursor) > Date.now() - 3 * 60_000 &&
    Date.parse(s.sources.chat.cursor) > Date.now() - 3 * 60_000;

  it('archives every (chat, agent mailbox) and (conversation, agent mailbox) pair exactly once, and counts each source', async () => {
    const base = bothSources(anchor - 26 * 3_600_000);
    const config: ConnectorConfig = { ...base, liveperson: { ...base.liveperson, sources: ['messaging', 'chat'] } };
    const handle = await h.startConnector(config);
    await waitForStatus('both sources to catch up', handle, bothLive, 180_000);
    await handle.signal(stopSignal);
    const final = await handle.result();

    const chatCursor = Date.parse(final.sources!.chat.cursor);
    const messagingCursor = Date.parse(final.sources!.messaging.cursor);
    const chats = await chatsEnded(config.schedule.startAt, chatCursor);
    const conversations = await emulatorConversations(h.lp.url, config.schedule.startAt, messagingCursor);
    expect(chats.length).toBeGreaterThan(30);

    const items = await mailboxItems(h.graph.url, config.graph.folderName);
    const pairs = items.map((i) => `${i.mail}|${i.importKey}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    const expected = [
      ...chats.flatMap((c) =>
        mailboxesOf(c.agentIds).map((m) => `${m}|${importKey(config.name, c.engagementId, String(c.endTime), 'chat')}`),
      ),
      ...conversations.flatMap((c) =>
        c.expectedMailboxes.map((m) => `${m}|${importKey(config.name, c.conversationId, String(c.endTime))}`),
      ),
    ];
    expect(expected.length).toBeGreaterThan(chats.length);
    for (const pair of expected) expect(pairs).toContain(pair);
    // No chat item that is not one of LivePerson's chats (agents behind aliases add mailboxes the truth cannot name).
    const chatKeys = new Set(chats.map((c) => importKey(config.name, c.engagementId, String(c.endTime), 'chat')));
    const chatItems = items.filter((i) => i.importKey?.startsWith('lp-archive-chat:'));
    for (const i of chatItems) expect(chatKeys).toContain(i.importKey);

    // Per source, and both together.
    const { messaging, chat } = final.sources!;
    expect(chat.totals.fromSource).toBe(chats.length);
    expect(messaging.totals.fromSource).toBe(conversations.length);
    expect(final.totals.fromSource).toBe(chats.length + conversations.length);
    for (const c of [final.totals, messaging.totals, chat.totals]) expect(countsAddUp(c)).toBe(true);
    // Every chat item in a mailbox is one imported (or partial) row of chat's counts, and no other row is.
    expect(chat.totals.imported + chat.totals.partial).toBe(chatItems.length);
    expect(final.totals.skippedDuplicate).toBe(0);
    const dayChat = chat.days.reduce((n, d) => n + d.counts.fromSource, 0);
    expect(dayChat).toBe(chat.totals.fromSource);

    // The day log (read from the log parts, as `log` reads them) counts each source, and they add up.
    let chatLogged = 0;
    let messagingLogged = 0;
    for (const { day } of final.days) {
      const d = await readDayLog(h.staging, config.name, day);
      expect(d.bySource).toBeDefined();
      const { messaging: m, chat: ch } = d.bySource!;
      expect(m.forImport + ch.forImport).toBe(d.counts.forImport);
      expect(m.imported + ch.imported).toBe(d.counts.imported);
      chatLogged += ch.imported + ch.partial;
      messagingLogged += m.imported + m.partial;
      expect(formatDayLog(config.name, d)).toMatch(/legacy chat\s+\d+ \/ \d+/);
    }
    expect(chatLogged).toBe(chatItems.length);
    const shown = formatStatus(statusAt(final, Date.now()));
    expect(shown).toMatch(/Per source\n {2}messaging .*\n {2}legacy chat /);
    expect(shown).toContain(`  legacy chat    ${String(chat.totals.fromSource).padStart(11)}`);
    expect(messagingLogged).toBe(messaging.totals.imported + messaging.totals.partial);
  }, 300_000);

  it('archives a chat Engagement History makes searchable 90 minutes after it ended, exactly once, by the chat sweep', async () => {
    const base = bothSources(Date.now() - 3 * 3_600_000);
    const config: ConnectorConfig = { ...base, liveperson: { ...base.liveperson, sources: ['messaging', 'chat'] } };
    const handle = await h.startConnector(config);
    await waitForStatus('both sources to catch up', handle, bothLive, 180_000);

    // Every window over its end passed long ago: only the chat sweep (3 h look-back) can find it.
    const agent = generateTenant(42).agents.find((a) => a.mailbox === 'ok' && !a.emailIsAlias && !a.deleted)!;
    const ninetyMinutes = 90 * 60_000;
    const endTime = Date.now() - ninetyMinutes + 5_000;
    const res = await fetch(`${h.lp.url}/_emulator/chats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endTime, agentIds: [agent.id], ingestionDelayMs: ninetyMinutes }),
    });
    expect(res.status).toBe(201);
    const late = (await res.json()) as ChatTruth;

    const found = await waitForStatus('the chat sweep to find it', handle, (s) => (s.sources?.chat.sweep?.found ?? 0) >= 1, 120_000);
    const runs = found.sources!.chat.sweep!.runs;
    await waitForStatus('two more chat sweeps', handle, (s) => (s.sources?.chat.sweep?.runs ?? 0) >= runs + 2);
    await handle.signal(stopSignal);
    const final = await handle.result();

    expect(final.sources!.chat.sweep!.found).toBe(1);
    expect(final.sources!.messaging.sweep?.found ?? 0).toBe(0);
    const key = importKey(config.name, late.engagementId, String(late.endTime), 'chat');
    const items = await mailboxItems(h.graph.url, config.graph.folderName);
    expect(items.filter((i) => i.importKey === key)).toHaveLength(1);
    expect(items.find((i) => i.importKey === key)!.mail).toBe(agent.email);
    expect(final.totals.skippedDuplicate).toBe(0);
  }, 300_000);
});
