import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { generateTenant } from '../../emulators/shared/tenant';
import { planDryRun, type DryRunItem } from '../../src/cli/dry-run-plan';
import { connectorWorkflowId, type ConnectorStatus } from '../../src/model';
import { statusQuery, stopSignal } from '../../src/workflows/messages';
import { startHarness, TEST_ENV, waitForStatus, type Harness } from '../support/connector-harness';

const DAY = 86_400_000;
const CATCH_ALL = 'rosa.costa.staff2@contoso.example';

/** A row of the connector log, reduced to what dry-run and a run must agree on. */
function rowKey(r: { result: string; sourceUser: string; m365User: string }): string {
  const result = r.result === 'partial' ? 'imported' : r.result; // dry-run fetches no files, so cannot know of a partial
  return `${result} ${r.sourceUser} → ${r.m365User}`;
}

/** What dry-run says it would log for each conversation version (`id@version` → sorted rows). */
function dryRunRows(items: readonly DryRunItem[]): Map<string, string[]> {
  return new Map(items.map((it) => [`${it.conversationId}@${it.version ?? '-'}`, it.rows.map(rowKey).sort()]));
}

/**
 * Dry-run and a run share the pipeline's rules (src/pipeline): over the same conversations they must plan the
 * same (conversation, mailbox) pairs and the same failed and external rows — with external consumers,
 * participants that share a mailbox, a mapping CSV with a case-variant address, and a catch-all mailbox.
 */
describe('dry-run agrees with a real run, pair by pair', () => {
  let h: Harness;
  const anchor = Date.now();

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 80, days: 1, anchorTime: anchor - 10 * 60_000, maxMessages: 6 } });
  });
  afterAll(async () => h?.close());

  it('plans exactly the rows the run writes to the connector log', async () => {
    const tenant = generateTenant(42);
    const [first, second] = tenant.agents.filter((a) => a.mailbox === 'ok');
    const outside = tenant.agents.find((a) => a.mailbox === 'not-in-directory');
    // Two agents into one mailbox (one of them by an upper-case address), and an agent outside the directory mapped in.
    const dir = mkdtempSync(join(tmpdir(), 'lpa-dry-'));
    const csvPath = join(dir, 'mapping.csv');
    writeFileSync(
      csvPath,
      [
        'lpUser,m365User',
        `${second!.id},${first!.email}`,
        `${first!.email.toUpperCase()},${first!.email}`,
        `${outside!.id},${first!.email}`,
      ].join('\n'),
    );
    const startAt = anchor - DAY - 30 * 60_000;
    const config = h.config(
      { startDate: new Date(startAt).toISOString(), backfillWindow: '6h', pollInterval: '2s' },
      {
        graph: {
          credentialsRef: 'GRAPH_TEST',
          baseUrl: `${h.graph.url}/v1.0`,
          authorityHost: h.graph.url,
          trustedAuthority: true,
          catchAllMailbox: CATCH_ALL,
          mappingCsvPath: csvPath,
        },
      },
    );

    await h.startWorker();
    const handle = await h.client.workflow.start('connectorWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: connectorWorkflowId(config.name),
      args: [{ config }],
    });
    await waitForStatus(
      'the connector to catch up',
      handle,
      (s) => s.state === 'live' && Date.parse(s.cursor) >= anchor - 10 * 60_000,
      120_000,
    );
    await handle.signal(stopSignal);
    const final = (await handle.result()) as ConnectorStatus;
    const cursor = Date.parse(final.cursor);

    // The run's log: every part of every day of this connector (not the days' completeness proofs beside them).
    const run = new Map<string, string[]>();
    for (const name of await h.staging.list('logs', `${config.name}/`)) {
      if (!name.endsWith('.csv')) continue;
      const rows = parse<Record<string, string>>(await h.staging.getText('logs', name), { columns: true, skip_empty_lines: true });
      for (const r of rows) {
        const key = `${r.itemId}@${r.version}`;
        run.set(key, [...(run.get(key) ?? []), rowKey(r as { result: string; sourceUser: string; m365User: string })]);
      }
    }
    for (const rows of run.values()) rows.sort();

    // Dry-run over exactly the windows the run archived: [startAt, cursor).
    const dry = await planDryRun(config, TEST_ENV, { limit: 100, sinceMs: cursor - startAt, now: cursor + config.schedule.lagMs });
    expect(dry.items.length).toBe(final.totals.fromSource);
    expect(dryRunRows(dry.items)).toEqual(run);

    // The scenario holds what it is meant to test.
    const all = dry.items.flatMap((it) => it.rows);
    expect(all.some((r) => r.result === 'external')).toBe(true);
    expect(dry.items.some((it) => it.targets.some((t) => t.via === 'catch-all'))).toBe(true);
    expect(dry.items.some((it) => it.targets.some((t) => t.via === 'csv'))).toBe(true);
    expect(all.some((r) => r.result === 'failed')).toBe(true);
    const status = await handle.query(statusQuery);
    expect(status.totals.forImport).toBe(all.filter((r) => r.result !== 'external').length);
  });
});
