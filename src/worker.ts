/**
 * The lp-archive worker: runs connector workflows and their activities on one task queue. Scale out by
 * running more of these against the same Temporal namespace and task queue.
 */
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { buildActivityDeps } from './activities/build-deps';
import { createActivities } from './activities';
import { metricsPortFromEnv, storageConfigFromEnv, temporalConnectConfig } from './config/worker-env';
import { BlobStaging } from './storage/blob-staging';

export async function runWorker(): Promise<void> {
  const metricsPort = metricsPortFromEnv();
  if (metricsPort !== undefined) {
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } } });
  }
  const temporal = temporalConnectConfig();
  const staging = new BlobStaging(storageConfigFromEnv());
  await staging.ensureContainers();
  const connection = await NativeConnection.connect(temporal.connectionOptions);
  const worker = await Worker.create({
    connection,
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    workflowsPath: require.resolve('./workflows'),
    activities: createActivities(buildActivityDeps(staging)),
    shutdownGraceTime: '30s',
  });
  console.log(`lp-archive worker polling task queue "${temporal.taskQueue}" in namespace "${temporal.namespace}"`);
  await worker.run();
  await connection.close();
}

if (require.main === module) {
  runWorker().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
