import { generateTenant } from '../../emulators/shared/tenant';
import { mailboxItems } from '../../scripts/lib/emulator-truth';
import { startConnector } from '../../src/cli/start-connector';
import { connectorWorkflowId, countsAddUp, type ConnectorStatus } from '../../src/model';
import { statusQuery, stopSignal } from '../../src/workflows/messages';
import { startHarness, waitForStatus, type Harness } from '../support/connector-harness';

/**
 * A stop while the connector waits out a failure abandons its window: the items that window had already
 * written are in the mailboxes, its counts are rolled back. After a restart the window runs again and those
 * items must count once, as imported — not as duplicates.
 */
describe('stop during a failure backoff, then restart', () => {
  let h: Harness;
  const anchor = Date.now();

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 40, days: 1, anchorTime: anchor - 5 * 60_000, maxMessages: 4 } });
    await h.startWorker();
  });
  afterAll(async () => h?.close());

  async function graphFaults(body: unknown): Promise<void> {
    const res = await fetch(`${h.graph.url}/_emulator/faults`, {
      method: body === undefined ? 'DELETE' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.ok).toBe(true);
  }

  it('counts what the abandoned window wrote as imported once, with no duplicates', async () => {
    // One mailbox answers 503 to every message create: the window's other mailboxes get their items, then the
    // connector backs off (throttled) with the window unfinished.
    const blocked = generateTenant(42).agents.find((a) => a.mailbox === 'ok')!;
    await graphFaults({
      once: [{ fault: '503', count: 100_000, mailbox: blocked.email, method: 'POST', pathContains: '/messages', retryAfterSeconds: 1 }],
    });
    const config = h.config({ startDate: new Date(anchor - 86_400_000 - 600_000).toISOString(), backfillWindow: '2d', pollInterval: '2s' });
    const workflowId = connectorWorkflowId(config.name);
    await startConnector(h.client, h.taskQueue, config);
    const handle = h.client.workflow.getHandle(workflowId);
    await waitForStatus('the connector to back off', handle, (s) => s.state === 'throttled', 120_000);
    const written = (await mailboxItems(h.graph.url, config.graph.folderName)).length;
    expect(written).toBeGreaterThan(0);

    await handle.signal(stopSignal);
    const stopped = (await handle.result()) as ConnectorStatus;
    expect(stopped.state).toBe('stopped');
    expect(stopped.totals.imported).toBe(0); // the abandoned window's counts were rolled back
    expect(stopped.interrupted?.window).toBe(new Date(config.schedule.startAt).toISOString());

    await graphFaults(undefined);
    await startConnector(h.client, h.taskQueue, config);
    const live = await waitForStatus(
      'the restarted connector to catch up',
      h.client.workflow.getHandle(workflowId),
      (s) => s.state === 'live' && !s.currentWindow && Date.parse(s.cursor) >= anchor - 5 * 60_000,
      120_000,
    );
    await h.client.workflow.getHandle(workflowId).signal(stopSignal);
    const final = (await h.client.workflow.getHandle(workflowId).result()) as ConnectorStatus;

    const items = await mailboxItems(h.graph.url, config.graph.folderName);
    const keys = items.map((i) => `${i.userId} ${i.importKey}`);
    expect(new Set(keys).size).toBe(keys.length); // exactly once per mailbox
    expect(final.totals.skippedDuplicate).toBe(0);
    expect(final.totals.imported + final.totals.partial).toBe(items.length);
    expect(countsAddUp(final.totals)).toBe(true);
    expect(final.interrupted).toBeUndefined();
    expect(live.totals.fromSource).toBe(final.totals.fromSource);
    expect((await h.client.workflow.getHandle(workflowId).query(statusQuery)).state).toBe('stopped');
  });
});
