import { ScheduleNotFoundError } from '@temporalio/client';
import type { CleanupStatus } from '../../src/cli/cleanup-status';
import { cleanupScheduleId, connectorWorkflowId } from '../../src/model';
import type { RetentionCleanupResult } from '../../src/workflows/cleanup-workflow';
import { cli, tempFiles, type CliRun } from '../cli/support';
import { testServices, uniqueId } from '../setup/services';
import { eventually, startHarness, TEST_ENV, waitForStatus, type Harness } from '../support/connector-harness';
import { activityInputs, activityResults, decodedHistoryText } from '../support/history';

const DAY = 86_400_000;

describe('retention cleanup on a Temporal Schedule per connector (dev server, emulators, Azurite, worker with a 0-day retention)', () => {
  let h: Harness;
  let run: (argv: string[]) => Promise<CliRun>;
  const name = uniqueId('ret');
  const scheduleId = cleanupScheduleId(name);
  const files = tempFiles();
  let configPath: string;
  // Blobs of others that the connector's cleanup must leave alone.
  const otherAccountItem = '999999/c-other/1577837100000.eml';
  const otherConnectorManifest = 'someone-else/20200101T000000Z-20200101T001000Z.json';
  let inProgressItem: string;

  beforeAll(async () => {
    h = await startHarness({ retentionDays: 0, lp: { conversations: 12, days: 1, anchorTime: Date.now() - 5 * 60_000, maxMessages: 4 } });
    const s = testServices();
    const flags = ['--address', s.temporalAddress, '--namespace', s.temporalNamespace, '--task-queue', h.taskQueue];
    run = (argv) => cli([...flags, ...argv], { ...TEST_ENV });
    configPath = files.file(
      'connector.yaml',
      [
        `name: ${name}`,
        'liveperson:',
        `  accountId: "${h.lp.accountId}"`,
        '  credentialsRef: LP_TEST',
        `  csdsBaseUrl: ${h.lp.url}`,
        '  serviceScheme: http',
        'graph:',
        '  credentialsRef: GRAPH_TEST',
        `  baseUrl: ${h.graph.url}/v1.0`,
        `  authorityHost: ${h.graph.url}`,
        '  trustedAuthority: true',
        'schedule:',
        `  startDate: ${new Date(Date.now() - DAY).toISOString()}`,
        '  backfillWindow: 6h',
        '  pollInterval: 2s',
      ].join('\n'),
    );
    inProgressItem = `${h.lp.accountId}/c-backfilled/${Date.UTC(2020, 0, 1, 0, 5)}.eml`;
    await h.startWorker();
  });

  afterAll(async () => {
    await h?.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
    await h?.close();
  });

  it('start creates the schedule once: a second start of the running connector, and a start after a stop, leave it as it is', async () => {
    const first = await run(['connector', 'start', configPath]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain(`Retention cleanup of "${name}": schedule ${scheduleId} created (every 1d at 03:00 UTC;`);

    const again = await run(['connector', 'start', configPath]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is already running/);
    expect(again.stdout).toBe(''); // nothing changed, nothing said

    // A connector running since before schedules existed gets its schedule from a start, refused as it is.
    await h.client.schedule.getHandle(scheduleId).delete();
    const older = await run(['connector', 'start', configPath]);
    expect(older.code).toBe(1);
    expect(older.stdout).toContain(`schedule ${scheduleId} created (every 1d at 03:00 UTC;`);

    const handle = h.client.workflow.getHandle(connectorWorkflowId(name));
    await waitForStatus('live', handle, (s) => s.state === 'live', 120_000);
    expect((await run(['connector', 'stop', name])).code).toBe(0);
    await handle.result();
    const resumed = await run(['connector', 'start', configPath]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`schedule ${scheduleId} unchanged (every 1d at 03:00 UTC;`);
    expect((await run(['connector', 'stop', name])).code).toBe(0);
    await h.client.workflow.getHandle(connectorWorkflowId(name)).result();

    const d = await h.client.schedule.getHandle(scheduleId).describe();
    expect(d.policies.overlap).toBe('SKIP');
    expect(d.action).toMatchObject({ workflowType: 'retentionCleanupWorkflow', taskQueue: h.taskQueue });
    expect(d.action.args).toEqual([{ connector: name, accountId: h.lp.accountId }]);
    const ours = await eventually('the schedule in the list', async () => {
      const ids: string[] = [];
      for await (const s of h.client.schedule.list()) if (s.scheduleId.startsWith(scheduleId)) ids.push(s.scheduleId);
      return ids.length > 0 ? ids : undefined;
    });
    expect(ours).toEqual([scheduleId]);
  }, 240_000);

  it('a run triggered now deletes the connector’s manifests, logs and items, and keeps what others or a running window need', async () => {
    await h.staging.putItemOnce(otherAccountItem, Buffer.from('another account'), { connector: 'x' });
    await h.staging.putItemOnce(inProgressItem, Buffer.from('sealed long ago, backfilled again now'), { connector: 'x' });
    await h.staging.putJson('manifests', otherConnectorManifest, { items: [] });
    // Another connector of the account is working on the window of that old conversation right now.
    await h.staging.putJson('work', 'someone-else/20200101T000000Z-20200101T001000Z/page-00001.staged.json', { items: [] });
    const manifests = await h.staging.list('manifests', `${name}/`);
    const logs = await h.staging.list('logs', `${name}/`);
    const items = await h.staging.list('items', `${h.lp.accountId}/`);
    expect(manifests.length).toBeGreaterThan(0);
    expect(logs.length).toBeGreaterThan(0);
    expect(items.length).toBeGreaterThan(1);
    await new Promise((r) => setTimeout(r, 1_100)); // Azurite's Last-Modified has whole seconds: all of it is now due

    await h.client.schedule.getHandle(scheduleId).trigger();
    const action = await eventually('the triggered run', async () =>
      (await h.client.schedule.getHandle(scheduleId).describe()).info.recentActions.at(-1),
    );
    const runHandle = h.client.workflow.getHandle(action.action.workflow.workflowId, action.action.workflow.firstExecutionRunId);
    const result = (await runHandle.result()) as RetentionCleanupResult;

    expect(result).toMatchObject({
      connector: name,
      retentionDays: 0,
      deleted: { items: items.length - 1, manifests: manifests.length, logs: logs.length },
      keptReferenced: { items: 1 },
      keptProtected: { items: 0, manifests: 0, logs: 0 },
    });
    expect(await h.staging.list('manifests', `${name}/`)).toEqual([]);
    expect(await h.staging.list('logs', `${name}/`)).toEqual([]);
    expect(await h.staging.list('items', `${h.lp.accountId}/`)).toEqual([inProgressItem]);
    expect(await h.staging.list('items', '999999/')).toEqual([otherAccountItem]);
    expect(await h.staging.list('manifests', 'someone-else/')).toEqual([otherConnectorManifest]);

    // History holds the connector's names and counts: no blob names, addresses or conversation text.
    const events = (await runHandle.fetchHistory()).events ?? [];
    expect(activityInputs(events, 'cleanupStaged')).toEqual([{ connector: name, accountId: h.lp.accountId }]);
    expect(Object.keys(activityResults<object>(events, 'cleanupStaged')[0]!).sort()).toEqual(
      ['cutoff', 'deleted', 'keptProtected', 'keptReferenced', 'retentionDays', 'scanned'].sort(),
    );
    const text = decodedHistoryText(events);
    for (const conversation of items.map((n) => n.split('/')[1]!)) expect(text).not.toContain(conversation);
    expect(text).not.toContain('.eml');
  }, 120_000);

  it('connector status shows when the cleanup ran, what it removed, and when it runs next', async () => {
    const text = await run(['connector', 'status', name]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`Cleanup\\s+every 1d at 03:00 UTC, next \\S+Z\\s+\\[schedule ${scheduleId}\\]`));
    expect(text.stdout).toMatch(/Last cleanup\s+\S+Z: completed, retention 0 d/);
    expect(text.stdout).toMatch(/deleted\s+\d+ items, \d+ manifests, \d+ logs/);
    expect(text.stdout).toMatch(/kept\s+0 items, 0 manifests, 0 logs under a legal hold or immutability policy; 1 items still referenced/);

    const json = JSON.parse((await run(['-o', 'json', 'connector', 'status', name])).stdout);
    expect(json.connector).toBe(name);
    expect(json.cleanup).toMatchObject({ scheduleId, scheduled: true, timing: 'every 1d at 03:00 UTC', paused: false });
    expect(Date.parse(json.cleanup.nextRunAt)).toBeGreaterThan(Date.now());
    expect(json.cleanup.lastRun).toMatchObject({ status: 'completed', result: { connector: name, keptReferenced: { items: 1 } } });
    expect(json.cleanup.lastRun.result.deleted.manifests).toBeGreaterThan(0);
  }, 60_000);

  it('schedule-cleanup changes when it runs; delete removes the schedule and keeps every archived blob', async () => {
    const changed = await run(['connector', 'schedule-cleanup', name, '--every', '12h', '--at', '01:15']);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain(`schedule ${scheduleId} updated (every 12h at 01:15 UTC;`);
    expect((await h.client.schedule.getHandle(scheduleId).describe()).spec.intervals).toEqual([
      { every: 12 * 3_600_000, offset: 75 * 60_000 },
    ]);

    // The schedule outlives its runs' histories (namespace retention): status says the last run can no longer be read.
    const last = (await h.client.schedule.getHandle(scheduleId).describe()).info.recentActions.at(-1)!.action.workflow;
    await h.client.workflowService.deleteWorkflowExecution({
      namespace: testServices().temporalNamespace,
      workflowExecution: { workflowId: last.workflowId, runId: last.firstExecutionRunId },
    });
    const expired = await eventually('the last run to be gone', async () => {
      const { cleanup } = JSON.parse((await run(['-o', 'json', 'connector', 'status', name])).stdout) as { cleanup: CleanupStatus };
      return cleanup.lastRun?.status === 'expired' ? cleanup : undefined;
    });
    expect(expired).toMatchObject({ scheduled: true, lastRun: { error: expect.stringMatching(/past the namespace retention/) } });

    // A start keeps the timing an operator chose.
    const resumed = await run(['connector', 'start', configPath]);
    expect(resumed.stdout).toContain(`schedule ${scheduleId} unchanged (every 12h at 01:15 UTC;`);

    const before = (await h.staging.list('items', '')).length;
    const deleted = await run(['connector', 'delete', name]);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain(
      `Deleted connector "${name}": stop sent (it completes after its current window); retention cleanup schedule ${scheduleId} deleted.`,
    );
    await h.client.workflow.getHandle(connectorWorkflowId(name)).result();
    expect(deleted.stdout).toContain('No archived data was deleted');
    await expect(h.client.schedule.getHandle(scheduleId).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await h.staging.list('items', '')).length).toBe(before);

    const status = await run(['connector', 'status', name]);
    expect(status.stdout).toMatch(
      new RegExp(`Cleanup\\s+not scheduled: nothing is ever deleted. Create its schedule with "connector schedule-cleanup ${name}"`),
    );
    const twice = await run(['-o', 'json', 'connector', 'delete', name]);
    expect(JSON.parse(twice.stdout)).toEqual({
      connector: name,
      stop: 'not-running',
      scheduleId,
      scheduleDeleted: false,
      archivedDataDeleted: false,
    });

    // As for a connector started before schedules existed: the account comes from the connector's own history.
    const recreated = await run(['connector', 'schedule-cleanup', name]);
    expect(recreated.stderr).toBe('');
    expect(recreated.stdout).toContain(`schedule ${scheduleId} created (every 1d at 03:00 UTC;`);
    expect((await h.client.schedule.getHandle(scheduleId).describe()).action.args).toEqual([
      { connector: name, accountId: h.lp.accountId },
    ]);
  }, 120_000);
});
