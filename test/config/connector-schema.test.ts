import { parseConnectorConfig } from '../../src/config/connector-schema';
import { CONFIG_NOW, problemsOf, validConnectorFile } from '../support/config-fixtures';

const NOW = CONFIG_NOW;
const valid = validConnectorFile;

describe('connector config', () => {
  it('fills documented defaults for a minimal config', () => {
    const c = parseConnectorConfig(valid(), NOW);
    expect(c.graph.folderName).toBe('LivePerson Conversational Cloud DataParser');
    expect(c.schedule.lagMs).toBe(60_000);
    expect(c.schedule.pollIntervalMs).toBe(30_000);
    expect(c.schedule.minWindowMs).toBe(30_000);
    expect(c.schedule.lateArrivalSweepMs).toBe(30 * 60_000);
    expect(c.schedule.sweepIntervalMs).toBe(10 * 60_000);
    expect(c.schedule.pageSize).toBe(100);
    expect(c.schedule.fairnessWeight).toBe(1);
    expect(c.liveperson.allowUnauthenticatedSdeRouting).toBe(false);
    expect(c.graph.importMode).toBe('json');
    expect(c.schedule.startAt).toBe(Date.UTC(2026, 10, 1));
  });

  it('parses durations written with units', () => {
    const input = valid();
    input.schedule = { startDate: '2026-11-01T00:00:00Z', backfillWindow: '6h', lag: '90s', pollInterval: '30s', minWindow: '1m' };
    const c = parseConnectorConfig(input, NOW);
    expect(c.schedule).toMatchObject({ backfillWindowMs: 21_600_000, lagMs: 90_000, pollIntervalMs: 30_000, minWindowMs: 60_000 });
  });

  it('refuses a bad config with one message per wrong field, each naming the field and the fix', () => {
    const problems = problemsOf({
      name: 'Bad Name!',
      liveperson: { accountId: 'abc', credentialsRef: 'lower' },
      graph: { credentialsRef: 'GRAPH', catchAllMailbox: 'not-an-address' },
      schedule: { startDate: 'yesterday', lag: 'soon', pageSize: 500 },
    });
    const fields = problems.map((p) => p.split(':')[0]);
    expect(fields).toEqual(
      expect.arrayContaining([
        'name',
        'liveperson.accountId',
        'liveperson.credentialsRef',
        'graph.catchAllMailbox',
        'schedule.startDate',
        'schedule.lag',
        'schedule.pageSize',
      ]),
    );
    expect(problems.find((p) => p.startsWith('schedule.pageSize'))).toMatch(/at most 100/);
    expect(problems.find((p) => p.startsWith('schedule.lag'))).toMatch(/duration such as/);
  });

  it('refuses a start date older than LivePerson retention or in the future', () => {
    expect(problemsOf({ ...valid(), schedule: { startDate: '2025-01-01' } })[0]).toMatch(/13 months/);
    expect(problemsOf({ ...valid(), schedule: { startDate: '2027-01-01' } })[0]).toMatch(/future/);
  });

  it('refuses a lag shorter than LivePerson ingestion delay', () => {
    expect(problemsOf({ ...valid(), schedule: { startDate: '2026-11-01', lag: '10s' } })).toEqual([
      expect.stringMatching(/^schedule.lag: .*at least 1m/),
    ]);
  });

  it('never accepts a secret in place of a credentials reference', () => {
    const input = valid();
    input.liveperson = { accountId: '12345678', credentialsRef: 'sk-live-9f8e7d' };
    expect(problemsOf(input)[0]).toMatch(/^liveperson.credentialsRef: must be an environment variable prefix/);
  });
});

describe('import mode', () => {
  it('refuses the beta import-mime mode until its duplicate check exists, instead of ignoring it', () => {
    expect(problemsOf({ ...valid(), graph: { credentialsRef: 'G', importMode: 'import-mime' } })).toEqual([
      expect.stringMatching(/^graph.importMode: import-mime is not supported yet/),
    ]);
  });
});

describe('endpoint URLs', () => {
  it('accepts only http(s) endpoints', () => {
    const problems = problemsOf({
      ...valid(),
      liveperson: { accountId: '123456', credentialsRef: 'LP', csdsBaseUrl: 'javascript:alert(1)' },
      graph: { credentialsRef: 'G', baseUrl: 'file:///etc/passwd' },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^liveperson.csdsBaseUrl: must be an http\(s\) URL/),
      expect.stringMatching(/^graph.baseUrl: must be an http\(s\) URL/),
    ]);
  });
});

describe('batch size', () => {
  it('defaults to 500 conversations per batch and is never smaller than a page', () => {
    expect(parseConnectorConfig(valid(), NOW).schedule.batchSize).toBe(500);
    expect(
      parseConnectorConfig({ ...valid(), schedule: { startDate: '2026-11-01', pageSize: 100, batchSize: 50 } }, NOW).schedule.batchSize,
    ).toBe(100);
  });

  it('cuts windows in batches of 50 while the worker is busy (busyBatchSize), never more than batchSize, and refuses over 2000', () => {
    expect(parseConnectorConfig(valid(), NOW).schedule.busyBatchSize).toBe(50);
    expect(parseConnectorConfig({ ...valid(), schedule: { startDate: '2026-11-01', busyBatchSize: 10 } }, NOW).schedule.busyBatchSize).toBe(
      10,
    );
    expect(
      parseConnectorConfig({ ...valid(), schedule: { startDate: '2026-11-01', batchSize: 200, busyBatchSize: 700 } }, NOW).schedule
        .busyBatchSize,
    ).toBe(200);
    expect(() => parseConnectorConfig({ ...valid(), schedule: { startDate: '2026-11-01', busyBatchSize: 2001 } }, NOW)).toThrow(
      /schedule.busyBatchSize must be at most 2000/,
    );
  });

  describe('late-arrival sweep', () => {
    it('can be turned off with "0m", and refuses a look-back over a day or a cadence under 10 s', () => {
      const schedule = (extra: Record<string, unknown>) => ({
        ...valid(),
        schedule: { ...(valid().schedule as Record<string, unknown>), ...extra },
      });
      expect(parseConnectorConfig(schedule({ lateArrivalSweep: '0m', sweepInterval: '1s' }), NOW).schedule.lateArrivalSweepMs).toBe(0);
      expect(() => parseConnectorConfig(schedule({ lateArrivalSweep: '25h' }), NOW)).toThrow(
        /schedule.lateArrivalSweep must be at most 24h/,
      );
      expect(() => parseConnectorConfig(schedule({ sweepInterval: '5s' }), NOW)).toThrow(/schedule.sweepInterval must be at least 10s/);
    });
  });
});

describe('connector config: legacy chat as a second source', () => {
  const withChat = (schedule: Record<string, unknown> = {}, liveperson: Record<string, unknown> = {}) => {
    const input = valid();
    return {
      ...input,
      liveperson: { ...(input.liveperson as object), sources: ['messaging', 'chat'], ...liveperson },
      schedule: { ...(input.schedule as object), ...schedule },
    };
  };

  it('collects messaging only unless told, so existing connectors do not change', () => {
    const c = parseConnectorConfig(valid(), NOW);
    expect(c.liveperson.sources).toEqual(['messaging']);
    expect(c.schedule.chatLagMs).toBe(5 * 60_000);
    expect(c.schedule.chatLateArrivalSweepMs).toBe(3 * 3_600_000);
    expect(c.liveperson.maxChatDurationMs).toBe(86_400_000);
  });

  it('takes both sources with a chat lag and a chat sweep that reaches past the 2-hour indexing', () => {
    const c = parseConnectorConfig(withChat({ chatLag: '2m', chatLateArrivalSweep: '150m', sweepInterval: '5m' }), NOW);
    expect(c.liveperson.sources).toEqual(['messaging', 'chat']);
    expect(c.schedule).toMatchObject({ chatLagMs: 120_000, chatLateArrivalSweepMs: 150 * 60_000 });
  });

  it('refuses a chat sweep that could miss a chat indexed 2 hours late, naming the bound', () => {
    const problems = problemsOf(withChat({ chatLateArrivalSweep: '2h', sweepInterval: '10m' }));
    expect(problems).toEqual([
      expect.stringMatching(/^schedule\.chatLateArrivalSweep: .*at least 2h \+ schedule\.chatLag \+ schedule\.sweepInterval \(135m\)/),
    ]);
    // The same look-back is no problem while chat is not collected.
    const input = withChat({ chatLateArrivalSweep: '2h' }, { sources: ['messaging'] });
    expect(parseConnectorConfig(input, NOW).schedule.chatLateArrivalSweepMs).toBe(2 * 3_600_000);
  });

  it('refuses no source, a source twice or an unknown one', () => {
    expect(problemsOf(withChat({}, { sources: [] }))).toEqual([expect.stringMatching(/^liveperson\.sources: .*at least one source/)]);
    expect(problemsOf(withChat({}, { sources: ['chat', 'chat'] }))).toEqual([expect.stringMatching(/^liveperson\.sources: .*twice/)]);
    expect(problemsOf(withChat({}, { sources: ['voice'] })).join('\n')).toMatch(/liveperson\.sources/);
  });
});
