/**
 * The lp-archive worker: runs connector workflows and their activities on one task queue. Scale out by
 * running more of these against the same Temporal namespace and task queue.
 *
 * Logs are JSON lines on stdout (`LPA_LOG_LEVEL`, default INFO); Prometheus metrics (the SDK's and the
 * connector's `lp_*`) are served on `LPA_METRICS_PORT` (default 9464, `LPA_METRICS_HOST`); liveness and readiness
 * on `LPA_HEALTH_PORT` (`/livez`, `/readyz`; off unless set, the image sets 9465). SIGTERM or SIGINT stops
 * polling (not ready from then on), lets running activities finish for up to 30 s, then exits 0.
 *
 * Settings come from the environment; `--env-file <path>` (or `LPA_ENV_FILE`) adds a dotenv file's, and next to
 * the local stack its `.stack/env` is read when present. Variables already set win.
 */
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { applyEnvFile } from './config/env-file';
import { restartWithExtraCa } from './config/extra-ca-restart';
import { createConnectorWorker } from './runtime/connector-worker';
import { installOutboundProxy } from './runtime/outbound-proxy';
import { connectWorkerToTemporal } from './runtime/temporal-connection';
import { dataConverterFromEnv, encryptionStatusLine, redactSecrets } from './codec';
import {
  activityConcurrencyFromEnv,
  itemMemoryFromEnv,
  mallocAdvice,
  metricsPortFromEnv,
  nodeFlagsAdvice,
  storageConfigFromEnv,
  temporalConnectConfig,
  workflowCodeFromEnv,
  WORKER_SHUTDOWN_GRACE_SECONDS,
} from './config/worker-env';
import { connectorMetricsIntervalFromEnv, healthEndpointFromEnv, metricsHostFromEnv } from './config/observability-env';
import { workerDeploymentFromEnv } from './config/worker-versioning';
import { installObservability, logLevelFromEnv } from './observability';
import { ConnectorCensus } from './observability/connector-census';
import { startHealthServer } from './observability/health-server';
import { serverSeesPolling } from './observability/poller-presence';
import { WorkerHealth } from './observability/worker-health';
import { BlobStaging } from './storage/blob-staging';
import { immutabilitySettingsFromEnv } from './storage/immutability';

/** As this process started: an env file's NODE_EXTRA_CA_CERTS needs a restart to take effect. */
const EXTRA_CA_AT_START = process.env.NODE_EXTRA_CA_CERTS;

export async function runWorker(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // Before anything reads the environment: the local stack's .stack/env (or --env-file / LPA_ENV_FILE) fills in
  // what is not set, so `npm run worker` next to `npm run stack` needs no exports.
  const { values } = parseArgs({ args: [...argv], options: { 'env-file': { type: 'string' } }, strict: false });
  const envFile = applyEnvFile(process.env, {
    ...(typeof values['env-file'] === 'string' ? { flag: values['env-file'] } : {}),
    cwd: process.cwd(),
  });
  // The local stack's env file names its CA (the Graph emulator's HTTPS): Node trusts it only from the start.
  const restart = restartWithExtraCa(EXTRA_CA_AT_START, process.env.NODE_EXTRA_CA_CERTS);
  if (restart) return restart;
  // First: the Runtime is process-wide and must be installed before any connection exists.
  const observability = installObservability({
    metricsPort: metricsPortFromEnv(),
    metricsHost: metricsHostFromEnv(),
    logLevel: logLevelFromEnv(),
  });
  const { logger } = observability;
  if (envFile) logger.info(`lp-archive worker: ${envFile}`);
  const proxy = installOutboundProxy();
  if (proxy) logger.info(`lp-archive worker: ${proxy}`);
  // Probes answer from here on: live, and not ready until the Temporal server sees this worker poll.
  const health = new WorkerHealth({
    taskQueue: temporalConnectConfig().taskQueue,
    metrics: observability.metrics,
    log: (m, meta) => {
      logger.info(m, meta);
    },
  });
  const healthEndpoint = healthEndpointFromEnv();
  const healthServer =
    healthEndpoint.port !== undefined
      ? await startHealthServer({ host: healthEndpoint.host, port: healthEndpoint.port, probes: health })
      : undefined;
  const versioning = workerDeploymentFromEnv();
  const censusIntervalMs = connectorMetricsIntervalFromEnv();
  // Before anything connects: bad codec keys stop the worker here, and the log says whether history is encrypted.
  const dataConverter = dataConverterFromEnv();
  const encryption = `lp-archive worker: ${encryptionStatusLine()}`;
  if (dataConverter.payloadCodecs?.length) logger.info(encryption);
  else logger.warn(encryption);
  const malloc = mallocAdvice();
  if (malloc) logger.info(malloc);
  const nodeFlags = nodeFlagsAdvice();
  if (nodeFlags) logger.info(nodeFlags);
  const immutability = immutabilitySettingsFromEnv();
  const staging = new BlobStaging(storageConfigFromEnv(), { immutability });
  await staging.ensureContainers();
  // Said once at start: whether sealed items are also protected by the store (WORM / legal hold).
  const immutabilityWarning = await staging.probeImmutability();
  if (immutabilityWarning) logger.warn(immutabilityWarning);
  const workflowCode = workflowCodeFromEnv();
  const maxConcurrentActivities = activityConcurrencyFromEnv();
  const temporal = await connectWorkerToTemporal();
  const { connection } = temporal;
  const identity = `${process.pid}@${os.hostname()}`;
  const worker = await createConnectorWorker({
    connection,
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    staging,
    env: process.env,
    ...(workflowCode.bundlePath ? { workflowBundlePath: workflowCode.bundlePath } : {}),
    // Counted, so that a window starting while every slot is taken is cut in smaller batches (fetch-page).
    maxConcurrentActivities,
    dataConverter,
    activityInterceptors: observability.activityInterceptors,
    ...(immutability.retentionDays !== undefined ? { retentionDays: immutability.retentionDays } : {}),
    shutdownGraceTime: `${WORKER_SHUTDOWN_GRACE_SECONDS}s`,
    identity,
    ...(versioning ? { workerDeploymentOptions: versioning } : {}),
  });
  // Every worker reads the connectors' state from visibility for the alerting gauges (only where metrics are served).
  const census =
    observability.metricsUrl && censusIntervalMs !== undefined
      ? new ConnectorCensus({
          client: new Client({ connection, namespace: temporal.namespace }),
          taskQueue: temporal.taskQueue,
          metrics: observability.metrics,
          intervalMs: censusIntervalMs,
          warn: (m) => {
            logger.warn(m);
          },
          info: (m) => {
            logger.info(m);
          },
        })
      : undefined;
  census?.start();
  health.watch(worker, () => serverSeesPolling({ connection, namespace: temporal.namespace, taskQueue: temporal.taskQueue, identity }));
  logger.info(`lp-archive worker polling task queue "${temporal.taskQueue}" in namespace "${temporal.namespace}"`, {
    taskQueue: temporal.taskQueue,
    namespace: temporal.namespace,
    workflowCode: workflowCode.bundlePath ?? 'bundled at start from src/workflows',
    maxConcurrentActivities,
    itemMemoryMb: itemMemoryFromEnv() / 2 ** 20,
    ...(observability.metricsUrl ? { metricsUrl: observability.metricsUrl } : {}),
    ...(healthServer ? { healthUrl: healthServer.url } : {}),
    ...(versioning ? { workerDeployment: versioning.version.deploymentName, buildId: versioning.version.buildId } : { versioning: 'off' }),
  });
  // Runtime's default shutdownSignals (SIGINT, SIGTERM, SIGQUIT, SIGUSR2) call worker.shutdown(): run() resolves
  // once polling stopped and running activities finished or the grace time ran out.
  await worker.run();
  logger.info('lp-archive worker stopped');
  health.stop();
  await census?.stop();
  await healthServer?.close();
  observability.close();
  await connection.close();
}

if (require.main === module) {
  runWorker().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(redactSecrets(err instanceof Error ? err.message : String(err)));
      process.exit(1);
    },
  );
}
