import type { WorkflowHandle } from '@temporalio/client';
import type { PrepareBatchResult, BatchRef } from '../../src/activities/contracts';
import { connectorWorkflowId, countsAddUp, importKey } from '../../src/model';
import type { connectorWorkflow } from '../../src/workflows';
import { stopSignal } from '../../src/workflows/messages';
import { startHarness, waitForStatus, type Harness } from '../support/connector-harness';
import { emulatorConversations, mailboxItems } from '../../scripts/lib/emulator-truth';
import { activityInputs, activityResults, historiesOfAllRuns } from '../support/history';

/**
 * A worker whose activity slots are all taken (here: it has one, and the fetch holds it) cuts each new window
 * in batches of `busyBatchSize`, so that many connectors on one pool take turns in small units of work. The
 * pages after the first keep the cut; every conversation still arrives exactly once.
 */
describe('windows cut in busy batches (real dev server, emulators over HTTP)', () => {
  let h: Harness;
  const anchor = Date.now();

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 45, days: 1, anchorTime: anchor - 10 * 60_000, maxMessages: 4 }, activitySlots: 1 });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('cuts the window in pages of busyBatchSize, fetches each page at its offset, and imports every conversation once', async () => {
    const startAt = anchor - 25 * 3_600_000;
    const config = h.config({
      startDate: new Date(startAt).toISOString(),
      backfillWindow: '2d',
      lag: '1m',
      pollInterval: '2s',
      minWindow: '1m',
      batchSize: 500,
      busyBatchSize: 10,
    });
    const workflowId = connectorWorkflowId(config.name);
    const started = await h.client.workflow.start('connectorWorkflow', { taskQueue: h.taskQueue, workflowId, args: [{ config }] });
    const handle = started as WorkflowHandle<typeof connectorWorkflow>;
    await waitForStatus('the backfill window to finish', handle, (s) => s.windowsDone >= 1, 120_000);
    await handle.signal(stopSignal);
    const result = await handle.result();

    const truth = await emulatorConversations(h.lp.url, startAt, Date.parse(result.cursor));
    expect(truth.length).toBeGreaterThan(30);
    const runs = await historiesOfAllRuns(h.client, workflowId, started.firstExecutionRunId);
    const events = runs.flatMap((r) => r.events);
    const fetches = activityInputs<BatchRef>(events, 'preparePage');
    const firsts = activityResults<PrepareBatchResult>(events, 'preparePage').filter((r) => r.batchSize !== undefined);
    // The first window: ceil(n / 10) pages, the first preparePage (its fetch) chose 10, and each later page carries it.
    const firstWindow = fetches.filter((f) => f.window.from === startAt);
    expect(firsts[0]!.batchSize).toBe(10);
    expect(firstWindow.map((f) => f.page).sort((a, b) => a - b)).toEqual(Array.from({ length: Math.ceil(truth.length / 10) }, (_, k) => k));
    for (const f of firstWindow) expect(f.batchSize).toBe(f.page === 0 ? undefined : 10);

    expect(result.totals.fromSource).toBe(truth.length);
    expect(countsAddUp(result.totals)).toBe(true);
    const ours = (await mailboxItems(h.graph.url, config.graph.folderName)).filter((i) =>
      i.importKey?.startsWith(`lp-archive:${config.name}:`),
    );
    expect(new Set(ours.map((i) => `${i.userId}|${i.importKey}`)).size).toBe(ours.length);
    expect(ours.length).toBe(result.totals.imported + result.totals.partial);
    for (const c of truth) {
      const key = importKey(config.name, c.conversationId, String(c.endTime));
      for (const mailbox of c.expectedMailboxes)
        expect(ours.some((i) => i.importKey === key && i.mail.toLowerCase() === mailbox.toLowerCase())).toBe(true);
    }
  });
});
