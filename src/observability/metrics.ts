import type { MetricCounter, MetricMeter } from '@temporalio/common';
import type { LogCounts } from '../model';

/** Names of our own metrics as Prometheus shows them (the SDK's own start with `temporal_`). */
export const LP_METRIC_NAMES = {
  conversationsFetched: 'lp_conversations_fetched_total',
  itemsImported: 'lp_items_imported_total',
  throttleWaitSeconds: 'lp_throttle_wait_seconds_total',
  throttledResponses: 'lp_throttled_responses_total',
  lagSeconds: 'lp_connector_lag_seconds',
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
