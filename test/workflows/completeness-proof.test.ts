import type { WorkflowHandle } from '@temporalio/client';
import type { CompletenessRecord } from '../../src/activities/contracts';
import { completenessBlobName, connectorWorkflowId, countsAddUp, importKey, utcDay, type ConnectorConfig } from '../../src/model';
import type { connectorWorkflow } from '../../src/workflows';
import { stopSignal } from '../../src/workflows/messages';
import { startHarness, waitForStatus, type Harness } from '../support/connector-harness';
import { emulatorConversations, mailboxItems } from '../../scripts/lib/emulator-truth';
import { generateTenant } from '../../emulators/shared/tenant';

const DAY = 86_400_000;

/**
 * The daily completeness proof: a day LivePerson reports more conversations for than the manifests hold is shown
 * as incomplete with the missing ids, the connector archives them, and the day is then complete.
 */
describe('daily completeness proof (real dev server, emulators over HTTP)', () => {
  let h: Harness;
  const now = Date.now();
  const today = Math.floor(now / DAY) * DAY;
  const dayBefore = today - 2 * DAY; // always older than the sweep horizon, whatever the time of day

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 30, days: 3, anchorTime: now - 2 * 60_000, maxMessages: 4, ingestionLagMs: 1000 } });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function emulator(path: string, body: unknown, status: number): Promise<{ conversationId: string; endTime: number }> {
    const res = await fetch(`${h.lp.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(status);
    return (await res.json()) as { conversationId: string; endTime: number };
  }

  it('shows a day with a withheld conversation as incomplete with its id, archives it, then proves the day complete', async () => {
    // Closed at noon two days ago, but withheld from every search until the connector has passed that day.
    const agent = generateTenant(42).agents.find((a) => a.mailbox === 'ok' && !a.emailIsAlias && !a.deleted)!;
    const withheld = await emulator('/_emulator/conversations', { agentIds: [agent.id], endTime: dayBefore + DAY / 2 }, 201);
    await emulator(`/_emulator/conversations/${withheld.conversationId}/withhold`, { withheld: true }, 200);

    const config: ConnectorConfig = h.config({
      startDate: new Date(dayBefore).toISOString(),
      backfillWindow: '1d',
      lag: '1m',
      pollInterval: '2s',
      minWindow: '1s',
      lateArrivalSweep: '5m',
      sweepInterval: '1h',
      completenessCheck: '10s',
    });
    const handle = (await h.client.workflow.start('connectorWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: connectorWorkflowId(config.name),
      args: [{ config, tuning: { heartbeatTimeoutMs: 10_000 } }],
    })) as WorkflowHandle<typeof connectorWorkflow>;
    const day = utcDay(dayBefore);
    const proven = await waitForStatus(
      'the first proof of the day',
      handle,
      (s) => s.completeness?.open.some((d) => d.day === day) === true,
    );
    // LivePerson did not report the withheld conversation: by what it reports, the day is complete.
    expect(proven.completeness!.open.find((d) => d.day === day)!.status).toBe('complete');

    await emulator(`/_emulator/conversations/${withheld.conversationId}/withhold`, { withheld: false }, 200);
    const repaired = await waitForStatus('a later check to find and archive it', handle, (s) => (s.completeness?.foundLate ?? 0) >= 1);
    await handle.signal(stopSignal);
    const final = await handle.result();

    const dayCheck = repaired.completeness!.open.find((d) => d.day === day)!;
    expect(dayCheck).toMatchObject({ status: 'complete', missingTotal: 0, missing: [] });
    expect(final.completeness?.foundLate).toBe(1);
    // The proof blob keeps each check: complete, then incomplete naming the conversation, then complete again.
    const record = await h.staging.getJson<CompletenessRecord>('logs', completenessBlobName(config.name, day));
    const statuses = record.checks.map((c) => `${c.status}:${c.missing.join(',')}`);
    expect(statuses).toContain(`incomplete:${withheld.conversationId}`);
    expect(statuses[statuses.length - 1]).toBe('complete:');
    expect(record.reported).toBe(record.archived + record.failed);

    // Exactly once in the agent's mailbox; no duplicates anywhere; counts add up.
    expect(final.totals.skippedDuplicate).toBe(0);
    expect(countsAddUp(final.totals)).toBe(true);
    const items = await mailboxItems(h.graph.url, config.graph.folderName);
    const key = importKey(config.name, withheld.conversationId, String(withheld.endTime));
    expect(items.filter((i) => i.importKey === key && i.mail === agent.email)).toHaveLength(1);
    const pairs = items.map((i) => `${i.mail}|${i.importKey}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    const truth = await emulatorConversations(h.lp.url, config.schedule.startAt, Date.parse(final.cursor));
    for (const t of truth)
      for (const mail of t.expectedMailboxes)
        expect(pairs).toContain(`${mail}|${importKey(config.name, t.conversationId, String(t.endTime))}`);
  }, 240_000);
});
