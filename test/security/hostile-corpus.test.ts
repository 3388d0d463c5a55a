import { simpleParser } from 'mailparser';
import type { temporal } from '@temporalio/proto';
import { readDayLog, type LogRow } from '../../src/cli/day-log';
import { parseArchiveItem } from '../../src/convert/parse-item';
import { connectorWorkflowId, countsAddUp, safeSegment, type ConnectorStatus } from '../../src/model';
import { statusQuery, stopSignal } from '../../src/workflows/messages';
import { generateTenant } from '../../emulators/shared/tenant';
import { eventually, startHarness, type Harness } from '../support/connector-harness';
import { emulatorConversations, mailboxItems } from '../../scripts/lib/emulator-truth';
import { historiesOfAllRuns } from '../support/history';
import { injectRecords, loadHostileCorpus, type HostileCase } from '../support/hostile-corpus';

const HOUR = 3_600_000;
const TEN_MINUTES = 600_000;

/** Headers an archive item may have; anything else (Bcc, X-Injected, a second Content-Type…) was injected. */
const ALLOWED_HEADERS = new Set([
  'date',
  'from',
  'to',
  'cc',
  'message-id',
  'subject',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

/** What the blob log and history do to text: UTF-8 has no lone surrogates, they come back as U+FFFD. */
const wellFormed = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/** Raw markup that must never reach the HTML body unescaped. */
const ACTIVE_MARKUP = [
  /<script/i,
  /<iframe/i,
  /<svg/i,
  /<img[^>]*onerror/i,
  /<[a-z][^>]*\son[a-z]+\s*=/i,
  /<style/i,
  /href\s*=\s*["']?\s*javascript:/i,
];

describe('hostile-input corpus through the whole pipeline (fetch → convert → stage → resolve → import)', () => {
  let h: Harness;
  const anchor = Date.now();
  // Window boundaries fall on startAt + k·6h; the corpus sits well inside one window.
  const startAt = Math.floor((anchor - 25 * HOUR) / TEN_MINUTES) * TEN_MINUTES;
  const corpusFrom = startAt + 19 * HOUR;
  let cases: HostileCase[];

  beforeAll(async () => {
    h = await startHarness({ lp: { conversations: 16, days: 1, anchorTime: anchor - 20 * 60_000, maxMessages: 6 } });
    const agent = generateTenant(42).agents.find((a) => a.userType === '1' && a.mailbox === 'ok' && !a.emailIsAlias && !a.deleted);
    if (!agent) throw new Error('the seeded tenant has no plain agent with a mailbox');
    cases = loadHostileCorpus({ accountId: h.lp.accountId, agent, endTimeOf: (n) => corpusFrom + n * 2 * 60_000 });
    await injectRecords(h.lp.url, cases);
  });
  afterAll(async () => h?.close());

  it('archives every hostile record correctly or logs it as failed with a reason; the connector keeps going and counts add up', async () => {
    const config = h.config({
      startDate: new Date(startAt).toISOString(),
      backfillWindow: '6h',
      lag: '1m',
      pollInterval: '2s',
      minWindow: '1m',
    });
    const workflowId = connectorWorkflowId(config.name);
    const worker = await h.newWorker();
    const run = await worker.runUntil(async () => {
      const handle = await h.client.workflow.start('connectorWorkflow', { taskQueue: h.taskQueue, workflowId, args: [{ config }] });
      let last: ConnectorStatus | undefined;
      const live = await eventually(
        'the connector to go through the corpus and reach live',
        async () => {
          const s: ConnectorStatus = await handle.query(statusQuery);
          last = s;
          return s.state === 'live' && Date.parse(s.cursor) >= anchor - 10 * 60_000 ? s : undefined;
        },
        100_000,
        500,
      ).catch((err: Error) => {
        throw new Error(`${err.message}; last status: ${JSON.stringify(last)?.slice(0, 2000)}`);
      });
      const description = await handle.describe();
      await handle.signal(stopSignal);
      const result = (await handle.result()) as ConnectorStatus;
      return { live, runningBeforeStop: description.status.name, result, firstRunId: handle.firstExecutionRunId };
    });

    // The workflow was still running and live when stopped; no activity needed a second attempt (no crash loop).
    expect(run.runningBeforeStop).toBe('RUNNING');
    expect(run.live.state).toBe('live');
    const events = (await historiesOfAllRuns(h.client, workflowId, run.firstRunId)).flatMap((r) => r.events);
    const retried = events.filter((e: temporal.api.history.v1.IHistoryEvent) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1);
    expect(retried.map((e) => e.activityTaskStartedEventAttributes?.lastFailure?.message)).toEqual([]);

    // The log (blob parts, container logs): every row of every day the connector wrote.
    const dayNames = await h.staging.list('logs', `${safeSegment(config.name)}/`);
    const days = [...new Set(dayNames.map((n) => n.split('/')[1] ?? ''))].filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
    const rows: LogRow[] = [];
    for (const day of days) rows.push(...(await readDayLog(h.staging, config.name, day)).rows);
    const rowsOf = (id: string): LogRow[] => rows.filter((r) => r.itemId === wellFormed(id));

    // Each hostile record: imported (or partial / duplicate) or failed with a reason, as its fixture expects.
    const problems: string[] = [];
    const byId = new Map<string, HostileCase[]>();
    for (const c of cases) byId.set(c.logId, [...(byId.get(c.logId) ?? []), c]);
    for (const [id, group] of byId) {
      const found = rowsOf(id);
      const label = `${group[0]!.file} (${group.map((c) => c.note).join(' / ')})`;
      if (found.length < group.length) problems.push(`${label}: ${group.length} record(s) but ${found.length} log row(s)`);
      for (const r of found) if (r.result === 'failed' && r.reason.trim().length < 10) problems.push(`${label}: failed without a reason`);
      const landed = found.filter((r) => r.result === 'imported' || r.result === 'partial');
      if (group.some((c) => c.expect === 'imported') && landed.length === 0) {
        problems.push(`${label}: expected an archived item, log says ${found.map((r) => `${r.result}: ${r.reason}`).join(' | ')}`);
      }
      if (group.every((c) => c.expect === 'failed') && found.some((r) => r.result !== 'failed')) {
        problems.push(`${label}: expected failed, log says ${found.map((r) => r.result).join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
    // Records without a usable id are failed rows of their own, one each.
    const anonymous = cases.filter((c) => c.logId === 'unknown-conversation').length;
    expect(rowsOf('unknown-conversation').filter((r) => r.result === 'failed')).toHaveLength(anonymous);

    // Every sealed item parses, has no injected header, no raw markup in its HTML, safe attachment names,
    // and a blob name that stays inside the container.
    const itemNames = await h.staging.list('items', '');
    expect(itemNames.length).toBeGreaterThan(0);
    for (const name of itemNames) {
      expect(name.split('/').every((seg) => seg !== '..' && seg !== '.' && seg.length > 0)).toBe(true);
      expect(name).not.toMatch(/[\\\r\n\0]/);
      const { bytes } = await h.staging.readItem(name);
      const view = await parseArchiveItem(bytes);
      const parsed = await simpleParser(bytes, { skipHtmlToText: true, skipTextToHtml: true });
      const unexpected = [...parsed.headers.keys()].filter((k) => !ALLOWED_HEADERS.has(k) && !k.startsWith('x-lp-'));
      expect({ name, unexpected }).toEqual({ name, unexpected: [] });
      expect(view.subject).not.toMatch(/[\r\n]/);
      for (const pattern of ACTIVE_MARKUP) expect({ name, match: pattern.exec(view.html)?.[0] }).toEqual({ name, match: undefined });
      for (const a of view.attachments) {
        expect(a.filename).not.toMatch(/[/\\\r\n\0"]|^\./);
        expect(a.filename.length).toBeGreaterThan(0);
      }
    }

    // Normal conversations around the corpus are archived as usual.
    const cursor = Date.parse(run.result.cursor);
    const normal = await emulatorConversations(h.lp.url, startAt, cursor);
    expect(normal.length).toBeGreaterThan(5);
    for (const c of normal) {
      const found = rowsOf(c.conversationId);
      expect({ id: c.conversationId, logged: found.length > 0 }).toEqual({ id: c.conversationId, logged: true });
      if (c.expectedMailboxes.length > 0) {
        expect({
          id: c.conversationId,
          results: found.map((r) => r.result).filter((r) => r === 'imported' || r === 'partial').length > 0,
        }).toEqual({
          id: c.conversationId,
          results: true,
        });
      }
    }

    // Counts add up: everything collected is accounted for, and the log's rows are the counted outcomes.
    const t = run.result.totals;
    expect(countsAddUp(t)).toBe(true);
    expect(t.fromSource).toBe(normal.length + cases.length);
    expect(rows.filter((r) => r.result !== 'external')).toHaveLength(t.forImport);
    expect(rows.filter((r) => r.result === 'failed')).toHaveLength(t.failed);

    // Mailbox items carry clean subjects.
    const items = await mailboxItems(h.graph.url, config.graph.folderName);
    expect(items.length).toBeGreaterThan(0);
    for (const i of items) expect(i.subject).not.toMatch(/[\r\n]/);
  });
});
