/**
 * The Helm chart (deploy/helm/lp-archive), linted and rendered by the pinned Helm (built from the Go module
 * proxy into .tools/bin when missing) with its defaults, the Temporal Cloud values file and the optional
 * parts switched on; the rendered objects are checked field by field.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { IMAGE_HEALTH_PORT } from '../../src/config/observability-env';
import { WORKER_SHUTDOWN_GRACE_SECONDS } from '../../src/config/worker-env';
import { HEALTH_PATHS } from '../../src/observability/health-server';
import { DEFAULT_HEARTBEAT_TIMEOUT_MS } from '../../src/workflows/activities-proxy';
import { ensureHelm } from '../../scripts/lib/helm';
import { readDockerfile, stageEnv } from '../support/dockerfile';

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const CHART = path.join(ROOT, 'deploy', 'helm', 'lp-archive');
const CLOUD_VALUES = path.join(CHART, 'values-temporal-cloud.yaml');

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call -- rendered Kubernetes objects are read as plain data */
type K8sObject = {
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: any;
};
type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };

let helm: string;

async function render(...args: string[]): Promise<K8sObject[]> {
  const { stdout } = await execFileAsync(helm, ['template', 'lpa', CHART, ...args], { timeout: 60_000 });
  return parseAllDocuments(stdout)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

const only = (objects: K8sObject[], kind: string, nameEnd: string): K8sObject => {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name.endsWith(nameEnd));
  expect(found).toHaveLength(1);
  return found[0]!;
};
const container = (deployment: K8sObject, name: string): any => deployment.spec.template.spec.containers.find((c: any) => c.name === name);
const envOf = (c: any): Map<string, EnvVar> => new Map((c.env as EnvVar[]).map((e) => [e.name, e]));

/** Every source file's text: an environment variable the chart sets must be one the code reads. */
function sourcesMention(name: string): boolean {
  const dirs = [path.join(ROOT, 'src'), path.join(ROOT, 'node_modules', '@temporalio', 'envconfig', 'lib')];
  const files = dirs.flatMap((d) => (fs.readdirSync(d, { recursive: true }) as string[]).map((f) => path.join(d, f)));
  return files.some((f) => /\.(ts|js)$/.test(f) && fs.readFileSync(f, 'utf8').includes(name));
}

beforeAll(async () => {
  helm = await ensureHelm({ log: () => undefined });
}, 900_000);

describe('Helm chart deploy/helm/lp-archive', () => {
  it('passes helm lint with its defaults and with the Temporal Cloud values', async () => {
    for (const args of [[], ['-f', CLOUD_VALUES]]) {
      const { stdout } = await execFileAsync(helm, ['lint', '--strict', CHART, ...args], { timeout: 60_000 });
      expect(stdout).toContain('0 chart(s) failed');
    }
  });

  describe('rendered with its defaults', () => {
    let objects: K8sObject[];
    let worker: K8sObject;
    beforeAll(async () => {
      objects = await render();
      worker = only(objects, 'Deployment', '-worker');
    });

    it('probes the worker health endpoint: live at /livez, ready at /readyz, on the port the image serves them', () => {
      const c = container(worker, 'worker');
      const health = c.ports.find((p: any) => p.name === 'health');
      expect(health.containerPort).toBe(IMAGE_HEALTH_PORT);
      expect(c.livenessProbe.httpGet).toEqual({ path: HEALTH_PATHS.liveness, port: 'health' });
      expect(c.readinessProbe.httpGet).toEqual({ path: HEALTH_PATHS.readiness, port: 'health' });
      expect(envOf(c).get('LPA_HEALTH_PORT')?.value).toBe(String(IMAGE_HEALTH_PORT));
      expect(envOf(c).get('LPA_HEALTH_HOST')?.value).toBe('0.0.0.0');
    });

    it('runs as the image user, non-root, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
      const pod = worker.spec.template.spec;
      const imageUser = readDockerfile(path.join(ROOT, 'Dockerfile'))
        .stages.at(-1)!
        .instructions.filter((i) => i.keyword === 'USER')
        .at(-1)!.args[0]!;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(`${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`).toBe(imageUser);
      expect(container(worker, 'worker').securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
    });

    it("gives the image's TMPDIR a writable emptyDir, the only writable path", () => {
      const tmp = stageEnv(readDockerfile(path.join(ROOT, 'Dockerfile')).stages.at(-1)!).get('TMPDIR');
      const mount = container(worker, 'worker').volumeMounts.find((m: any) => m.mountPath === tmp);
      const volume = worker.spec.template.spec.volumes.find((v: any) => v.name === mount?.name);
      expect(volume?.emptyDir).toBeDefined();
    });

    it('waits longer on termination than the shutdown grace plus the longest heartbeat timeout', () => {
      expect(worker.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(
        WORKER_SHUTDOWN_GRACE_SECONDS + DEFAULT_HEARTBEAT_TIMEOUT_MS / 1000,
      );
    });

    it('keeps a worker polling through voluntary disruptions and rolling updates', () => {
      expect(worker.spec.replicas).toBeGreaterThanOrEqual(2);
      expect(worker.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
      const pdb = only(objects, 'PodDisruptionBudget', '-worker');
      expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
      expect(pdb.spec.minAvailable).toBeLessThan(worker.spec.replicas);
      expect(worker.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
    });

    it('sizes the worker from the bench: memory above the 390 MB peak of 50 connectors, CPU up to 2 cores', () => {
      const { requests, limits } = container(worker, 'worker').resources;
      const mib = (q: string): number => Number(/^(\d+)Mi$/.exec(q)![1]);
      expect(mib(requests.memory) * 2 ** 20).toBeGreaterThan(390e6);
      expect(mib(limits.memory)).toBeGreaterThan(mib(requests.memory));
      expect(limits.cpu).toBe('2');
      expect(envOf(container(worker, 'worker')).get('LPA_MAX_CONCURRENT_ACTIVITIES')?.value).toBe('16');
      expect(envOf(container(worker, 'worker')).get('LPA_ITEM_MEMORY_MB')?.value).toBe('64');
    });

    it('lets Prometheus scrape the metrics port the worker binds on all interfaces', () => {
      const annotations = worker.spec.template.metadata.annotations;
      expect(annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9464', 'prometheus.io/path': '/metrics' });
      expect(envOf(container(worker, 'worker')).get('LPA_METRICS_HOST')?.value).toBe('0.0.0.0');
    });

    it('sets only environment variables the code reads', () => {
      const names = [...envOf(container(worker, 'worker')).keys()];
      expect(names.filter((n) => !sourcesMention(n))).toEqual([]);
    });

    it('renders no codec server, no ServiceMonitor and no versioning unless asked', () => {
      expect(objects.filter((o) => o.metadata.name.includes('codec-server'))).toEqual([]);
      expect(objects.filter((o) => o.kind === 'ServiceMonitor')).toEqual([]);
      expect(envOf(container(worker, 'worker')).has('LPA_WORKER_DEPLOYMENT_NAME')).toBe(false);
    });
  });

  describe('rendered for Temporal Cloud (values-temporal-cloud.yaml)', () => {
    it('connects to <namespace>.<account>.tmprl.cloud:7233 over TLS with an API key from a Secret', async () => {
      const env = envOf(container(only(await render('-f', CLOUD_VALUES), 'Deployment', '-worker'), 'worker'));
      const address = env.get('TEMPORAL_ADDRESS')!.value!;
      expect(address).toMatch(/^[a-z0-9-]+\.[a-z0-9]+\.tmprl\.cloud:7233$/);
      expect(env.get('TEMPORAL_NAMESPACE')?.value).toBe(address.replace(/\.tmprl\.cloud:7233$/, ''));
      expect(env.get('TEMPORAL_TLS')?.value).toBe('true');
      expect(env.get('TEMPORAL_API_KEY')).toEqual({
        name: 'TEMPORAL_API_KEY',
        valueFrom: { secretKeyRef: { name: 'temporal-cloud-api-key', key: 'api-key' } },
      });
    });

    it('connects with mTLS instead: the client certificate Secret mounted read-only and named by path', async () => {
      const worker = only(
        await render(
          '-f',
          CLOUD_VALUES,
          '--set',
          'temporal.apiKey.secretName=',
          '--set',
          'temporal.tls.clientCertSecret=temporal-client-cert',
        ),
        'Deployment',
        '-worker',
      );
      const c = container(worker, 'worker');
      const env = envOf(c);
      expect(env.has('TEMPORAL_API_KEY')).toBe(false);
      const mount = c.volumeMounts.find((m: any) => env.get('TEMPORAL_TLS_CLIENT_CERT_PATH')!.value!.startsWith(`${m.mountPath}/`));
      expect(mount.readOnly).toBe(true);
      expect(env.get('TEMPORAL_TLS_CLIENT_KEY_PATH')!.value!.startsWith(`${mount.mountPath}/`)).toBe(true);
      const volume = worker.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
      expect(volume.secret.secretName).toBe('temporal-client-cert');
    });
  });

  describe('rendered with every optional part on and every secret named', () => {
    let objects: K8sObject[];
    beforeAll(async () => {
      objects = await render(
        '-f',
        CLOUD_VALUES,
        '--set',
        [
          'image.tag=1.4.0',
          'codecServer.enabled=true',
          'codecServer.oidc.issuer=https://login.microsoftonline.com/00000000-0000-0000-0000-000000000002/v2.0',
          'codecServer.oidc.audience=api://lp-archive-codec',
          'codecServer.oidc.allowedGroups=00000000-0000-0000-0000-000000000003',
          'codecServer.corsOrigins=https://cloud.temporal.io',
          'codec.keysSecret=codec-keys',
          'codec.activeKey=k2',
          'metrics.serviceMonitor.enabled=true',
          'worker.versioning.enabled=true',
          'worker.credentialsSecrets={lp-archive-credentials}',
          'storage.connectionStringSecret.name=storage',
          'azureWorkloadIdentity.enabled=true',
          'azureWorkloadIdentity.clientId=00000000-0000-0000-0000-000000000001',
          'temporal.tls.serverCaSecret=temporal-ca',
        ].join(','),
      );
    });

    it('holds no secret value: no Secret object, and every secret-like variable comes from a secretKeyRef', () => {
      expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
      const secretLike = /SECRET|TOKEN|PASSWORD|API_KEY|CONNECTION_STRING|CODEC_KEYS$/;
      for (const d of objects.filter((o) => o.kind === 'Deployment')) {
        for (const c of d.spec.template.spec.containers) {
          for (const e of c.env as EnvVar[]) if (secretLike.test(e.name)) expect({ [e.name]: e.value }).toEqual({ [e.name]: undefined });
          for (const e of (c.env as EnvVar[]).filter((x) => secretLike.test(x.name))) expect(e.valueFrom?.secretKeyRef?.name).toBeTruthy();
        }
      }
      const worker = container(only(objects, 'Deployment', '-worker'), 'worker');
      expect(worker.envFrom).toEqual([{ secretRef: { name: 'lp-archive-credentials' } }]);
      expect(envOf(worker).get('LPA_CODEC_KEYS_FILE')?.value).toMatch(/^\/etc\/lp-archive\/codec\//);
    });

    it('runs the codec server from the same image, hardened the same way, with its OpenID Connect settings, behind a ClusterIP Service', () => {
      const codec = only(objects, 'Deployment', '-codec-server');
      const c = container(codec, 'codec-server');
      expect(c.command).toEqual(['node', 'dist/src/codec-server.js']);
      expect(c.image).toBe(container(only(objects, 'Deployment', '-worker'), 'worker').image);
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(envOf(c).get('LPA_CODEC_OIDC_AUDIENCE')?.value).toBe('api://lp-archive-codec');
      expect(envOf(c).get('LPA_CODEC_KEYS_FILE')?.value).toMatch(/^\/etc\/lp-archive\/codec\//);
      expect([...envOf(c).keys()].filter((n) => !sourcesMention(n))).toEqual([]);
      const svc = only(objects, 'Service', '-codec-server');
      expect(svc.spec.type).toBe('ClusterIP');
      expect(codec.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
    });

    it('scrapes through a ServiceMonitor whose Service selects the worker pods', () => {
      const monitor = only(objects, 'ServiceMonitor', '-worker');
      const svc = only(objects, 'Service', '-worker-metrics');
      expect(svc.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
      expect(only(objects, 'Deployment', '-worker').spec.template.metadata.labels).toMatchObject(svc.spec.selector);
      expect(monitor.spec.endpoints[0]).toMatchObject({ port: 'metrics', path: '/metrics' });
    });

    it("versions the workers with the image tag as build id, and uses the pod's workload identity", () => {
      const worker = only(objects, 'Deployment', '-worker');
      const env = envOf(container(worker, 'worker'));
      expect(env.get('LPA_WORKER_DEPLOYMENT_NAME')?.value).toBe('lp-archive');
      expect(env.get('LPA_WORKER_BUILD_ID')?.value).toBe('1.4.0');
      expect(env.get('LPA_WORKER_VERSIONING_BEHAVIOR')?.value).toBe('auto-upgrade');
      expect(worker.spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
      expect(only(objects, 'ServiceAccount', '').metadata.annotations).toEqual({
        'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000001',
      });
    });
  });

  it('leaves the PodDisruptionBudget out for a single worker, where it would block every node drain', async () => {
    const objects = await render('--set', 'worker.replicas=1');
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
  });
});
