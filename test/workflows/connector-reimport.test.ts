import type { WorkflowHandle } from '@temporalio/client';
import { coverEnds } from '../../src/activities/failed-windows';
import { connectorWorkflowId, countsAddUp, utcDay, type ConnectorStatus } from '../../src/model';
import type { connectorWorkflow } from '../../src/workflows';
import { reimportUpdate, retryFailedUpdate, statusQuery, stopSignal } from '../../src/workflows/messages';
import { eventually, GRAPH_CLIENT, startHarness, type Harness } from '../support/connector-harness';
import { mailboxItems } from '../../scripts/lib/emulator-truth';

describe('reimport and retry of failed items', () => {
  let h: Harness;
  let handle: WorkflowHandle<typeof connectorWorkflow>;
  let caughtUp: ConnectorStatus;
  const anchor = Date.now();
  const folder = 'LivePerson Conversational Cloud DataParser';

  const status = (): Promise<ConnectorStatus> => handle.query(statusQuery);
  const ours = async (name: string) =>
    (await mailboxItems(h.graph.url, folder)).filter((i) => i.importKey?.startsWith(`lp-archive:${name}:`));

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 40, days: 1, anchorTime: anchor - 5 * 60_000, maxMessages: 5 } });
    await h.startWorker();
    const config = h.config({
      startDate: new Date(anchor - 86_400_000 - 600_000).toISOString(),
      backfillWindow: '12h',
      lag: '1m',
      pollInterval: '10m',
    });
    handle = (await h.client.workflow.start('connectorWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: connectorWorkflowId(config.name),
      args: [{ config }],
    })) as WorkflowHandle<typeof connectorWorkflow>;
    caughtUp = await eventually('catch-up', async () => {
      const s = await status();
      return s.state === 'live' && !s.currentWindow && s.totals.fromSource === 40 ? s : undefined;
    });
  });
  afterAll(async () => {
    await handle?.signal(stopSignal).catch(() => undefined);
    await h?.close();
  });

  it('restores an item deleted from a mailbox exactly once, and logs the rest as duplicates', async () => {
    const before = await ours(caughtUp.connector);
    expect(before.length).toBe(caughtUp.totals.imported);
    const victim = before[0]!;
    await deleteMessage(victim.userId, victim.id);
    expect((await ours(caughtUp.connector)).length).toBe(before.length - 1);

    const refused = await handle
      .executeUpdate(reimportUpdate, { args: [{ from: Date.parse(caughtUp.cursor), to: Date.now() + 3_600_000 }] })
      .catch((e: Error) => e);
    expect(String((refused as Error & { cause?: Error }).cause?.message)).toMatch(/must not be after the connector's cursor/);

    const started = await handle.executeUpdate(reimportUpdate, {
      args: [{ from: anchor - 86_400_000 - 600_000, to: Date.parse(caughtUp.cursor) }],
    });
    const done = await eventually('the reimport', async () => {
      const s = await status();
      return s.reimports?.find((r) => r.id === started.reimportId && r.state === 'done');
    });
    expect(done.counts).toMatchObject({ imported: 1, skippedDuplicate: before.length - 1 });
    expect(countsAddUp(done.counts!)).toBe(true);

    const after = await ours(caughtUp.connector);
    expect(after.length).toBe(before.length);
    expect(new Set(after.map((i) => `${i.userId}|${i.importKey}`)).size).toBe(after.length);
    expect(after.some((i) => i.userId === victim.userId && i.importKey === victim.importKey)).toBe(true);
    const s = await status();
    expect(s.cursor).toBe(caughtUp.cursor); // the connector's own cursor is untouched
    expect(countsAddUp(s.totals)).toBe(true);
  });

  it("retries the day's failed items: windows cover exactly their versions, and nothing is duplicated", async () => {
    expect(caughtUp.totals.failed).toBeGreaterThan(0); // unmapped agents (no mailbox) in the seeded tenant
    const day = utcDay(Date.now());
    const r = await handle.executeUpdate(retryFailedUpdate, { args: [{ fromDay: day, toDay: day }] });
    expect(r.failedRows).toBeGreaterThanOrEqual(caughtUp.totals.failed);
    expect(r.windows).toBeGreaterThan(0);
    const done = await eventually('the retry', async () =>
      (await status()).reimports?.find((x) => x.id === r.reimportId && x.state === 'done'),
    );
    // The agents still have no mailbox: their rows fail again; everything else is already there.
    expect(done.counts!.failed).toBeGreaterThan(0);
    expect(done.counts!.imported).toBe(0);
    expect(countsAddUp(done.counts!)).toBe(true);
    const items = await ours(caughtUp.connector);
    expect(new Set(items.map((i) => `${i.userId}|${i.importKey}`)).size).toBe(items.length);
  });

  it('merges failed end times into windows no longer than the backfill window', () => {
    expect(coverEnds([10, 20, 1000, 1001, 5000], 100)).toEqual([
      { from: 10, to: 21 },
      { from: 1000, to: 1002 },
      { from: 5000, to: 5001 },
    ]);
    expect(coverEnds([], 100)).toEqual([]);
  });

  async function deleteMessage(userId: string, messageId: string): Promise<void> {
    const tokenRes = await fetch(`${h.graph.url}/${GRAPH_CLIENT.tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: GRAPH_CLIENT.id,
        client_secret: GRAPH_CLIENT.secret,
        grant_type: 'client_credentials',
        scope: `${h.graph.url}/.default`,
      }),
    });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const res = await fetch(`${h.graph.url}/v1.0/users/${userId}/messages/${messageId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(res.status).toBe(204);
  }
});
