import { WorkerEnvError } from '../../src/config/worker-env';
import { workerDeploymentFromEnv } from '../../src/config/worker-versioning';

describe('Worker Versioning from the environment (opt-in)', () => {
  it('leaves the worker unversioned unless a deployment name is set, whatever else is', () => {
    expect(workerDeploymentFromEnv({})).toBeUndefined();
    expect(workerDeploymentFromEnv({ LPA_WORKER_DEPLOYMENT_NAME: '', LPA_IMAGE_BUILD_ID: '1.4.0' })).toBeUndefined();
    expect(workerDeploymentFromEnv({ LPA_WORKER_BUILD_ID: '1.4.0' })).toBeUndefined();
  });

  it("versions with the image's build id, auto-upgrading running connectors by default", () => {
    expect(workerDeploymentFromEnv({ LPA_WORKER_DEPLOYMENT_NAME: 'lp-archive', LPA_IMAGE_BUILD_ID: '1.4.0' })).toEqual({
      version: { deploymentName: 'lp-archive', buildId: '1.4.0' },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    });
  });

  it('prefers an explicit build id over the image one, and takes pinned when asked', () => {
    expect(
      workerDeploymentFromEnv({
        LPA_WORKER_DEPLOYMENT_NAME: 'lp-archive',
        LPA_IMAGE_BUILD_ID: '1.4.0',
        LPA_WORKER_BUILD_ID: '1.4.0-hotfix',
        LPA_WORKER_VERSIONING_BEHAVIOR: 'Pinned',
      }),
    ).toEqual({
      version: { deploymentName: 'lp-archive', buildId: '1.4.0-hotfix' },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'PINNED',
    });
  });

  it('refuses versioning without a build id, and an unknown behaviour, saying what to set', () => {
    expect(() => workerDeploymentFromEnv({ LPA_WORKER_DEPLOYMENT_NAME: 'lp-archive' })).toThrow(WorkerEnvError);
    expect(() => workerDeploymentFromEnv({ LPA_WORKER_DEPLOYMENT_NAME: 'lp-archive' })).toThrow(
      /no build id.*LPA_WORKER_BUILD_ID.*--build-arg LPA_BUILD_ID/,
    );
    expect(() =>
      workerDeploymentFromEnv({
        LPA_WORKER_DEPLOYMENT_NAME: 'lp-archive',
        LPA_WORKER_BUILD_ID: '1',
        LPA_WORKER_VERSIONING_BEHAVIOR: 'sticky',
      }),
    ).toThrow(/LPA_WORKER_VERSIONING_BEHAVIOR must be auto-upgrade or pinned, got "sticky"/);
    expect(() => workerDeploymentFromEnv({ LPA_WORKER_DEPLOYMENT_NAME: 'x'.repeat(256), LPA_WORKER_BUILD_ID: '1' })).toThrow(
      /LPA_WORKER_DEPLOYMENT_NAME is longer than 255/,
    );
  });
});
