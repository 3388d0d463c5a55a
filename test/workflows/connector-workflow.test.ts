import { countsAddUp, connectorWorkflowId, importKey, type ConnectorStatus, type TimeWindow } from '../../src/model';
import type { BatchRef, FollowLiveInput, FollowLiveResult } from '../../src/activities/contracts';
import { statusQuery, stopSignal } from '../../src/workflows/messages';
import { eventually, startHarness, TEST_ENV, type Harness } from '../support/connector-harness';
import { activityInputs, activityResults, decodedHistoryText, historiesOfAllRuns } from '../support/history';
import { emulatorConversations, mailboxItems } from '../../scripts/lib/emulator-truth';
import { recordHistory } from '../support/record-history';

const DAY = 86_400_000;

describe('connectorWorkflow on a real dev server', () => {
  let h: Harness;
  const anchor = Date.now();

  beforeAll(async () => {
    // Some hosted files cannot be had: their items are imported as partial, never dropped.
    h = await startHarness({
      lp: { conversations: 240, days: 2, anchorTime: anchor - 10 * 60_000, maxMessages: 12, faults: { missingFileRate: 0.5 } },
    });
  });
  afterAll(async () => h?.close());

  it('advances the cursor window by window, carries cursor and counts across continue-as-new, and its counts match the emulator', async () => {
    const startAt = anchor - 2 * DAY - 30 * 60_000;
    const config = h.config({
      startDate: new Date(startAt).toISOString(),
      backfillWindow: '6h',
      lag: '1m',
      pollInterval: '2s',
      minWindow: '1m',
    });
    const workflowId = connectorWorkflowId(config.name);
    const worker = await h.newWorker();
    const final = await worker.runUntil(async () => {
      const handle = await h.client.workflow.start('connectorWorkflow', {
        taskQueue: h.taskQueue,
        workflowId,
        args: [{ config, maxWindowsPerRun: 3 }],
      });
      // Caught up: live, and the cursor is past the last generated conversation.
      let last: ConnectorStatus | undefined;
      const caughtUp = await eventually(
        'the connector to catch up',
        async () => {
          const s: ConnectorStatus = await h.client.workflow.getHandle(workflowId).query(statusQuery);
          last = s;
          return s.state === 'live' && Date.parse(s.cursor) >= anchor - 10 * 60_000 ? s : undefined;
        },
        90_000,
        500,
      ).catch((err: Error) => {
        throw new Error(`${err.message}; last status: ${JSON.stringify(last)}`);
      });
      await h.client.workflow.getHandle(workflowId).signal(stopSignal);
      const result = (await h.client.workflow.getHandle(workflowId).result()) as ConnectorStatus;
      return { caughtUp, result, firstRunId: handle.firstExecutionRunId };
    });

    const { result } = final;
    expect(result.state).toBe('stopped');
    expect(result.runsSoFar).toBeGreaterThanOrEqual(3);

    // Window by window: every run's first-page fetches tile [startAt, cursor) without gap or overlap.
    const runs = await historiesOfAllRuns(h.client, workflowId, final.firstRunId);
    recordHistory(h.client.workflow.getHandle(workflowId), 'backfill-first-run-then-continue-as-new', final.firstRunId);
    expect(runs.length).toBe(result.runsSoFar);
    const windows: TimeWindow[] = runs
      .flatMap((r) => activityInputs<BatchRef>(r.events, 'preparePage'))
      .filter((ref) => ref.page === 0)
      .map((ref) => ref.window);
    for (const w of windows) expect(w.to - w.from).toBeLessThanOrEqual(6 * 3_600_000);
    // Live, a follow covers [its cursor, how far it got): the windows it collected and the spans it saw empty.
    const follows = runs.flatMap((r) => {
      const inputs = activityInputs<FollowLiveInput>(r.events, 'followLive');
      return activityResults<FollowLiveResult>(r.events, 'followLive').map((output, i) => ({ from: inputs[i]!.lanes[0]!.cursor, output }));
    });
    const followed = follows.flatMap(({ from, output }) => {
      const to = Math.max(from, ...output.windows.map((w) => w.window.to), ...output.emptyUntil.map((e) => e.to));
      return to > from ? [{ from, to }] : [];
    });
    const spans = [...windows, ...followed].sort((a, b) => a.from - b.from);
    expect(spans[0]!.from).toBe(startAt);
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.from).toBe(spans[i - 1]!.to);
    expect(spans[spans.length - 1]!.to).toBe(Date.parse(result.cursor));
    expect(result.windowsDone).toBe(windows.length + follows.reduce((n, f) => n + f.output.windows.length, 0));

    // Every activity carries the connector as its fairness key, so a fairness-mode queue shares the pool among connectors.
    const scheduled = runs
      .flatMap((r) => r.events)
      .flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
    expect(scheduled.length).toBeGreaterThan(10);
    expect(new Set(scheduled.map((a) => `${a.priority?.fairnessKey}|${a.priority?.fairnessWeight}`))).toEqual(
      new Set([`${config.name}|1`]),
    );

    // History holds references and counts only: no e-mail address and no secret, in any run.
    const history = decodedHistoryText(runs.flatMap((r) => r.events));
    expect(history).toContain('csdsBaseUrl'); // payloads really are decoded here
    expect(history).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
    for (const secret of Object.values(TEST_ENV).filter((v) => v.includes('secret'))) expect(history).not.toContain(secret);

    // Counts: every conversation that closed in [startAt, cursor) came from the source, once.
    const truth = await emulatorConversations(h.lp.url, startAt, Date.parse(result.cursor));
    expect(truth.length).toBeGreaterThan(150);
    expect(result.totals.fromSource).toBe(truth.length);
    // A run with unmapped participants, partial items and failures: the log still adds up.
    expect(result.totals.partial).toBeGreaterThan(0);
    expect(result.totals.failed).toBeGreaterThan(0);
    expect(countsAddUp(result.totals)).toBe(true);
    for (const d of result.days) expect(countsAddUp(d.counts)).toBe(true);

    // Each imported item is in the mailboxes exactly once, and the log's imported count is what the mailboxes hold.
    const items = await mailboxItems(h.graph.url, config.graph.folderName);
    const ours = items.filter((i) => i.importKey?.startsWith(`lp-archive:${config.name}:`));
    const pairs = new Set(ours.map((i) => `${i.userId}|${i.importKey}`));
    expect(pairs.size).toBe(ours.length);
    expect(ours.length).toBe(result.totals.imported + result.totals.partial);
    expect(ours.every((i) => i.isDraft === false)).toBe(true);

    // And every agent with a mailbox received each of their conversations.
    for (const c of truth) {
      const key = importKey(config.name, c.conversationId, String(c.endTime));
      for (const mailbox of c.expectedMailboxes) {
        expect(ours.some((i) => i.importKey === key && i.mail.toLowerCase() === mailbox.toLowerCase())).toBe(true);
      }
    }
  });
});
