import type { DataConverter } from '@temporalio/common';
import {
  Worker,
  type ActivityInterceptorsFactory,
  type NativeConnection,
  type WorkerDeploymentOptions,
  type WorkerOptions,
} from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { createActivities } from '../activities';
import { makeFollowLive } from '../activities/follow-live';
import type { ActivityDeps } from '../activities/ports';
import { makeWatchClosed } from '../activities/watch-closed';
import { upgradeConfig, watchTaskQueue } from '../model';
import { makeCleanupStaged, type CleanupPort } from '../activities/cleanup-staged';
import type { StagingPort } from '../activities/ports';
import { ActivitySlots } from './activity-slots';
import { buildActivityDeps } from './build-deps';
import { activityErrorInterceptor } from './error-interceptor';
import { temporalFollowLease } from './follow-lease';

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

/**
 * What both task queues' activities share: clients, Graph's per-mailbox limiters, the memory budgets, the slot
 * count. The live follower runs the pipeline's steps on the watch queue within the same limits as the pipeline.
 */
export function workerDeps(staging: StagingPort, env: Env, slots?: ActivitySlots, retentionDays?: number): ActivityDeps {
  return {
    ...buildActivityDeps(staging, env, slots ? { slots } : {}),
    ...(retentionDays !== undefined ? { retentionDays } : {}),
  };
}

/** The connector activities with the worker's shared runtime (memory budgets, slot count). */
export function connectorActivities(
  staging: StagingPort & CleanupPort,
  env: Env,
  slots?: ActivitySlots,
  retentionDays?: number,
  deps?: ActivityDeps,
) {
  return {
    ...createActivities(deps ?? workerDeps(staging, env, slots, retentionDays)),
    cleanupStaged: makeCleanupStaged(staging, retentionDays),
  };
}

/** The pipeline queue's slots and the dependencies both queues share. */
interface SharedRuntime {
  readonly slots?: ActivitySlots;
  readonly deps: ActivityDeps;
}

function sharedRuntime(spec: ConnectorWorkerSpec): SharedRuntime {
  const slots = spec.maxConcurrentActivities !== undefined ? new ActivitySlots(spec.maxConcurrentActivities) : undefined;
  return { ...(slots ? { slots } : {}), deps: workerDeps(spec.staging, spec.env, slots, spec.retentionDays) };
}

/** Worker options of a connector worker: workflows, activities, interceptors and the slot count, assembled once. */
export function connectorWorkerOptions(spec: ConnectorWorkerSpec, shared: SharedRuntime = sharedRuntime(spec)): WorkerOptions {
  const { slots } = shared;
  return {
    connection: spec.connection,
    namespace: spec.namespace,
    taskQueue: spec.taskQueue,
    // A bundle made ahead of time keeps webpack out of the worker (faster start, ~100 MB less peak memory).
    ...(spec.workflowBundlePath
      ? { workflowBundle: { codePath: spec.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: connectorActivities(spec.staging, spec.env, slots, spec.retentionDays, shared.deps),
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

/** Watches (long polls of idle live connectors) one worker runs at once: they sleep between LivePerson searches. */
export const WATCH_SLOTS = 2000;

/**
 * Worker options of the watch task queue (`<taskQueue>-watch`): the live followers (and the watches of runs from
 * before them), their own slots, so that a thousand live connectors never take the pipeline's. On shutdown a
 * follower finishes the window it is in and returns (the grace time is the pipeline's).
 */
export function watchWorkerOptions(spec: ConnectorWorkerSpec, shared: SharedRuntime = sharedRuntime(spec)): WorkerOptions {
  const watchClosed = makeWatchClosed(shared.deps);
  const followLive = makeFollowLive(
    shared.deps,
    temporalFollowLease(new Client({ connection: spec.connection, namespace: spec.namespace })),
  );
  return {
    connection: spec.connection,
    namespace: spec.namespace,
    taskQueue: watchTaskQueue(spec.taskQueue),
    activities: {
      watchClosed: (input: Parameters<typeof watchClosed>[0]) => watchClosed({ ...input, config: upgradeConfig(input.config) }),
      followLive: (input: Parameters<typeof followLive>[0]) => followLive({ ...input, config: upgradeConfig(input.config) }),
    },
    maxConcurrentActivityTaskExecutions: WATCH_SLOTS,
    ...(spec.dataConverter ? { dataConverter: spec.dataConverter } : {}),
    interceptors: { activity: [...(spec.activityInterceptors ?? []), activityErrorInterceptor] },
    ...(spec.shutdownGraceTime !== undefined ? { shutdownGraceTime: spec.shutdownGraceTime } : {}),
    ...(spec.identity !== undefined ? { identity: spec.identity } : {}),
    ...(spec.workerDeploymentOptions ? { workerDeploymentOptions: spec.workerDeploymentOptions } : {}),
  };
}

/**
 * A connector worker: the pipeline's task queue (workflows and page activities) and the watch task queue, run and
 * shut down together. It offers what callers use of a Temporal Worker.
 */
export class ConnectorWorker {
  constructor(
    readonly main: Worker,
    readonly watch: Worker,
  ) {}

  getState(): ReturnType<Worker['getState']> {
    return this.main.getState();
  }

  getStatus(): ReturnType<Worker['getStatus']> {
    return this.main.getStatus();
  }

  /** Stops polling both task queues; run() resolves once both have drained. */
  shutdown(): void {
    for (const w of [this.main, this.watch]) if (w.getState() === 'RUNNING') w.shutdown();
  }

  /** Runs both until shutdown; if either stops (or fails), the other is shut down too. */
  async run(): Promise<void> {
    return this.alongside(() => this.main.run());
  }

  /** Runs both until `fn` settles (as Worker.runUntil), then shuts both down. */
  async runUntil<R>(fn: Promise<R> | (() => Promise<R>)): Promise<R> {
    return this.alongside(() => this.main.runUntil(fn));
  }

  private async alongside<R>(runMain: () => Promise<R>): Promise<R> {
    const watching = this.watch.run().finally(() => {
      if (this.main.getState() === 'RUNNING') this.main.shutdown();
    });
    try {
      return await runMain();
    } finally {
      if (this.watch.getState() === 'RUNNING') this.watch.shutdown();
      await watching;
    }
  }
}

/** Creates a connector worker (not yet running): both task queues. */
export async function createConnectorWorker(spec: ConnectorWorkerSpec): Promise<ConnectorWorker> {
  const shared = sharedRuntime(spec);
  return new ConnectorWorker(
    await Worker.create(connectorWorkerOptions(spec, shared)),
    await Worker.create(watchWorkerOptions(spec, shared)),
  );
}
