import type { MetricCounter, MetricMeter } from '@temporalio/common';
import { CONNECTOR_STATES, type ConnectorState, type LogCounts } from '../model';

/** Names of our own metrics as Prometheus shows them (the SDK's own start with `temporal_`). */
export const LP_METRIC_NAMES = {
  conversationsFetched: 'lp_conversations_fetched_total',
  itemsImported: 'lp_items_imported_total',
  throttleWaitSeconds: 'lp_throttle_wait_seconds_total',
  throttledResponses: 'lp_throttled_responses_total',
  lagSeconds: 'lp_connector_lag_seconds',
  connectorState: 'lp_connector_state',
  cursorTimestamp: 'lp_connector_cursor_timestamp_seconds',
  workerReady: 'lp_worker_ready',
  daysChecked: 'lp_days_checked_total',
} as const;

/** The `result` label of `lp_items_imported_total`: the outcome columns of the connector log. */
export const IMPORT_RESULTS = ['imported', 'partial', 'skippedDuplicate', 'failed'] as const satisfies readonly (keyof LogCounts)[];
export type ImportResult = (typeof IMPORT_RESULTS)[number];

/** The services whose throttling we count (label `service`). */
export const THROTTLED_SERVICES = ['liveperson', 'graph'] as const;
export type ThrottledService = (typeof THROTTLED_SERVICES)[number];

/**
 * The connector's own metrics. Labels carry connector names and fixed words only (never personal data,
 * and a bounded number of series).
 */
export interface LpMetrics {
  /** Conversations of a window read from LivePerson (records whose end time lies in the window). */
  conversationsFetched(connector: string, n: number): void;
  /** Items of one imported page by outcome. */
  itemsImported(connector: string, counts: Readonly<Pick<LogCounts, ImportResult>>): void;
  /** A service answered 429/503; `waitMs` is what its Retry-After asked for (undefined when none was sent). */
  throttled(service: ThrottledService, status: number, waitMs: number | undefined): void;
  /** How far the connector's cursor is behind now. */
  lag(connector: string, seconds: number): void;
  /**
   * The connector's state as Temporal visibility shows it: 1 on the series of `state`, 0 on the others
   * (undefined: the connector is gone, every series 0).
   */
  connectorState(connector: string, state: ConnectorState | undefined): void;
  /** The connector's cursor (epoch ms) as visibility shows it: alerts compute the lag as `time() - cursor`. */
  cursor(connector: string, epochMs: number): void;
  /** 1 while the worker polls its task queue and is not draining (readiness), else 0. */
  workerReady(ready: boolean): void;
  /** Days one completeness check proved complete, and found incomplete (older than the sweep horizon, with gaps). */
  daysChecked(connector: string, complete: number, incomplete: number): void;
}

/** Builds {@link LpMetrics} on a Temporal metric meter (the worker's Runtime meter, exported on `/metrics`). */
export function createLpMetrics(meter: MetricMeter): LpMetrics {
  const fetched = meter.createCounter(
    LP_METRIC_NAMES.conversationsFetched,
    'conversations',
    'Conversations read from LivePerson, by connector',
  );
  const imported = meter.createCounter(
    LP_METRIC_NAMES.itemsImported,
    'items',
    'Archive items by connector and result (imported, partial, skippedDuplicate, failed)',
  );
  const waited = meter.createCounter(
    LP_METRIC_NAMES.throttleWaitSeconds,
    's',
    'Seconds LivePerson or Microsoft Graph asked this worker to wait (Retry-After), by service',
  );
  const throttledAnswers = meter.createCounter(
    LP_METRIC_NAMES.throttledResponses,
    'responses',
    'HTTP 429/503 answers from LivePerson or Microsoft Graph, by service and status',
  );
  const lag = meter.createGauge(
    LP_METRIC_NAMES.lagSeconds,
    'int',
    's',
    'Seconds between now and the connector cursor (the end of the last fully archived window)',
  );
  const state = meter.createGauge(
    LP_METRIC_NAMES.connectorState,
    'int',
    '1',
    'Connector state from Temporal visibility: 1 on the current state, 0 on the others, by connector and state',
  );
  const cursor = meter.createGauge(
    LP_METRIC_NAMES.cursorTimestamp,
    'int',
    's',
    'Connector cursor (end of the last fully archived window) from Temporal visibility, Unix seconds',
  );
  const ready = meter.createGauge(
    LP_METRIC_NAMES.workerReady,
    'int',
    '1',
    'Whether this worker polls its task queue and is not draining (its readiness)',
  );
  const checkedDays = meter.createCounter(
    LP_METRIC_NAMES.daysChecked,
    'days',
    'Days the completeness proof checked, by connector and result (complete, incomplete: conversations LivePerson reports in no manifest)',
  );
  const waitSeconds = new WholeUnits(waited, 1000);

  return {
    conversationsFetched(connector, n) {
      if (n > 0) fetched.add(n, { connector });
    },
    itemsImported(connector, counts) {
      for (const result of IMPORT_RESULTS) {
        // Zero adds still create the series, so dashboards see every result from the first page on.
        imported.add(Math.max(0, counts[result]), { connector, result });
      }
    },
    throttled(service, status, waitMs) {
      throttledAnswers.add(1, { service, status: String(status) });
      if (waitMs !== undefined && waitMs > 0) waitSeconds.add(waitMs, { service });
    },
    lag(connector, seconds) {
      lag.set(Math.max(0, Math.round(seconds)), { connector });
    },
    connectorState(connector, current) {
      // Every state's series exists, so `for:` clauses and dashboards see a 0 rather than nothing.
      for (const s of CONNECTOR_STATES) state.set(s === current ? 1 : 0, { connector, state: s });
    },
    cursor(connector, epochMs) {
      cursor.set(Math.max(0, Math.floor(epochMs / 1000)), { connector });
    },
    workerReady(isReady) {
      ready.set(isReady ? 1 : 0);
    },
    daysChecked(connector, complete, incomplete) {
      // Both series from the first check on, so the alert's increase() sees a 0 rather than nothing.
      checkedDays.add(complete, { connector, result: 'complete' });
      checkedDays.add(incomplete, { connector, result: 'incomplete' });
    },
  };
}

/**
 * Temporal counters are integers: sub-unit amounts (e.g. 250 ms of a quick retry) are carried per label
 * set until they make a whole unit, so the total never drifts.
 */
class WholeUnits {
  private readonly carry = new Map<string, number>();
  constructor(
    private readonly counter: MetricCounter,
    private readonly perUnit: number,
  ) {}

  add(amount: number, tags: Record<string, string>): void {
    const key = JSON.stringify(tags);
    const total = (this.carry.get(key) ?? 0) + amount;
    const whole = Math.floor(total / this.perUnit);
    this.carry.set(key, total - whole * this.perUnit);
    if (whole > 0) this.counter.add(whole, tags);
  }
}
