import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { generateTenant } from '../../emulators/shared/tenant';
import { mailboxItems } from '../../scripts/lib/emulator-truth';
import { readDayLog } from '../../src/cli/day-log';
import { importKey, utcDay, type ConnectorConfig } from '../../src/model';
import { pauseSignal, stopSignal } from '../../src/workflows/messages';
import { startHarness, waitForStatus, type Harness } from '../support/connector-harness';
import { recordHistory } from '../support/record-history';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const PIPELINE = ['preparePage', 'fetchPage', 'convertPage', 'stagePage', 'resolvePage', 'importPage', 'completeWindow'];

/**
 * The live follower under load and failure: conversations closing every few seconds are collected inside the follow
 * (no pipeline activity in the history), each pair once in the mailboxes and once in the log; a window whose import
 * fails is handed back to the workflow's own window, which backs off, then counts what the follow had written once.
 */
describe('live follower, busy and failing (real dev server, emulators over HTTP)', () => {
  let h: Harness;
  const anchor = Date.now();
  const agents = generateTenant(42).agents.filter((a) => a.mailbox === 'ok' && !a.emailIsAlias && !a.deleted);

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 10, days: 1, anchorTime: anchor - 3 * 60_000, maxMessages: 4, ingestionLagMs: 1000 } });
    await h.startWorker();
  });
  afterAll(async () => h?.close());

  function liveConfig(): ConnectorConfig {
    return h.config({
      startDate: new Date(anchor - 3 * 3_600_000).toISOString(),
      backfillWindow: '6h',
      lag: '1m',
      pollInterval: '2s',
      minWindow: '5s',
      completenessCheck: '0m',
    });
  }

  async function pipelineActivities(handle: WorkflowHandle): Promise<number> {
    const evs: HistoryEvent[] = (await handle.fetchHistory()).events ?? [];
    return evs.filter((e) => PIPELINE.includes(e.activityTaskScheduledEventAttributes?.activityType?.name ?? '')).length;
  }

  async function close(agentIds: string[]): Promise<{ conversationId: string; endTime: number }> {
    const res = await fetch(`${h.lp.url}/_emulator/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agentIds, endTime: Date.now(), visibleImmediately: true }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversationId: string; endTime: number };
  }

  async function graphFaults(body: unknown): Promise<void> {
    const res = await fetch(`${h.graph.url}/_emulator/faults`, {
      method: body === undefined ? 'DELETE' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.ok).toBe(true);
  }

  async function untilInMailboxes(config: ConnectorConfig, keys: readonly string[]): Promise<void> {
    const deadline = Date.now() + 180_000;
    for (;;) {
      const items = await mailboxItems(h.graph.url, config.graph.folderName);
      if (keys.every((k) => items.some((i) => i.importKey === k))) return;
      if (Date.now() > deadline) throw new Error('not every conversation reached its mailbox');
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  const isLive = (s: { state: string; currentWindow?: unknown; cursor: string }) =>
    s.state === 'live' && !s.currentWindow && Date.parse(s.cursor) > Date.now() - 3 * 60_000;

  it('collects conversations closing every few seconds inside the follow: each pair once in the mailboxes and the log', async () => {
    const config = liveConfig();
    const handle = await h.startConnector(config);
    const live = await waitForStatus('live', handle, isLive);
    const pipelineBefore = await pipelineActivities(handle);

    const closed = [];
    for (let i = 0; i < 6; i++) {
      closed.push(await close([agents[i % 3]!.id]));
      await new Promise((r) => setTimeout(r, 3_000));
    }
    const keys = closed.map((c) => importKey(config.name, c.conversationId, String(c.endTime)));
    await untilInMailboxes(config, keys);
    expect(await pipelineActivities(handle)).toBe(pipelineBefore);

    await handle.signal(pauseSignal); // the follow returns its windows, which the workflow records
    const paused = await waitForStatus('paused', handle, (s) => s.state === 'paused', 60_000);
    expect(paused.totals.skippedDuplicate).toBe(0);
    expect(paused.windowsDone - live.windowsDone).toBeGreaterThanOrEqual(2);
    // Every item of the connector is counted once (with the tenant's own conversations that closed meanwhile).
    const items = await mailboxItems(h.graph.url, config.graph.folderName);
    const mine = items.filter((i) => i.importKey?.includes(`:${config.name}:`));
    expect(paused.totals.imported + paused.totals.partial).toBe(mine.length);
    expect(paused.totals.imported - live.totals.imported).toBeGreaterThanOrEqual(closed.length);
    const days = [...new Set(closed.map((c) => utcDay(c.endTime)))];
    const rows = (await Promise.all(days.map((d) => readDayLog(h.staging, config.name, d)))).flatMap((d) => d.rows);
    for (const [n, c] of closed.entries()) {
      // Once in each participant's mailbox (the agent's, and a consumer's who is staff), once in the log.
      const copies = items.filter((i) => i.importKey === importKey(config.name, c.conversationId, String(c.endTime)));
      expect(copies.map((i) => i.mail)).toContain(agents[n % 3]!.email);
      expect(new Set(copies.map((i) => i.userId)).size).toBe(copies.length);
      expect(rows.filter((r) => r.itemId === c.conversationId && r.result === 'imported')).toHaveLength(copies.length);
      expect(rows.filter((r) => r.itemId === c.conversationId && r.result === 'skipped-duplicate')).toHaveLength(0);
    }
    await handle.signal(stopSignal);
    await handle.result();
    recordHistory(handle, 'live-follow-busy');
  }, 300_000);

  it('hands a window whose import fails back to the workflow, which counts what the follow wrote once', async () => {
    const [ok, blocked] = [agents[3]!, agents[4]!];
    await graphFaults({
      once: [{ fault: '503', count: 100_000, mailbox: blocked.email, method: 'POST', pathContains: '/messages', retryAfterSeconds: 1 }],
    });
    const config = liveConfig();
    const handle = await h.startConnector(config);
    const live = await waitForStatus('live', handle, isLive);
    const pipelineBefore = await pipelineActivities(handle);
    const conv = await close([ok.id, blocked.id]);
    const key = importKey(config.name, conv.conversationId, String(conv.endTime));

    await waitForStatus('the workflow’s window to back off', handle, (s) => s.state === 'throttled', 240_000);
    expect(await pipelineActivities(handle)).toBeGreaterThan(pipelineBefore);
    const during = (await mailboxItems(h.graph.url, config.graph.folderName)).filter((i) => i.importKey === key);
    expect(during.map((i) => i.mail)).toContain(ok.email); // the follow wrote the reachable mailbox's item
    expect(during.map((i) => i.mail)).not.toContain(blocked.email);

    await graphFaults(undefined);
    const done = await waitForStatus('the window collected', handle, (s) => isLive(s) && Date.parse(s.cursor) > conv.endTime, 240_000);
    const items = (await mailboxItems(h.graph.url, config.graph.folderName)).filter((i) => i.importKey === key);
    expect(items.map((i) => i.mail)).toEqual(expect.arrayContaining([ok.email, blocked.email]));
    expect(new Set(items.map((i) => i.userId)).size).toBe(items.length);
    expect(done.totals.skippedDuplicate).toBe(0);
    const mine = (await mailboxItems(h.graph.url, config.graph.folderName)).filter((i) => i.importKey?.includes(`:${config.name}:`));
    expect(done.totals.imported + done.totals.partial).toBe(mine.length);
    expect(done.totals.imported - live.totals.imported).toBeGreaterThanOrEqual(2);
    await handle.signal(stopSignal);
    await handle.result();
  }, 600_000);
});
