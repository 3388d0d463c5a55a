import type { WorkflowHandle } from '@temporalio/client';
import { connectorWorkflowId, countsAddUp, importKey, type ConnectorConfig, type ConnectorStatus } from '../../src/model';
import { emulatorConversations, mailboxItems } from '../../scripts/lib/emulator-truth';
import type { connectorWorkflow } from '../../src/workflows';
import { stopSignal } from '../../src/workflows/messages';
import { waitForStatus, type Harness } from './connector-harness';
import { historiesOfAllRuns } from './history';

const HOUR = 3_600_000;

/**
 * A backfill of one window (the last 25 hours before `anchor`, windows of 2 days) with `schedule` on top, run until
 * the window is done, then stopped: its config, start, final status and the events of all its runs.
 */
export async function backfillOneWindow(h: Harness, anchor: number, schedule: Record<string, unknown>) {
  const startAt = anchor - 25 * HOUR;
  const config: ConnectorConfig = h.config({
    startDate: new Date(startAt).toISOString(),
    backfillWindow: '2d',
    lag: '1m',
    pollInterval: '2s',
    minWindow: '1m',
    ...schedule,
  });
  const workflowId = connectorWorkflowId(config.name);
  const started = await h.client.workflow.start('connectorWorkflow', { taskQueue: h.taskQueue, workflowId, args: [{ config }] });
  const handle = started as WorkflowHandle<typeof connectorWorkflow>;
  await waitForStatus('the backfill window to finish', handle, (s) => s.windowsDone >= 1, 120_000);
  await handle.signal(stopSignal);
  const result: ConnectorStatus = await handle.result();
  const runs = await historiesOfAllRuns(h.client, workflowId, started.firstExecutionRunId);
  return { config, startAt, handle, result, runs, events: runs.flatMap((r) => r.events) };
}

/** Every conversation of the emulator in [from, to) is in each of its mailboxes exactly once, and nothing else is. */
export async function expectExactlyOnce(h: Harness, config: ConnectorConfig, from: number, result: ConnectorStatus) {
  const truth = await emulatorConversations(h.lp.url, from, Date.parse(result.cursor));
  expect(truth.length).toBeGreaterThan(30);
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
  return truth;
}
