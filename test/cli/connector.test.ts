import { parse } from 'csv-parse/sync';
import { startLivePersonEmulator } from '../../emulators/liveperson';
import { generateTenant } from '../../emulators/shared/tenant';
import { testServices, uniqueId } from '../setup/services';
import { eventually, startHarness, TEST_ENV, type Harness } from '../support/connector-harness';
import { cli, tempFiles, type CliRun } from './support';

/** OAuth 1.0 API keys the emulator accepts beside its OAuth 2.0 clients. */
const OAUTH1_KEYS = { consumerKey: 'ck-test', consumerSecret: 'cs-test', accessToken: 'at-test', accessTokenSecret: 'ats-test' };

const DAY = 86_400_000;

describe('connector commands against a running connector (dev server, emulators, Azurite, worker)', () => {
  let h: Harness;
  let temporalFlags: string[];
  let env: Record<string, string>;
  const name = uniqueId('cli');
  const files = tempFiles();
  let configPath: string;

  const yaml = (extra: string[] = []) =>
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
      ...extra,
      'schedule:',
      `  startDate: ${new Date(Date.now() - DAY).toISOString()}`,
      '  backfillWindow: 6h',
      '  lag: 1m',
      '  pollInterval: 2s',
    ].join('\n');

  const run = (argv: string[]): Promise<CliRun> => cli([...temporalFlags, ...argv], env);

  beforeAll(async () => {
    h = await startHarness({
      lp: { conversations: 60, days: 1, anchorTime: Date.now() - 5 * 60_000, maxMessages: 6, oauth1: OAUTH1_KEYS },
    });
    const s = testServices();
    temporalFlags = ['--address', s.temporalAddress, '--namespace', s.temporalNamespace, '--task-queue', h.taskQueue];
    env = {
      ...TEST_ENV,
      AZURE_STORAGE_CONNECTION_STRING: s.azuriteConnectionString,
      LPA_CONTAINER_PREFIX: h.staging.containers.raw.replace(/raw$/, ''),
    };
    configPath = files.file('connector.yaml', yaml());
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('starts a connector from its config file, watches the backfill to live, lists it and prints its status', async () => {
    const start = await run(['connector', 'start', configPath]);
    expect(start.stderr).toBe('');
    expect(start.code).toBe(0);
    expect(start.stdout).toContain(`Started connector "${name}" as workflow lp-archive-connector-${name} on task queue ${h.taskQueue}`);

    const again = await run(['connector', 'start', configPath]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is already running .*connector reconfigure/);

    // Not a terminal: plain progress lines, then a summary once caught up.
    const watch = await run(['connector', 'status', name, '--watch', '--interval', '0.5']);
    expect(watch.code).toBe(0);
    expect(watch.stdout).toMatch(/cursor \S+\s+\d+\.\d%\s+ETA \S+/);
    expect(watch.stdout).toMatch(new RegExp(`Connector "${name}" is caught up \\(cursor .*\\): \\d+ imported`));

    const status = await run(['connector', 'status', name]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`Connector\\s+${name}`));
    expect(status.stdout).toMatch(/State\s+live/);
    const json = await run(['-o', 'json', 'connector', 'status', name]);
    const s = JSON.parse(json.stdout);
    expect(s.connector).toBe(name);
    // The lag is as of the query, not frozen at the workflow's last task: now − cursor at asOf.
    expect(s.lagSeconds).toBe(Math.max(0, Math.round((Date.parse(s.asOf) - Date.parse(s.cursor)) / 1000)));
    await new Promise((r) => setTimeout(r, 2_100));
    const later = JSON.parse((await run(['-o', 'json', 'connector', 'status', name])).stdout);
    if (later.cursor === s.cursor) expect(later.lagSeconds).toBeGreaterThanOrEqual(s.lagSeconds + 2);
    expect(s.totals.fromSource).toBeGreaterThan(20);
    expect(s.totals.forImport).toBe(s.totals.imported + s.totals.partial + s.totals.skippedDuplicate + s.totals.failed);

    const listed = await eventually(
      'the connector to show in visibility with its state',
      async () => {
        const r = await run(['connector', 'list', '-o', 'json']);
        const rows = JSON.parse(r.stdout) as { name: string; status: string; state?: string; cursor?: string }[];
        const row = rows.find((x) => x.name === name);
        return row?.state === 'live' ? row : undefined;
      },
      20_000,
    );
    expect(listed).toMatchObject({ status: 'RUNNING', workflowId: `lp-archive-connector-${name}` });
    expect(Date.parse(listed.cursor!)).toBeGreaterThan(Date.now() - DAY);
    // The per-item log names Microsoft 365 users by UPN and object id, and each participant once.
    const csv = await run(['log', name, '-o', 'csv']);
    expect(csv.code).toBe(0);
    const logRows = parse<Record<string, string>>(csv.stdout, { columns: true });
    const delivered = logRows.filter((r) => r.result === 'imported' || r.result === 'partial');
    expect(delivered.length).toBeGreaterThan(0);
    for (const r of delivered) {
      expect(r.m365Upn).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
      expect(r.m365User).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    for (const r of logRows) expect(r.reason).not.toMatch(/(\([^()]*@[^()]*\)) \1/);

    // Times back from now and day names, so the README's commands run as written.
    const reimport = await run(['connector', 'reimport', name, '--from', '3h', '--to', '2h']);
    expect(reimport.stderr).toBe('');
    expect(reimport.stdout).toMatch(/^Started reimport \S+ \(1 window\(s\)\)/);
    const retry = await run(['-o', 'json', 'connector', 'retry-failed', name, '--from-day', 'today']);
    expect(retry.code).toBe(0);
    expect(JSON.parse(retry.stdout)).toMatchObject({ connector: name, windows: expect.any(Number) });

    const table = await run(['connector', 'list']);
    expect(table.stdout).toMatch(/^NAME\s+STATUS\s+STATE\s+CURSOR\s+STARTED/);
    expect(table.stdout).toMatch(new RegExp(`^${name}\\s+RUNNING\\s+live\\s+\\S+Z\\s+\\S+Z$`, 'm'));
    const local = await cli([...temporalFlags, '--time-format', 'local', 'connector', 'list'], { ...env, TZ: 'Asia/Kolkata' });
    const localTime = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} \\+05:30';
    expect(local.stdout).toMatch(new RegExp(`^${name}\\s+RUNNING\\s+live\\s+${localTime}\\s+${localTime}$`, 'm'));
  });

  it('pauses, resumes, runs now, reconfigures and stops it; a stopped connector still shows its log', async () => {
    const state = async () => (JSON.parse((await run(['-o', 'json', 'connector', 'status', name])).stdout) as { state: string }).state;

    // Live and idle between polls: a pause takes effect at once.
    const resumeLive = await run(['connector', 'resume', name]);
    expect(resumeLive.code).toBe(0);
    // Idle: nothing to do; in a window: sent, to cancel a pause that may be pending.
    expect([
      `Did not send resume. Connector "${name}" is not paused (live); nothing changes.\n`,
      `Sent resume. Connector "${name}" is running (live), not paused; a pause asked for during its current window is cancelled.\n`,
    ]).toContain(resumeLive.stdout);
    const pause = await run(['connector', 'pause', name]);
    expect(pause.code).toBe(0);
    expect(pause.stdout).toMatch(new RegExp(`^Sent pause\\. Connector "${name}" (pauses now|will pause once its current window is done)`));
    await eventually('paused', async () => ((await state()) === 'paused' ? true : undefined), 20_000);
    // Watching a paused connector ends at once: nothing moves until an operator resumes it.
    const watchPaused = await run(['connector', 'status', name, '--watch', '--interval', '0.5']);
    expect(watchPaused.code).toBe(0);
    expect(watchPaused.stdout).toMatch(
      new RegExp(`Connector "${name}" is paused at cursor \\S+: .*"connector resume ${name}" carries on\\.\\n$`),
    );
    const again = await run(['connector', 'pause', name]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      new RegExp(`^Did not send pause\\. Connector "${name}" is already paused \\(cursor \\S+Z\\); nothing changes\\.`),
    );
    // run-now on a paused connector would do nothing: said, not sent, exit 1, with the fix.
    const runNowPaused = await run(['-o', 'json', 'connector', 'run-now', name]);
    expect(runNowPaused.code).toBe(1);
    expect(JSON.parse(runNowPaused.stdout)).toMatchObject({
      ok: false,
      verb: 'run-now',
      state: 'paused',
      sent: false,
      effect: expect.stringMatching(/is paused, so run-now would collect nothing\. Resume it: "connector resume /),
    });
    const resume = await run(['connector', 'resume', name]);
    expect(resume.stdout).toMatch(/^Sent resume\. Connector .* resumes from its cursor/);
    await eventually('live again', async () => ((await state()) === 'live' ? true : undefined), 20_000);
    expect((await run(['connector', 'run-now', name])).code).toBe(0);

    const changed = files.file('changed.yaml', yaml([`  catchAllMailbox: archive@${generateTenant(42).domain}`]));
    const reconf = await run(['connector', 'reconfigure', changed]);
    expect(reconf.code).toBe(0);
    expect(reconf.stdout).toContain(`Connector "${name}" accepted the new configuration`);

    expect((await run(['connector', 'stop', name])).code).toBe(0);
    const stopped = await eventually(
      'stopped',
      async () => {
        const r = await run(['connector', 'status', name]);
        return /State\s+stopped/.test(r.stdout) ? r : undefined;
      },
      20_000,
    );
    expect(stopped.code).toBe(0);

    // A stopped connector completes once its reimports are done (one was started above).
    await eventually(
      'the workflow to complete',
      async () => {
        const rows = JSON.parse((await run(['-o', 'json', 'connector', 'list'])).stdout) as { name: string; status: string }[];
        return rows.find((x) => x.name === name)?.status === 'COMPLETED' ? true : undefined;
      },
      60_000,
    );
    const signalStopped = await run(['connector', 'pause', name]);
    expect(signalStopped.code).toBe(1);
    expect(signalStopped.stderr).toMatch(/is not running \(its workflow is COMPLETED\)\. Start it again/);
  });

  it('fails with exit 1 and names the fix for a connector that does not exist, as JSON under -o json', async () => {
    for (const argv of [
      ['connector', 'status', 'no-such-connector'],
      ['connector', 'status', 'no-such-connector', '--watch'],
      ['connector', 'pause', 'no-such-connector'],
      ['connector', 'resume', 'no-such-connector'],
      ['connector', 'stop', 'no-such-connector'],
      ['connector', 'run-now', 'no-such-connector'],
      ['log', 'no-such-connector'],
    ]) {
      const r = await run(argv);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/No connector named "no-such-connector" .*connector list/);
      const j = await run(['-o', 'json', ...argv]);
      expect(j.code).toBe(1);
      expect(j.stderr).toBe('');
      expect(JSON.parse(j.stdout)).toEqual({
        ok: false,
        error: { code: 'connector-not-found', message: expect.stringMatching(/No connector named "no-such-connector"/) },
      });
    }
    const other = files.file('other.yaml', yaml().replace(`name: ${name}`, 'name: not-running-here'));
    const r = await run(['connector', 'reconfigure', other]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No connector named "not-running-here"/);
  });

  it('check: every preflight step OK against the emulators; wrong secrets FAIL with the fix and exit 1', async () => {
    const agent = generateTenant(42).agents.find((a) => a.mailbox === 'ok' && !a.emailIsAlias && !a.deleted)!;
    const ok = await run(['check', configPath, '--mailbox', agent.email]);
    expect(ok.stdout).not.toMatch(/^FAIL/m);
    expect(ok.code).toBe(0);
    for (const step of [
      'credentials',
      'domain lookup \\(CSDS\\)',
      'OAuth 2.0 token',
      'conversation search',
      'Users API',
      'file download',
      'token',
      'directory search',
      'mailbox',
      'Inbox',
      'import folder',
      'container logs',
      'search attributes',
      'worker',
    ]) {
      expect(ok.stdout).toMatch(new RegExp(`^OK\\s+\\S+\\s+${step}:`, 'm'));
    }

    const bad = await cli([...temporalFlags, 'check', configPath], {
      ...env,
      LP_TEST_CLIENT_SECRET: 'wrong',
      GRAPH_TEST_CLIENT_SECRET: 'wrong',
      AZURE_STORAGE_CONNECTION_STRING: '',
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL\s+liveperson\s+OAuth 2.0 token: .*\n\s+fix: /m);
    expect(bad.stdout).toMatch(/^SKIP\s+liveperson\s+conversation search/m);
    expect(bad.stdout).toMatch(/^FAIL\s+graph\s+token: .*\n\s+fix: .*(secret|tenant)/m);
    expect(bad.stdout).toMatch(/^FAIL\s+storage\s+account: .*AZURE_STORAGE_CONNECTION_STRING/m);
    expect(bad.stdout).toMatch(/^SKIP\s+graph\s+mailbox: no token/m);
  });

  it('check: downloads a hosted file, samples a mailbox when none is given, and warns that OAuth 1.0 keys cannot fetch files', async () => {
    const sampled = await run(['check', configPath]);
    expect(sampled.code).toBe(0);
    expect(sampled.stdout).toMatch(/^OK\s+liveperson\s+file download: downloaded a file of conversation \S+ \(\d+ bytes\)/m);
    expect(sampled.stdout).toMatch(
      /^OK\s+graph\s+mailbox: \S+@\S+ is user \S+ \(a LivePerson agent sampled: pass --mailbox to choose one\)/m,
    );
    expect(sampled.stdout).toMatch(/^OK\s+graph\s+Inbox:/m);

    const keys = {
      LP_TEST_CONSUMER_KEY: OAUTH1_KEYS.consumerKey,
      LP_TEST_CONSUMER_SECRET: OAUTH1_KEYS.consumerSecret,
      LP_TEST_ACCESS_TOKEN: OAUTH1_KEYS.accessToken,
      LP_TEST_ACCESS_TOKEN_SECRET: OAUTH1_KEYS.accessTokenSecret,
    };
    const oauth1 = await cli([...temporalFlags, 'check', configPath], { ...env, ...keys });
    expect(oauth1.stdout).toMatch(/^OK\s+liveperson\s+conversation search:/m);
    expect(oauth1.stdout).toMatch(
      /^WARN\s+liveperson\s+file download: OAuth 1.0 API keys cannot download hosted files.*\n\s+fix: every conversation with a file would be archived as partial\. Create an OAuth 2\.0 client-credentials app installation/m,
    );
    expect(oauth1.code).toBe(0); // a warning, not a failure
  });

  it('check: with chat in liveperson.sources, searches legacy chats too; a credential without the scope FAILs naming it', async () => {
    const chatYaml = (lpUrl: string) =>
      yaml()
        .replace(`  csdsBaseUrl: ${h.lp.url}`, `  csdsBaseUrl: ${lpUrl}`)
        .replace('  serviceScheme: http', '  serviceScheme: http\n  sources: [messaging, chat]');
    const withChat = await run(['check', files.file('chat.yaml', chatYaml(h.lp.url))]);
    expect(withChat.stdout).toMatch(/^OK\s+liveperson\s+legacy chat search: Engagement History answered/m);
    expect(withChat.code).toBe(0);
    expect((await run(['check', configPath])).stdout).not.toMatch(/legacy chat search/);

    const noScope = await startLivePersonEmulator({
      accountId: h.lp.accountId,
      conversations: 5,
      clientScopes: ['msg.hist', 'users.read'],
    });
    try {
      const refused = await run(['check', files.file('no-scope.yaml', chatYaml(noScope.url))]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/^OK\s+liveperson\s+conversation search:/m);
      expect(refused.stdout).toMatch(
        /^FAIL\s+liveperson\s+legacy chat search: .*data\.services\.enghist.*\n\s+fix: add the scope data\.services\.enghist to the OAuth app installation of LP_TEST_CLIENT_ID/m,
      );
    } finally {
      await noScope.close();
    }
  });

  it('dry-run: converts and maps the latest conversations without writing anything', async () => {
    const before = await h.staging.list('items', '');
    const r = await run(['-o', 'json', 'dry-run', configPath, '--limit', '3']);
    const result = JSON.parse(r.stdout) as { items: { size: number; targets: unknown[]; failure?: string }[] };
    expect(result.items).toHaveLength(3);
    for (const it of result.items) {
      expect(it.size).toBeGreaterThan(200);
      expect(Array.isArray(it.targets)).toBe(true);
    }
    expect(result.items.some((it: { targets: unknown[] }) => it.targets.length > 0)).toBe(true);
    expect(r.code).toBe(result.items.some((it: { failure?: string }) => it.failure) ? 1 : 0);
    expect(await h.staging.list('items', '')).toEqual(before);

    const text = await run(['dry-run', configPath, '--limit', '2']);
    expect(text.stdout).toMatch(/Dry run of connector .* the latest 2 of \d+ conversations/);
    expect(text.stdout).toMatch(/→ \S+@\S+ {2}\(participant \S+, via (mail|proxy-address|csv|catch-all)\)/);
  });
});
