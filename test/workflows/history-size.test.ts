import type { TemporalDevServer } from '../../scripts/lib/temporal-server';
import { connectorWorkflowId, type ConnectorStatus } from '../../src/model';
import { statusQuery, stopSignal } from '../../src/workflows/messages';
import { eventually, startHarness } from '../support/connector-harness';
import { historiesOfAllRuns } from '../support/history';
import { startExtraTemporalServer } from '../setup/services';

const DAY = 86_400_000;

/** History stays bounded: a long backfill and then live mode never make a run's history large. */
describe('history size of a connector', () => {
  it('keeps each run under 10,000 events over a 60-day backfill followed by live mode', async () => {
    const anchor = Date.now();
    const h = await startHarness({ lp: { conversations: 600, days: 60, anchorTime: anchor - 5 * 60_000, maxMessages: 3 } });
    try {
      const config = h.config({
        startDate: new Date(anchor - 60 * DAY - 3_600_000).toISOString(),
        backfillWindow: '1d',
        lag: '1m',
        pollInterval: '1s',
      });
      const workflowId = connectorWorkflowId(config.name);
      const worker = await h.newWorker();
      const { firstRunId, final } = await worker.runUntil(async () => {
        const handle = await h.client.workflow.start('connectorWorkflow', { taskQueue: h.taskQueue, workflowId, args: [{ config }] });
        await eventually(
          'the 60-day backfill',
          async () => {
            const s: ConnectorStatus = await h.client.workflow.getHandle(workflowId).query(statusQuery);
            // Live, conversations that closed after the backfill's last window are counted when the follow returns
            // (the stop below makes it return): the status may show a few less until then.
            return s.state === 'live' && !s.currentWindow && s.totals.fromSource >= 590 ? s : undefined;
          },
          240_000,
          500,
        );
        await new Promise((r) => setTimeout(r, 5000)); // a few live polls
        await h.client.workflow.getHandle(workflowId).signal(stopSignal);
        return {
          firstRunId: handle.firstExecutionRunId,
          final: (await h.client.workflow.getHandle(workflowId).result()) as ConnectorStatus,
        };
      });
      expect(final.totals.fromSource).toBe(600);
      expect(final.windowsDone).toBeGreaterThanOrEqual(60);
      const runs = await historiesOfAllRuns(h.client, workflowId, firstRunId);
      for (const run of runs) expect(run.events.length).toBeLessThan(10_000);
    } finally {
      await h.close();
    }
  }, 300_000); // the backfill may take its 240 s on a busy 2-core machine

  describe('in live mode', () => {
    let server: TemporalDevServer;
    beforeAll(async () => {
      server = await startExtraTemporalServer({ suggestContinueAsNewAfterEvents: 100 });
    });
    afterAll(async () => server?.stop());

    it('continues as new when the server suggests it, even while idle, carrying cursor and counts', async () => {
      const anchor = Date.now();
      const h = await startHarness({
        temporalAddress: server.address,
        lp: { conversations: 30, days: 1, anchorTime: anchor - 5 * 60_000, maxMessages: 3 },
      });
      try {
        const config = h.config({
          startDate: new Date(anchor - DAY - 600_000).toISOString(),
          backfillWindow: '1d',
          lag: '1m',
          pollInterval: '100ms',
          // Idle, the connector waits in its live watch (a few events per wait, not per poll): short waits and
          // sweeps make its history grow enough for the server's suggestion within the test.
          sweepInterval: '10s',
        });
        const workflowId = connectorWorkflowId(config.name);
        const worker = await h.newWorker();
        const { firstRunId, seen } = await worker.runUntil(async () => {
          const handle = await h.client.workflow.start('connectorWorkflow', { taskQueue: h.taskQueue, workflowId, args: [{ config }] });
          const live = await eventually('live', async () => {
            const s: ConnectorStatus = await h.client.workflow.getHandle(workflowId).query(statusQuery);
            return s.state === 'live' && s.totals.fromSource === 30 ? s : undefined;
          });
          // Waiting alone (watches and sweeps, no windows) must hand over to a new run before history grows.
          const later = await eventually(
            'a continue-as-new while live',
            async () => {
              const s: ConnectorStatus = await h.client.workflow.getHandle(workflowId).query(statusQuery);
              return s.runsSoFar >= live.runsSoFar + 1 ? s : undefined;
            },
            150_000,
          );
          await h.client.workflow.getHandle(workflowId).signal(stopSignal);
          await h.client.workflow.getHandle(workflowId).result();
          return { firstRunId: handle.firstExecutionRunId, seen: { live, later } };
        });
        expect(seen.later.totals).toEqual(seen.live.totals);
        expect(Date.parse(seen.later.cursor)).toBeGreaterThanOrEqual(Date.parse(seen.live.cursor));
        const runs = await historiesOfAllRuns(h.client, workflowId, firstRunId);
        expect(runs.length).toBeGreaterThanOrEqual(2);
        for (const run of runs) expect(run.events.length).toBeLessThan(400);
      } finally {
        await h.close();
      }
    }, 240_000);
  });
});
