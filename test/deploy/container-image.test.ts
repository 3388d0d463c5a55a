/**
 * The container image without a container engine: the Dockerfile's build context and stages are checked
 * against the repository, the build stage's commands are run here, the runtime stage's files are laid out
 * as its COPY lines say (production dependencies only, from the lockfile), and the image's command is
 * started with the image's environment until it is ready.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { RECOMMENDED_MALLOC_ENV, RECOMMENDED_NODE_FLAGS } from '../../src/config/worker-env';
import { IMAGE_HEALTH_PORT } from '../../src/config/observability-env';
import { HEALTH_PATHS } from '../../src/observability/health-server';
import { findFreePort } from '../../scripts/lib/ports';
import { eventually, TEST_ENV } from '../support/connector-harness';
import { readDockerfile, stageEnv, workdirOf, type Stage } from '../support/dockerfile';
import { testServices, uniqueId } from '../setup/services';

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const dockerfile = readDockerfile(path.join(ROOT, 'Dockerfile'));
const stage = (name: string): Stage => {
  const s = dockerfile.stages.find((x) => x.name === name);
  if (!s) throw new Error(`Dockerfile has no stage "${name}"`);
  return s;
};
const runtime = dockerfile.stages.at(-1)!;
const runtimeWorkdir = workdirOf(runtime);
const copies = (s: Stage) => s.instructions.filter((i) => i.keyword === 'COPY');
const runs = (s: Stage) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.text);
const cmd = runtime.instructions.filter((i) => i.keyword === 'CMD').at(-1);

/** Top-level packages `npm ci --omit=dev` installs, from the lockfile (nested ones come inside them). */
function productionPackages(): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([key, meta]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(key) && !meta.dev)
    .map(([key]) => key.slice('node_modules/'.length));
}

/** Hard-links a file or a tree (fast, no copy of the bytes; the image root is thrown away after). */
async function link(from: string, to: string): Promise<void> {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  await execFileAsync('cp', ['-al', from, to]);
}

/** Every file under `dir`, relative, skipping node_modules (nothing there is written at run time either). */
function filesUnder(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = path.join(rel, e.name);
    if (e.isDirectory()) return p === 'node_modules' ? [p] : filesUnder(dir, p);
    return [p];
  });
}

describe('container image (Dockerfile, .dockerignore)', () => {
  it('builds in stages: compile and bundle, production dependencies, runtime', () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['build', 'prod-deps', 'runtime']);
    expect(runs(stage('build')).join(' && ')).toMatch(/npm ci\b.*npm run build && npm run bundle:workflows -- --out \S+/);
    expect(runs(stage('prod-deps')).join(' && ')).toMatch(/npm ci --omit=dev/);
    // Only the runtime stage's own files reach the image: nothing from the build context directly.
    expect(copies(runtime).every((c) => c.from === 'build' || c.from === 'prod-deps')).toBe(true);
  });

  it('runs as a non-root numeric user, node itself as PID 1 with the recommended flags, on a read-only root', () => {
    const user = runtime.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args[0] ?? 'root';
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    // Exec form: no shell in between, so SIGTERM reaches node (the Temporal runtime drains on it).
    expect(cmd?.json).toEqual(['node', ...RECOMMENDED_NODE_FLAGS, 'dist/src/worker.js']);
    expect(runtime.instructions.some((i) => i.keyword === 'ENTRYPOINT')).toBe(false);
    const env = stageEnv(runtime);
    for (const [k, v] of Object.entries(RECOMMENDED_MALLOC_ENV)) expect(env.get(k)).toBe(v);
    expect(env.get('TMPDIR')).toBe('/tmp');
    expect(env.get('LPA_HEALTH_PORT')).toBe(String(IMAGE_HEALTH_PORT));
    expect(env.get('LPA_METRICS_HOST')).toBe('0.0.0.0');
    const healthcheck = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.text ?? '';
    expect(healthcheck).toContain(`:${IMAGE_HEALTH_PORT}${HEALTH_PATHS.liveness}`);
  });

  it('keeps dependencies, build output, tools and secrets out of the build context', () => {
    const ignored = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', 'dist', '.tools', '.stack', '.env']));
  });

  describe('built here as the build stage does', () => {
    let imageRoot: string;
    let tmp: string;
    let child: ChildProcess | undefined;
    const lines: string[] = [];
    const buildId = uniqueId('build');

    beforeAll(async () => {
      // The build stage copies the whole context into its WORKDIR, which therefore stands for this checkout.
      expect(copies(stage('build')).some((c) => c.args.join(' ') === '. .')).toBe(true);
      const build = runs(stage('build')).find((r) => r.includes('npm run build'))!;
      await execFileAsync('sh', ['-c', build], { cwd: ROOT, timeout: 240_000 });
      fs.mkdirSync(path.join(ROOT, 'test-output'), { recursive: true });
      imageRoot = fs.mkdtempSync(path.join(ROOT, 'test-output', 'image-'));
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-archive-image-tmp-'));
    }, 300_000);

    afterAll(async () => {
      if (child && child.exitCode === null) {
        child.kill('SIGKILL');
        await new Promise((r) => child!.once('exit', r));
      }
      if (imageRoot) fs.rmSync(imageRoot, { recursive: true, force: true });
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('copies only paths that exist after npm run build and the bundle step', async () => {
      for (const c of [...copies(stage('build')), ...copies(stage('prod-deps'))]) {
        for (const src of c.args.slice(0, -1)) expect(fs.existsSync(path.join(ROOT, src))).toBe(true);
      }
      for (const c of copies(runtime)) {
        const [src, dest] = [c.args[0]!, c.args.at(-1)!];
        const from = workdirOf(stage(c.from!));
        expect(src.startsWith(`${from}/`)).toBe(true);
        const inCheckout = path.join(ROOT, src.slice(from.length + 1));
        expect(fs.existsSync(inCheckout)).toBe(true);
        const target = path.join(imageRoot, path.relative(runtimeWorkdir, path.resolve(runtimeWorkdir, dest)));
        if (c.from === 'prod-deps' && src.endsWith('/node_modules')) {
          // What `npm ci --omit=dev` would install: the lockfile's non-dev packages, nothing else.
          for (const pkg of productionPackages()) {
            if (fs.existsSync(path.join(inCheckout, pkg))) await link(path.join(inCheckout, pkg), path.join(target, pkg));
          }
        } else {
          await link(inCheckout, target);
        }
      }
      expect(fs.existsSync(path.join(imageRoot, 'node_modules', 'typescript'))).toBe(false);
      expect(fs.existsSync(path.join(imageRoot, 'node_modules', '@temporalio', 'worker'))).toBe(true);
    });

    it("starts the image's command from the built output with the image's environment and becomes ready", async () => {
      const services = testServices();
      const [healthPort, metricsPort] = [await findFreePort(), await findFreePort()];
      const imageEnv = Object.fromEntries(
        [...stageEnv(runtime, { LPA_BUILD_ID: buildId })].map(([k, v]) => [
          k,
          v.startsWith(`${runtimeWorkdir}/`) ? path.join(imageRoot, v.slice(runtimeWorkdir.length + 1)) : v === '/tmp' ? tmp : v,
        ]),
      );
      const deploymentName = uniqueId('lpa-deploy');
      const taskQueue = uniqueId('tq-image');
      const before = filesUnder(imageRoot).sort();
      const [command, ...args] = cmd!.json!;
      expect(command).toBe('node');
      child = spawn(process.execPath, args, {
        cwd: imageRoot,
        // Only what the image and a Helm install would give it: no developer or jest variables leak in.
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: tmp,
          ...imageEnv,
          LPA_HEALTH_PORT: String(healthPort),
          LPA_METRICS_PORT: String(metricsPort),
          TEMPORAL_ADDRESS: services.temporalAddress,
          TEMPORAL_NAMESPACE: services.temporalNamespace,
          AZURE_STORAGE_CONNECTION_STRING: services.azuriteConnectionString,
          LPA_CONTAINER_PREFIX: `${uniqueId('img')}-`,
          LPA_TASK_QUEUE: taskQueue,
          LPA_WORKER_DEPLOYMENT_NAME: deploymentName,
          ...TEST_ENV,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      for (const stream of [child.stdout!, child.stderr!]) readline.createInterface({ input: stream }).on('line', (l) => lines.push(l));

      const ready = await eventually(
        'the image command to become ready',
        async () => {
          if (child!.exitCode !== null) throw new Error(`exited ${child!.exitCode}: ${lines.slice(-10).join('\n')}`);
          const res = await fetch(`http://127.0.0.1:${healthPort}${HEALTH_PATHS.readiness}`);
          return res.status === 200 ? ((await res.json()) as { reason: string }) : undefined;
        },
        90_000,
        200,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${lines.slice(-15).join('\n')}`);
      });
      expect(ready.reason).toBe(`polling task queue "${taskQueue}"`);
      // Started as production starts: prebuilt bundle, tuned allocator, V8 flag (no advice lines about them).
      expect(lines.some((l) => l.includes(`"workflowCode":"${imageEnv.LPA_WORKFLOW_BUNDLE}"`))).toBe(true);
      expect(lines.filter((l) => /not tuned|not bounded/.test(l))).toEqual([]);

      // The build id baked into the image is the version the worker registered.
      const connection = await Connection.connect({ address: services.temporalAddress });
      try {
        const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({
          namespace: services.temporalNamespace,
          deploymentName,
        });
        expect(workerDeploymentInfo?.versionSummaries?.map((v) => v.deploymentVersion?.buildId)).toEqual([buildId]);
      } finally {
        await connection.close();
      }

      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child!.once('exit', (c) => resolve(c)));
      expect(code).toBe(0);
      // Read-only root filesystem: the process wrote nothing beside its TMPDIR.
      expect(filesUnder(imageRoot).sort()).toEqual(before);
    });
  });
});
