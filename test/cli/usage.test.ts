import { cli, tempFiles } from './support';

describe('command line and config errors', () => {
  const files = tempFiles();

  it('exits 2 on usage errors: unknown command, missing argument, unknown option', async () => {
    expect((await cli(['connector', 'explode', 'x'])).code).toBe(2);
    const missing = await cli(['connector', 'status']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument 'name'/);
    expect((await cli(['mapping', 'template', '--bogus'])).code).toBe(2);
    expect(
      (await cli(['log', 'demo', '--from', '2026-13-45'], { AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' })).code,
    ).toBe(2);
    const badRange = await cli(['--address', '127.0.0.1:1', 'connector', 'reimport', 'demo', '--from', 'yesterday', '--to', '2026-01-02']);
    expect(badRange.code).toBe(2);
    expect(badRange.stderr).toMatch(/--from must be a UTC date/);
    expect((await cli(['--address', '127.0.0.1:1', 'connector', 'reimport', 'demo', '--from', '3x', '--to', '1h'])).code).toBe(2);
    expect((await cli(['connector', 'retry-failed', 'demo'])).code).toBe(2);
  });

  it('exits 0 for --help and lists the noun-verb commands', async () => {
    const r = await cli(['connector', '--help']);
    expect(r.code).toBe(0);
    for (const verb of ['start', 'list', 'status', 'pause', 'resume', 'stop', 'run-now', 'reconfigure', 'reimport', 'retry-failed'])
      expect(r.stdout).toMatch(new RegExp(`\\b${verb}\\b`));
  });

  it('refuses a bad config before contacting anything, with one line per wrong field, exit 1', async () => {
    const path = files.file(
      'bad.yaml',
      [
        'name: Bad_Name',
        'liveperson:',
        '  accountId: abc',
        '  credentialsRef: lp',
        'graph:',
        '  credentialsRef: GRAPH',
        'schedule:',
        '  startDate: 2020-01-01',
        '  lag: 10s',
      ].join('\n'),
    );
    // An unreachable Temporal address: the config must be refused before any connection is tried.
    for (const argv of [
      ['--address', '127.0.0.1:1', 'connector', 'start', path],
      ['--address', '127.0.0.1:1', 'connector', 'reconfigure', path],
      ['check', path],
      ['dry-run', path],
    ]) {
      const r = await cli(argv);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/The connector config is not valid/);
      expect(r.stderr).toMatch(/- name: must be 1-63 characters/);
      expect(r.stderr).toMatch(/- liveperson.accountId: must be the numeric LivePerson account/);
      expect(r.stderr).toMatch(/- liveperson.credentialsRef: must be an environment variable prefix/);
      expect(r.stderr).toMatch(/- schedule.lag: schedule.lag must be at least 1m/);
      expect(r.stderr).not.toMatch(/Cannot reach Temporal/);
    }
  });

  it('names the file when the config cannot be read, and reports as JSON with check -o json', async () => {
    const r = await cli(['connector', 'start', '/nonexistent/c.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/nonexistent\/c.yaml: cannot be read \(ENOENT\); check the path/);
    const j = await cli(['check', '/nonexistent/c.yaml', '-o', 'json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, checks: [{ area: 'config', status: 'fail' }] });
  });

  it('fails with the fix when Temporal is not reachable', async () => {
    const r = await cli(['--address', '127.0.0.1:1', '--connect-timeout', '1', 'connector', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Cannot reach Temporal at 127.0.0.1:1 .*npm run stack/);
  });
});
