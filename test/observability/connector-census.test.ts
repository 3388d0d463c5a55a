import { TypedSearchAttributes } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { CONNECTOR_STATES, LP_CONNECTOR_NAME, LP_CONNECTOR_STATE, LP_CURSOR_TIME, type ConnectorState } from '../../src/model';
import { ConnectorCensus, RUNNING_CONNECTORS_QUERY } from '../../src/observability/connector-census';
import { createLpMetrics, LP_METRIC_NAMES } from '../../src/observability';
import { RecordingMeter } from './recording-meter';

interface Run {
  readonly workflowId: string;
  readonly taskQueue: string;
  readonly startTime: Date;
  readonly name?: string;
  readonly state?: ConnectorState;
  readonly cursor?: Date;
}

/** A visibility list that answers `runs` (or throws `failure`), and remembers the queries it was given. */
function fakeClient(answer: { runs?: Run[]; failure?: Error }, queries: string[] = []): Pick<Client, 'workflow'> {
  return {
    workflow: {
      list: ({ query }: { query: string }) => {
        queries.push(query);
        return (async function* () {
          await Promise.resolve();
          if (answer.failure) throw answer.failure;
          for (const r of answer.runs ?? []) {
            const attrs = [
              ...(r.name ? [{ key: LP_CONNECTOR_NAME, value: r.name }] : []),
              ...(r.state ? [{ key: LP_CONNECTOR_STATE, value: r.state }] : []),
              ...(r.cursor ? [{ key: LP_CURSOR_TIME, value: r.cursor }] : []),
            ];
            yield { ...r, typedSearchAttributes: new TypedSearchAttributes(attrs) };
          }
        })();
      },
    },
  } as unknown as Pick<Client, 'workflow'>;
}

const at = (iso: string): Date => new Date(iso);

describe('connector census: state and cursor gauges from Temporal visibility', () => {
  const queue = 'lp-archive';

  it("sets 1 on each running connector's state and 0 on the others, with its cursor, for this task queue only", async () => {
    const meter = new RecordingMeter();
    const metrics = createLpMetrics(meter);
    const queries: string[] = [];
    const runs: Run[] = [
      {
        workflowId: 'w-emea',
        taskQueue: queue,
        startTime: at('2026-01-02T00:00:00Z'),
        name: 'emea',
        state: 'live',
        cursor: at('2026-01-05T10:00:00Z'),
      },
      // An older run of the same workflow (visibility lags a continue-as-new): the newest wins.
      {
        workflowId: 'w-emea',
        taskQueue: queue,
        startTime: at('2026-01-01T00:00:00Z'),
        name: 'emea',
        state: 'catching-up',
        cursor: at('2026-01-01T00:00:00Z'),
      },
      { workflowId: 'w-us', taskQueue: queue, startTime: at('2026-01-02T00:00:00Z'), name: 'us', state: 'needs-credentials' },
      { workflowId: 'w-other', taskQueue: 'someone-else', startTime: at('2026-01-02T00:00:00Z'), name: 'other', state: 'failing' },
      { workflowId: 'w-unnamed', taskQueue: queue, startTime: at('2026-01-02T00:00:00Z') },
    ];
    const census = new ConnectorCensus({ client: fakeClient({ runs }, queries), taskQueue: queue, metrics, intervalMs: 60_000 });
    await census.refresh();

    expect(queries).toEqual([RUNNING_CONNECTORS_QUERY]);
    for (const s of CONNECTOR_STATES) {
      expect(meter.last(LP_METRIC_NAMES.connectorState, { connector: 'emea', state: s })).toBe(s === 'live' ? 1 : 0);
      expect(meter.last(LP_METRIC_NAMES.connectorState, { connector: 'us', state: s })).toBe(s === 'needs-credentials' ? 1 : 0);
    }
    expect(meter.last(LP_METRIC_NAMES.cursorTimestamp, { connector: 'emea' })).toBe(Date.parse('2026-01-05T10:00:00Z') / 1000);
    expect(meter.last(LP_METRIC_NAMES.cursorTimestamp, { connector: 'us' })).toBeUndefined();
    expect(meter.records.some((r) => r.tags.connector === 'other')).toBe(false);
  });

  it('puts 0 on every state of a connector that is no longer running', async () => {
    const meter = new RecordingMeter();
    const answer: { runs: Run[] } = {
      runs: [{ workflowId: 'w-us', taskQueue: queue, startTime: at('2026-01-02T00:00:00Z'), name: 'us', state: 'failing' }],
    };
    const census = new ConnectorCensus({
      client: fakeClient(answer),
      taskQueue: queue,
      metrics: createLpMetrics(meter),
      intervalMs: 60_000,
    });
    await census.refresh();
    expect(meter.last(LP_METRIC_NAMES.connectorState, { connector: 'us', state: 'failing' })).toBe(1);
    answer.runs = [];
    await census.refresh();
    for (const s of CONNECTOR_STATES) expect(meter.last(LP_METRIC_NAMES.connectorState, { connector: 'us', state: s })).toBe(0);
  });

  it('says once that visibility cannot be read (naming the search attributes to check), keeps the last values, and says when it works again', async () => {
    const meter = new RecordingMeter();
    const warnings: string[] = [];
    const infos: string[] = [];
    const answer: { runs?: Run[]; failure?: Error } = {
      runs: [{ workflowId: 'w-us', taskQueue: queue, startTime: at('2026-01-02T00:00:00Z'), name: 'us', state: 'live' }],
    };
    const census = new ConnectorCensus({
      client: fakeClient(answer),
      taskQueue: queue,
      metrics: createLpMetrics(meter),
      intervalMs: 60_000,
      warn: (m) => warnings.push(m),
      info: (m) => infos.push(m),
    });
    await census.refresh();
    answer.failure = new Error('Namespace default has no search attribute LpConnectorName');
    await census.refresh();
    await census.refresh();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no search attribute LpConnectorName.*LpConnectorName, LpConnectorState and LpCursorTime are registered/);
    expect(meter.last(LP_METRIC_NAMES.connectorState, { connector: 'us', state: 'live' })).toBe(1);
    delete answer.failure;
    await census.refresh();
    expect(infos).toHaveLength(1);
  });
});
