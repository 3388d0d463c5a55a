import type { DataConverter } from '@temporalio/common';
import {
  Worker,
  type ActivityInterceptorsFactory,
  type NativeConnection,
  type WorkerDeploymentOptions,
  type WorkerOptions,
} from '@temporalio/worker';
import { createActivities } from '../activities';
import { makeCleanupStaged, type CleanupPort } from '../activities/cleanup-staged';
import type { StagingPort } from '../activities/ports';
import { ActivitySlots } from './activity-slots';
import { buildActivityDeps } from './build-deps';
import { activityErrorInterceptor } from './error-interceptor';

type Env = Readonly<Record<string, string | undefined>>;

/** What a connector worker is made of; the production worker, the test harness and the bench all build it here. */
export interface ConnectorWorkerSpec {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly staging: StagingPort & CleanupPort;
  /** Where the connectors' secrets are read (`<credentialsRef>_CLIENT_ID`, ...). */
  readonly env: Env;
  /** A bundle made ahead of time (production), else the sources are bundled at start. */
  readonly workflowBundlePath?: string;
  /** Counted (see ActivitySlots) when given; otherwise the SDK's default, uncounted. */
  readonly maxConcurrentActivities?: number;
  readonly dataConverter?: DataConverter;
  /** Run before ours (metrics, logging). */
  readonly activityInterceptors?: readonly ActivityInterceptorsFactory[];
  /** The cleanup activity's default retention (LPA_RETENTION_DAYS); none: it deletes nothing. */
  readonly retentionDays?: number;
  readonly shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /** How the server lists this worker among its pollers (health checks look for it); default the SDK's `pid@host`. */
  readonly identity?: string;
  /** Worker Versioning (opt-in, LPA_WORKER_DEPLOYMENT_NAME); unversioned when absent. */
  readonly workerDeploymentOptions?: WorkerDeploymentOptions;
}

/** The connector activities with the worker's shared runtime (memory budgets, slot count). */
export function connectorActivities(staging: StagingPort & CleanupPort, env: Env, slots?: ActivitySlots, retentionDays?: number) {
  return {
    ...createActivities({
      ...buildActivityDeps(staging, env, slots ? { slots } : {}),
      ...(retentionDays !== undefined ? { retentionDays } : {}),
    }),
    cleanupStaged: makeCleanupStaged(staging, retentionDays),
  };
}

/** Worker options of a connector worker: workflows, activities, interceptors and the slot count, assembled once. */
export function connectorWorkerOptions(spec: ConnectorWorkerSpec): WorkerOptions {
  const slots = spec.maxConcurrentActivities !== undefined ? new ActivitySlots(spec.maxConcurrentActivities) : undefined;
  return {
    connection: spec.connection,
    namespace: spec.namespace,
    taskQueue: spec.taskQueue,
    // A bundle made ahead of time keeps webpack out of the worker (faster start, ~100 MB less peak memory).
    ...(spec.workflowBundlePath
      ? { workflowBundle: { codePath: spec.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: connectorActivities(spec.staging, spec.env, slots, spec.retentionDays),
    ...(slots ? { maxConcurrentActivityTaskExecutions: slots.capacity } : {}),
    ...(spec.dataConverter ? { dataConverter: spec.dataConverter } : {}),
    interceptors: {
      activity: [...(spec.activityInterceptors ?? []), ...(slots ? [slots.interceptor] : []), activityErrorInterceptor],
    },
    ...(spec.shutdownGraceTime !== undefined ? { shutdownGraceTime: spec.shutdownGraceTime } : {}),
    ...(spec.identity !== undefined ? { identity: spec.identity } : {}),
    ...(spec.workerDeploymentOptions ? { workerDeploymentOptions: spec.workerDeploymentOptions } : {}),
  };
}

/** Creates a connector worker (not yet running). */
export function createConnectorWorker(spec: ConnectorWorkerSpec): Promise<Worker> {
  return Worker.create(connectorWorkerOptions(spec));
}
