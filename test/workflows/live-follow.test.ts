import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { importKey, type ConnectorConfig } from '../../src/model';
import { pauseSignal, resumeSignal, statusQuery, stopSignal } from '../../src/workflows/messages';
import { startHarness, waitForStatus, type Harness } from '../support/connector-harness';
import { mailboxItems } from '../../scripts/lib/emulator-truth';
import { generateTenant } from '../../emulators/shared/tenant';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * A live connector follows in one followLive activity on the watch task queue, which collects the windows that
 * close meanwhile in-process, instead of a timer and an empty window per poll interval and six activities per
 * window: Temporal Cloud bills every activity, timer and upsert.
 */
describe('live follower (real dev server, emulators over HTTP)', () => {
  let h: Harness;
  const anchor = Date.now();

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 20, days: 1, anchorTime: anchor - 3 * 60_000, maxMessages: 6, ingestionLagMs: 1000 } });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Live within seconds: a 3-hour backfill, 2 s polls, 5 s windows, no completeness proof to wake the loop. */
  function liveConfig(schedule: Record<string, unknown> = {}): ConnectorConfig {
    return h.config({
      startDate: new Date(anchor - 3 * 3_600_000).toISOString(),
      backfillWindow: '6h',
      lag: '1m',
      pollInterval: '2s',
      minWindow: '5s',
      completenessCheck: '0m',
      ...schedule,
    });
  }

  async function events(handle: WorkflowHandle): Promise<HistoryEvent[]> {
    return (await handle.fetchHistory()).events ?? [];
  }
  const scheduled = (evs: readonly HistoryEvent[], type: string): number =>
    evs.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type).length;
  const timers = (evs: readonly HistoryEvent[]): number => evs.filter((e) => e.timerStartedEventAttributes).length;

  const agent = generateTenant(42).agents.find((a) => a.mailbox === 'ok' && !a.emailIsAlias && !a.deleted)!;

  const pipelineSteps = ['preparePage', 'fetchPage', 'convertPage', 'stagePage', 'resolvePage', 'importPage', 'completeWindow'];
  const pipelineActivities = (evs: readonly HistoryEvent[]): number => pipelineSteps.reduce((n, t) => n + scheduled(evs, t), 0);

  it('waits idle in one follow (no empty windows, no timers), collects what closes meanwhile in it once, and pauses within a poll', async () => {
    const config = liveConfig();
    const handle = await h.startConnector(config);
    await waitForStatus('live', handle, (s) => s.state === 'live' && !s.currentWindow && Date.parse(s.cursor) > Date.now() - 3 * 60_000);
    // Ten poll intervals with nothing closing: one follow, no fetch, no timer.
    const before = await events(handle);
    await new Promise((r) => setTimeout(r, 20_000));
    const idle = await events(handle);
    expect(scheduled(idle, 'preparePage')).toBe(scheduled(before, 'preparePage'));
    expect(timers(idle)).toBe(timers(before));
    expect(scheduled(idle, 'followLive')).toBeLessThanOrEqual(scheduled(before, 'followLive') + 1);
    expect(scheduled(idle, 'followLive')).toBeGreaterThan(0);
    expect(scheduled(idle, 'watchClosed')).toBe(0);
    const windowsBefore = (await handle.query(statusQuery)).windowsDone;

    // A conversation that closes now is collected by the follow itself: no pipeline activity in the history.
    const res = await fetch(`${h.lp.url}/_emulator/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agentIds: [agent.id], endTime: Date.now(), visibleImmediately: true }),
    });
    expect(res.status).toBe(201);
    const closed = (await res.json()) as { conversationId: string; endTime: number };
    const key = importKey(config.name, closed.conversationId, String(closed.endTime));
    const deadline = Date.now() + 120_000;
    while ((await mailboxItems(h.graph.url, config.graph.folderName)).every((i) => i.importKey !== key)) {
      if (Date.now() > deadline) throw new Error('the new conversation never reached its mailbox');
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const collected = await events(handle);
    expect(pipelineActivities(collected)).toBe(pipelineActivities(idle));

    // An operator's pause does not wait for the follow's 5 minutes: the follow reads the cancel within a poll
    // interval and returns the window it collected, which the workflow records before it pauses.
    const pausedAt = Date.now();
    await handle.signal(pauseSignal);
    const paused = await waitForStatus('paused', handle, (s) => s.state === 'paused', 30_000);
    expect(Date.now() - pausedAt).toBeLessThan(30_000);
    expect(paused.windowsDone).toBe(windowsBefore + 1);
    expect(Date.parse(paused.cursor)).toBeGreaterThan(closed.endTime);
    const items = await mailboxItems(h.graph.url, config.graph.folderName);
    expect(items.filter((i) => i.importKey === key)).toHaveLength(1);
    await handle.signal(resumeSignal);
    await handle.signal(stopSignal);
    const final = await handle.result();
    expect(final.totals.skippedDuplicate).toBe(0);
    expect(final.state).toBe('stopped');
  }, 300_000);

  it('moves the cursor over a span the follow saw empty, with no window', async () => {
    const config = liveConfig({ sweepInterval: '15s' });
    const handle = await h.startConnector(config);
    const live = await waitForStatus(
      'live',
      handle,
      (s) => s.state === 'live' && !s.currentWindow && Date.parse(s.cursor) > Date.now() - 3 * 60_000,
    );
    const before = await events(handle);
    // The follow runs one sweep interval, then hands back how far it saw nothing closed.
    const moved = await waitForStatus(
      'the cursor to move',
      handle,
      (s) => Date.parse(s.cursor) >= Date.parse(live.cursor) + 10_000,
      60_000,
    );
    const after = await events(handle);
    // Polling every 2 s with 5 s windows would have taken several windows; a sweep (one fetch of its look-back) may
    // leave a window of its own duration behind it, and that is all. The follow ends when a sweep is due, so one
    // may have started after the status was read: count it too.
    const sweeps = ((await handle.query(statusQuery)).sweep?.runs ?? 0) - (live.sweep?.runs ?? 0) + 1;
    expect(moved.windowsDone - live.windowsDone).toBeLessThanOrEqual(sweeps);
    expect(scheduled(after, 'preparePage') - scheduled(before, 'preparePage')).toBeLessThanOrEqual(2 * sweeps);
    expect(scheduled(after, 'followLive')).toBeGreaterThanOrEqual(1);
    await handle.signal(stopSignal);
    await handle.result();
  }, 180_000);
});
