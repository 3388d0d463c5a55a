import { Runtime, type ActivityInterceptorsFactory, type LogLevel, type Logger } from '@temporalio/worker';
import { lpActivityInterceptors } from './activity-interceptor';
import { createJsonLogger } from './json-logger';
import { createLpMetrics, type LpMetrics } from './metrics';
import { observeThrottling } from './throttle-observer';

/** Options of {@link installObservability}. */
export interface ObservabilityOptions {
  /** Port of the Prometheus `/metrics` endpoint; undefined: no endpoint. */
  readonly metricsPort?: number;
  /** Default `127.0.0.1`; set `0.0.0.0` to let a Prometheus on another host scrape. */
  readonly metricsHost?: string;
  readonly logLevel?: LogLevel;
  /** Where log lines go (default stdout). */
  readonly writeLog?: (line: string) => void;
}

/** What the worker wires into `Worker.create`. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: LpMetrics;
  /** For `Worker.create({ interceptors: { activity } })`. */
  readonly activityInterceptors: ActivityInterceptorsFactory[];
  /** Where Prometheus scrapes, e.g. `http://127.0.0.1:9464/metrics`; undefined without an endpoint. */
  readonly metricsUrl?: string;
  /** Stops observing HTTP throttling (the Runtime itself lives until the process ends). */
  close(): void;
}

/**
 * Installs the Temporal Runtime of this process with our JSON logger (SDK, workflow, activity and Core
 * logs) and the Prometheus exporter (SDK metrics plus ours), and builds the activity interceptors that
 * record our metrics. Call it once, before any connection or worker is created: the Runtime is
 * process-wide and cannot be installed twice.
 */
export function installObservability(options: ObservabilityOptions = {}): Observability {
  const logger = createJsonLogger({ level: options.logLevel ?? 'INFO', ...(options.writeLog ? { write: options.writeLog } : {}) });
  const host = options.metricsHost ?? '127.0.0.1';
  const runtime = Runtime.install({
    logger,
    telemetryOptions: {
      // Core (Rust) logs come through the same JSON logger; only warnings and errors, they are chatty.
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      ...(options.metricsPort !== undefined ? { metrics: { prometheus: { bindAddress: `${host}:${options.metricsPort}` } } } : {}),
    },
  });
  const metrics = createLpMetrics(runtime.metricMeter);
  const stopObserving = observeThrottling(metrics);
  return {
    logger,
    metrics,
    activityInterceptors: [lpActivityInterceptors(metrics)],
    ...(options.metricsPort !== undefined ? { metricsUrl: `http://${host}:${options.metricsPort}/metrics` } : {}),
    close: stopObserving,
  };
}
