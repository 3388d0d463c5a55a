import type { VersioningBehavior } from '@temporalio/common';
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { WorkerEnvError } from './worker-env';

type Env = Readonly<Record<string, string | undefined>>;

/** The environment variables of Worker Versioning (opt-in; see docs/production.md, "Upgrades"). */
export const WORKER_VERSIONING_ENV = {
  /** Turns versioning on: the Worker Deployment this worker belongs to, e.g. `lp-archive`. */
  deploymentName: 'LPA_WORKER_DEPLOYMENT_NAME',
  /** The build id of this worker's code; overrides the one baked into the image. */
  buildId: 'LPA_WORKER_BUILD_ID',
  /** Set by the container image from its `LPA_BUILD_ID` build argument (the release). */
  imageBuildId: 'LPA_IMAGE_BUILD_ID',
  /** `auto-upgrade` (default) or `pinned`: what running workflows do when a new version becomes current. */
  behavior: 'LPA_WORKER_VERSIONING_BEHAVIOR',
} as const;

const BEHAVIORS: Readonly<Record<string, VersioningBehavior>> = {
  'auto-upgrade': 'AUTO_UPGRADE',
  auto_upgrade: 'AUTO_UPGRADE',
  pinned: 'PINNED',
};

/** Temporal refuses longer deployment names and build ids. */
const MAX_LENGTH = 255;

/**
 * Worker Versioning (Temporal Worker Deployments, SDK 1.24 `workerDeploymentOptions`) from the environment;
 * `undefined` (unversioned, the default) unless `LPA_WORKER_DEPLOYMENT_NAME` is set.
 *
 * Connector workflows never end (they continue-as-new), so the default behaviour is AUTO_UPGRADE: once a
 * new version is made current, running connectors move to it at their next workflow task, and changes to
 * workflow code still need `patched()`. PINNED keeps each run on the version it started on; a connector's
 * continue-as-new carries the pin, so old workers must keep running until every connector is moved.
 *
 * @throws WorkerEnvError naming the variable and the fix
 */
export function workerDeploymentFromEnv(env: Env = process.env): WorkerDeploymentOptions | undefined {
  const deploymentName = nonEmpty(env[WORKER_VERSIONING_ENV.deploymentName]);
  if (deploymentName === undefined) return undefined;
  const buildId = nonEmpty(env[WORKER_VERSIONING_ENV.buildId]) ?? nonEmpty(env[WORKER_VERSIONING_ENV.imageBuildId]);
  if (buildId === undefined) {
    throw new WorkerEnvError(
      `${WORKER_VERSIONING_ENV.deploymentName} is set (Worker Versioning on) but no build id is: set ${WORKER_VERSIONING_ENV.buildId} to this release (e.g. the image tag), or build the image with --build-arg LPA_BUILD_ID=<release>.`,
    );
  }
  for (const [name, value] of [
    [WORKER_VERSIONING_ENV.deploymentName, deploymentName],
    ['the build id', buildId],
  ] as const) {
    if (value.length > MAX_LENGTH) throw new WorkerEnvError(`${name} is longer than ${MAX_LENGTH} characters: shorten it.`);
  }
  const behaviorText = nonEmpty(env[WORKER_VERSIONING_ENV.behavior])?.toLowerCase() ?? 'auto-upgrade';
  const defaultVersioningBehavior = BEHAVIORS[behaviorText];
  if (defaultVersioningBehavior === undefined) {
    throw new WorkerEnvError(
      `${WORKER_VERSIONING_ENV.behavior} must be auto-upgrade or pinned, got "${env[WORKER_VERSIONING_ENV.behavior]}": unset it for auto-upgrade.`,
    );
  }
  return { version: { deploymentName, buildId }, useWorkerVersioning: true, defaultVersioningBehavior };
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t === undefined || t === '' ? undefined : t;
}
