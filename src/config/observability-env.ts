import { WorkerEnvError } from './worker-env';

type Env = Readonly<Record<string, string | undefined>>;

/** Loopback unless told otherwise: a worker on a laptop exposes nothing; the container image sets `0.0.0.0`. */
export const DEFAULT_LISTEN_HOST = '127.0.0.1';

/** The port the container image and the Helm chart give the health endpoint (the metrics port is 9464). */
export const IMAGE_HEALTH_PORT = 9465;

/** Default of {@link connectorMetricsIntervalFromEnv}, seconds. */
export const DEFAULT_CONNECTOR_METRICS_INTERVAL_SECONDS = 30;

/** Where the health endpoint listens; `undefined` port: no endpoint. */
export interface HealthEndpointSettings {
  readonly host: string;
  readonly port?: number;
}

/**
 * Interface the SDK's Prometheus exporter binds (`LPA_METRICS_HOST`, default 127.0.0.1). In a container set
 * `0.0.0.0`, or Prometheus (and anything outside the pod) cannot scrape it.
 */
export function metricsHostFromEnv(env: Env = process.env): string {
  return nonEmpty(env.LPA_METRICS_HOST) ?? DEFAULT_LISTEN_HOST;
}

/**
 * The liveness/readiness endpoint (`LPA_HEALTH_PORT`, off when unset or 0; `LPA_HEALTH_HOST`, default the
 * metrics host). Off by default so that several workers on one machine (demo, fault suite) do not collide;
 * the container image turns it on at {@link IMAGE_HEALTH_PORT}.
 *
 * @throws WorkerEnvError naming the variable and the fix
 */
export function healthEndpointFromEnv(env: Env = process.env): HealthEndpointSettings {
  const host = nonEmpty(env.LPA_HEALTH_HOST) ?? metricsHostFromEnv(env);
  const text = nonEmpty(env.LPA_HEALTH_PORT);
  if (text === undefined || text === '0') return { host };
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new WorkerEnvError(
      `LPA_HEALTH_PORT must be a port number from 1 to 65535 (or 0 for no health endpoint), got "${text}": the image uses ${IMAGE_HEALTH_PORT}.`,
    );
  }
  return { host, port };
}

/**
 * How often the worker reads every connector's state and cursor from Temporal visibility for the
 * `lp_connector_state` and `lp_connector_cursor_timestamp_seconds` gauges (`LPA_CONNECTOR_METRICS_INTERVAL`,
 * whole seconds, default 30; 0 turns it off). One visibility list call per interval and worker.
 *
 * @returns milliseconds, or undefined when off
 * @throws WorkerEnvError naming the variable and the fix
 */
export function connectorMetricsIntervalFromEnv(env: Env = process.env): number | undefined {
  const text = nonEmpty(env.LPA_CONNECTOR_METRICS_INTERVAL);
  if (text === undefined) return DEFAULT_CONNECTOR_METRICS_INTERVAL_SECONDS * 1000;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
    throw new WorkerEnvError(
      `LPA_CONNECTOR_METRICS_INTERVAL must be whole seconds from 0 (off) to 3600, got "${text}": unset it for the default (${DEFAULT_CONNECTOR_METRICS_INTERVAL_SECONDS}).`,
    );
  }
  return seconds === 0 ? undefined : seconds * 1000;
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t === undefined || t === '' ? undefined : t;
}
