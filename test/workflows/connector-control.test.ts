import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { connectorWorkflowId, countsAddUp, type ConnectorConfig } from '../../src/model';
import type { connectorWorkflow } from '../../src/workflows';
import { pauseSignal, reconfigureUpdate, resumeSignal, runNowSignal, statusQuery, stopSignal } from '../../src/workflows/messages';
import { startHarness, waitForStatus, type Harness } from '../support/connector-harness';
import { mailboxItems } from '../../scripts/lib/emulator-truth';
import { recordHistory } from '../support/record-history';

/**
 * Control of a running connector on a real dev server: pause, resume, run-now, reconfigure (validated),
 * needs-credentials and recovery, stop.
 */
describe('connector control', () => {
  let h: Harness;
  const anchor = Date.now();

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 60, days: 1, anchorTime: anchor - 5 * 60_000, maxMessages: 6 } });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  const waitFor = waitForStatus;

  async function start(config: ConnectorConfig): Promise<WorkflowHandle<typeof connectorWorkflow>> {
    return h.client.workflow.start('connectorWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: connectorWorkflowId(config.name),
      args: [{ config, tuning: { heartbeatTimeoutMs: 10_000 } }],
    }) as Promise<WorkflowHandle<typeof connectorWorkflow>>;
  }

  /** A conversation that closed a second after `cursor`, visible at once: the next window will hold it. */
  async function closeConversationAfter(cursor: string): Promise<string> {
    const res = await fetch(`${h.lp.url}/_emulator/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endTime: Date.parse(cursor) + 1000, visibleImmediately: true }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { conversationId: string }).conversationId;
  }

  it('pauses (the cursor stops), resumes, collects at once on run-now, and stops with its final log', async () => {
    const config = h.config({
      startDate: new Date(anchor - 86_400_000 - 600_000).toISOString(),
      backfillWindow: '12h',
      lag: '1m',
      pollInterval: '10m',
    });
    const handle = await start(config);
    const live = await waitFor(
      'catch-up',
      handle,
      (s) => s.state === 'live' && !s.currentWindow && Date.parse(s.cursor) >= anchor - 5 * 60_000,
    );
    expect(live.totals.fromSource).toBe(60);

    await handle.signal(pauseSignal);
    const paused = await waitFor('paused', handle, (s) => s.state === 'paused' && !s.currentWindow);
    await closeConversationAfter(paused.cursor);
    await new Promise((r) => setTimeout(r, 2500));
    await handle.signal(runNowSignal); // ignored while paused: nothing is collected
    await new Promise((r) => setTimeout(r, 1500));
    const stillPaused = await handle.query(statusQuery);
    expect(stillPaused.state).toBe('paused');
    expect(stillPaused.cursor).toBe(paused.cursor);
    expect(stillPaused.totals.fromSource).toBe(60);

    // Resume: back to live; the poll interval is 10 minutes, so only run-now collects the new conversation.
    await handle.signal(resumeSignal);
    await waitFor('live again', handle, (s) => s.state === 'live');
    await handle.signal(runNowSignal);
    const after = await waitFor('the new conversation', handle, (s) => s.totals.fromSource === 61 && !s.currentWindow, 20_000);
    expect(Date.parse(after.cursor)).toBeGreaterThan(Date.parse(paused.cursor));
    expect(countsAddUp(after.totals)).toBe(true);

    await handle.signal(stopSignal);
    const final = await handle.result();
    expect(final.state).toBe('stopped');
    expect(final.totals).toEqual(after.totals);
    recordHistory(handle, 'pause-resume-run-now-stop');
  });

  it('refuses an invalid reconfigure, and applies a valid one from the next window', async () => {
    const config = h.config({
      startDate: new Date(anchor - 3_600_000).toISOString(),
      backfillWindow: '1h',
      lag: '1m',
      pollInterval: '10m',
    });
    const handle = await start(config);
    const live = await waitFor('catch-up', handle, (s) => s.state === 'live' && !s.currentWindow);

    const renamed = { ...config, name: 'someone-else' };
    const refused = await handle.executeUpdate(reconfigureUpdate, { args: [renamed] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((refused as WorkflowUpdateFailedError).cause?.message)).toMatch(/name cannot change/);

    const moved: ConnectorConfig = { ...config, graph: { ...config.graph, folderName: 'LivePerson archive (reconfigured)' } };
    const ack = await handle.executeUpdate(reconfigureUpdate, { args: [moved] });
    expect(ack.accepted).toBe(true);

    // A conversation closing now: collectable once its end is a lag behind; run-now collects it then (the poll
    // interval is 10 minutes). One that ended before the connector looked would be a late arrival, the sweep's.
    const id = await closeConversationAfter(new Date(Date.now() - 1000).toISOString());
    await new Promise((r) => setTimeout(r, config.schedule.lagMs + 1500));
    await handle.signal(runNowSignal);
    await waitFor('the conversation after reconfigure', handle, (s) => s.totals.fromSource === live.totals.fromSource + 1, 60_000);
    const inNewFolder = await mailboxItems(h.graph.url, 'LivePerson archive (reconfigured)');
    expect(inNewFolder.some((i) => i.importKey?.includes(id))).toBe(true);
    await handle.signal(stopSignal);
    await handle.result();
    recordHistory(handle, 'reconfigure');
  });

  it('waits in needs-credentials with a message naming the setting, and recovers on reconfigure', async () => {
    const good = h.config({ startDate: new Date(anchor - 3_600_000).toISOString(), backfillWindow: '1h', lag: '1m', pollInterval: '10m' });
    const bad: ConnectorConfig = { ...good, liveperson: { ...good.liveperson, credentialsRef: 'LP_MISSING' } };
    const handle = await start(bad);
    const stuck = await waitFor('needs-credentials', handle, (s) => s.state === 'needs-credentials', 30_000);
    expect(stuck.lastError).toMatch(/LP_MISSING_CLIENT_ID/);
    expect(stuck.cursor).toBe(new Date(good.schedule.startAt).toISOString());

    await handle.executeUpdate(reconfigureUpdate, { args: [good] });
    const recovered = await waitFor('recovery', handle, (s) => s.state === 'live' && !s.currentWindow && s.totals.fromSource > 0, 30_000);
    expect(recovered.lastError).toBeUndefined();
    expect(recovered.totals.fromSource).toBeGreaterThan(0);
    await handle.signal(stopSignal);
    await handle.result();
    recordHistory(handle, 'needs-credentials-recovery');
  });
});
