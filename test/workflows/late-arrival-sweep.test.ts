import { countsAddUp, importKey, type ConnectorConfig } from '../../src/model';
import { stopSignal } from '../../src/workflows/messages';
import { startHarness, waitForStatus, type Harness } from '../support/connector-harness';
import { emulatorConversations, mailboxItems } from '../../scripts/lib/emulator-truth';
import { generateTenant } from '../../emulators/shared/tenant';

/**
 * LivePerson makes a closed conversation searchable after a lag; one that turns up after its window has
 * passed must still be archived, exactly once. The live connector's late-arrival sweep looks back over the
 * last `lateArrivalSweep` and archives only what no finished window saw.
 */
describe('late-arrival sweep (real dev server, emulators over HTTP)', () => {
  let h: Harness;
  const anchor = Date.now();

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 40, days: 1, anchorTime: anchor - 2 * 60_000, maxMessages: 6, ingestionLagMs: 1000 } });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  const waitFor = waitForStatus;

  async function addConversation(body: Record<string, unknown>): Promise<{ conversationId: string; endTime: number }> {
    const res = await fetch(`${h.lp.url}/_emulator/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversationId: string; endTime: number };
  }

  it('archives a conversation that became searchable after its window had passed, exactly once, and never again', async () => {
    const config: ConnectorConfig = h.config({
      startDate: new Date(anchor - 26 * 3_600_000).toISOString(),
      backfillWindow: '6h',
      lag: '1m',
      pollInterval: '2s',
      minWindow: '1s',
      lateArrivalSweep: '30m',
      sweepInterval: '10s',
    });
    const handle = await h.startConnector(config);
    const caughtUp = await waitFor(
      'the backfill to catch up',
      handle,
      (s) => s.state === 'live' && Date.parse(s.cursor) > Date.now() - 90_000,
    );

    // Closed five minutes before the cursor, but searchable only now: every window over it has passed.
    const agent = generateTenant(42).agents.find((a) => a.mailbox === 'ok' && !a.emailIsAlias && !a.deleted)!;
    const late = await addConversation({
      agentIds: [agent.id],
      endTime: Date.parse(caughtUp.cursor) - 5 * 60_000,
      ingestionDelayMs: Date.now() - Date.parse(caughtUp.cursor) + 5 * 60_000 + 500,
    });
    const found = await waitFor('a sweep to find the late arrival', handle, (s) => (s.sweep?.found ?? 0) >= 1);
    expect(found.sweep?.found).toBe(1);
    // Two more sweeps over the same span: they must find nothing new.
    const runs = found.sweep!.runs;
    const later = await waitFor('two more sweeps', handle, (s) => (s.sweep?.runs ?? 0) >= runs + 2);
    await handle.signal(stopSignal);
    const final = await handle.result();

    expect(later.sweep?.found).toBe(1);
    expect(final.totals.skippedDuplicate).toBe(0);
    expect(countsAddUp(final.totals)).toBe(true);
    const truth = await emulatorConversations(h.lp.url, config.schedule.startAt, Date.parse(final.cursor));
    expect(truth.map((t) => t.conversationId)).toContain(late.conversationId);
    expect(final.totals.fromSource).toBe(truth.length);

    // Every (conversation, mailbox) pair exactly once, the late one included.
    const items = await mailboxItems(h.graph.url, config.graph.folderName);
    const pairs = items.map((i) => `${i.mail}|${i.importKey}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const t of truth) {
      for (const mail of t.expectedMailboxes)
        expect(pairs).toContain(`${mail}|${importKey(config.name, t.conversationId, String(t.endTime))}`);
    }
    expect(pairs).toContain(`${agent.email}|${importKey(config.name, late.conversationId, String(late.endTime))}`);
  }, 240_000);

  it('archives a conversation that was open for 200 days and closed in a live window, exactly once, with the default reach', async () => {
    const config: ConnectorConfig = h.config({
      startDate: new Date(anchor - 3 * 3_600_000).toISOString(),
      backfillWindow: '6h',
      lag: '1m',
      pollInterval: '2s',
      minWindow: '1s',
      sweepInterval: '10s',
    });
    // The default liveperson.maxConversationAge: the windows' own queries do not reach 200 days back.
    expect(config.liveperson.maxConversationAgeMs).toBe(85 * 86_400_000);
    const handle = await h.startConnector(config);
    const live = await waitFor('live', handle, (s) => s.state === 'live' && Date.parse(s.cursor) > Date.now() - 90_000);

    const agent = generateTenant(42).agents.find((a) => a.mailbox === 'ok' && !a.emailIsAlias && !a.deleted)!;
    const endTime = Date.now();
    const old = await addConversation({ agentIds: [agent.id], startTime: endTime - 200 * 86_400_000, endTime, visibleImmediately: true });
    const key = importKey(config.name, old.conversationId, String(old.endTime));
    const found = await waitFor('a sweep to find it', handle, (s) => (s.sweep?.found ?? 0) >= 1 && Date.parse(s.cursor) > endTime, 150_000);
    // The cursor passed its close (in a window, or over a span the live watch saw empty) without seeing it.
    expect(Date.parse(found.cursor)).toBeGreaterThan(endTime);
    expect(Date.parse(live.cursor)).toBeLessThan(endTime);
    const runs = found.sweep!.runs;
    await waitFor('two more sweeps', handle, (s) => (s.sweep?.runs ?? 0) >= runs + 2);
    await handle.signal(stopSignal);
    const final = await handle.result();

    expect(final.sweep?.found).toBe(1);
    expect(final.totals.skippedDuplicate).toBe(0);
    const items = await mailboxItems(h.graph.url, config.graph.folderName);
    expect(items.filter((i) => i.importKey === key && i.mail === agent.email)).toHaveLength(1);
  }, 240_000);

  it("archives one open for 14 months, past LivePerson's retention, as partial with the reason, not skipped", async () => {
    const config: ConnectorConfig = h.config({
      startDate: new Date(anchor - 3 * 3_600_000).toISOString(),
      backfillWindow: '6h',
      lag: '1m',
      pollInterval: '2s',
      minWindow: '1s',
      sweepInterval: '10s',
    });
    const handle = await h.startConnector(config);
    await waitFor('live', handle, (s) => s.state === 'live' && Date.parse(s.cursor) > Date.now() - 90_000);
    const agent = generateTenant(42).agents.find((a) => a.mailbox === 'ok' && !a.emailIsAlias && !a.deleted)!;
    const endTime = Date.now() - 2 * 60_000; // behind the cursor already: only a sweep can find it
    const old = await addConversation({ agentIds: [agent.id], startTime: endTime - 425 * 86_400_000, endTime, visibleImmediately: true });
    // (The sweep also finds the 200-day conversation of the test before, which this connector's windows missed too.)
    await waitFor('a sweep to archive it', handle, (s) => s.totals.partial >= 1, 120_000);
    await handle.signal(stopSignal);
    const final = await handle.result();

    expect(final.totals.partial).toBe(1);
    expect(final.totals.skippedDuplicate).toBe(0);
    const items = await mailboxItems(h.graph.url, config.graph.folderName);
    const key = importKey(config.name, old.conversationId, String(old.endTime));
    expect(items.filter((i) => i.importKey === key && i.mail === agent.email)).toHaveLength(1);
    // The day log says why it is partial (the workflow's own rows hold no details).
    const parts = (await h.staging.list('logs', `${config.name}/`)).filter((n) => n.endsWith('.csv'));
    const rows = (await Promise.all(parts.map((n) => h.staging.getText('logs', n)))).join('\n').split('\n');
    expect(rows.find((r) => r.includes(old.conversationId))).toMatch(/partial.*open for longer than LivePerson's 13-month retention/);
  }, 240_000);
});
