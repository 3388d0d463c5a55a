import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkerEnvError } from '../config/worker-env';

/** One probe's answer: `ok` decides 200 or 503; `detail` goes into the JSON body for whoever looks. */
export interface ProbeResult {
  readonly ok: boolean;
  /** One line: why not, or what is fine. */
  readonly reason: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** What the health endpoint asks. */
export interface HealthProbes {
  liveness(): ProbeResult;
  readiness(): ProbeResult;
}

/** Paths of the endpoint (Kubernetes' own naming). */
export const HEALTH_PATHS = { liveness: '/livez', readiness: '/readyz' } as const;

/** A running health endpoint. */
export interface HealthServer {
  /** e.g. `http://127.0.0.1:9465` */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /livez` and `GET /readyz` (200 or 503, JSON body with the reason) from the worker's own Node
 * event loop: an answer at all proves the loop runs. It is a server of its own because the SDK's Prometheus
 * exporter owns the metrics port inside Temporal's Rust core, where no route can be added.
 *
 * @throws WorkerEnvError when the port cannot be bound, naming LPA_HEALTH_PORT
 */
export async function startHealthServer(options: { host: string; port: number; probes: HealthProbes }): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const probe =
      path === HEALTH_PATHS.liveness
        ? () => options.probes.liveness()
        : path === HEALTH_PATHS.readiness
          ? () => options.probes.readiness()
          : undefined;
    if (!probe || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: `use GET ${HEALTH_PATHS.liveness} or ${HEALTH_PATHS.readiness}` }));
      return;
    }
    let result: ProbeResult;
    try {
      result = probe();
    } catch (err) {
      result = { ok: false, reason: `probe failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    const body = JSON.stringify({ status: result.ok ? 'ok' : 'unavailable', reason: result.reason, ...result.detail });
    res.writeHead(result.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  // Probes are short requests; an idle keep-alive socket must not hold up the worker's exit.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new WorkerEnvError(
          err.code === 'EADDRINUSE'
            ? `LPA_HEALTH_PORT ${options.port} on ${options.host} is taken by another process: choose a free port (the image uses 9465), or 0 for no health endpoint.`
            : `The health endpoint cannot listen on ${options.host}:${options.port} (${err.code ?? err.message}): check LPA_HEALTH_HOST and LPA_HEALTH_PORT.`,
        ),
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
