/** Worker observability: Prometheus metrics, JSON logs and the activity interceptor that feeds both. */
export { installObservability, type Observability, type ObservabilityOptions } from './install';
export { createLpMetrics, IMPORT_RESULTS, LP_METRIC_NAMES, type ImportResult, type LpMetrics, type ThrottledService } from './metrics';
export { lpActivityInterceptors } from './activity-interceptor';
export { createJsonLogger, formatLogEntry, InvalidLogLevelError, logLevelFromEnv, LOG_LEVELS } from './json-logger';
export { observeThrottling, serviceOf } from './throttle-observer';
