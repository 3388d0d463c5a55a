import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { missingNodeFlags, RECOMMENDED_MALLOC_ENV } from '../../src/config/worker-env';
import { StackError } from './errors';
import { PROJECT_ROOT } from './paths';
import { startProcess, type ManagedProcess } from './process';
import { waitUntil } from './wait';
import { sharedWorkflowBundle } from './workflow-bundle';

/** The demo credentials: the values the emulators accept by default (emulators/*\/main.ts). Not secrets. */
export const DEMO_CREDENTIALS = {
  LP_DEMO_CLIENT_ID: 'lp-demo-client',
  LP_DEMO_CLIENT_SECRET: 'lp-demo-secret',
  GRAPH_DEMO_TENANT_ID: 'contoso-tenant',
  GRAPH_DEMO_CLIENT_ID: 'graph-demo-client',
  GRAPH_DEMO_CLIENT_SECRET: 'graph-demo-secret',
} as const;

/** The `credentialsRef` prefixes matching {@link DEMO_CREDENTIALS}. */
export const DEMO_CREDENTIALS_REF = { liveperson: 'LP_DEMO', graph: 'GRAPH_DEMO' } as const;

/** How long a stopping worker gets: its own shutdownGraceTime (30 s) lets running activities finish. */
export const WORKER_STOP_GRACE_MS = 40_000;

let compiled: Promise<string> | undefined;

/** Builds the project once per process (`tsc -p tsconfig.build.json` into dist/) and returns the worker's entry point. */
function compiledWorker(): Promise<string> {
  compiled ??= new Promise((resolve, reject) => {
    const tsc = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    execFile(
      process.execPath,
      [tsc, '-p', path.join(PROJECT_ROOT, 'tsconfig.build.json')],
      { cwd: PROJECT_ROOT },
      (err, stdout, stderr) => {
        if (err) reject(new StackError(`Building the worker (tsc -p tsconfig.build.json) failed:\n${stdout}${stderr}`, { cause: err }));
        else resolve(path.join(PROJECT_ROOT, 'dist', 'src', 'worker.js'));
      },
    );
  });
  return compiled;
}

/** The worker writes this once it polls its task queue (src/worker.ts). */
const READY = /polling task queue/;

/** Options of {@link startWorkerProcess}. */
export interface WorkerProcessOptions {
  /** Log prefix and service name in errors, e.g. `worker` or `worker-1#3`. */
  readonly name?: string;
  /** Added to the parent's environment (stack addresses, credentials, LPA_* settings). */
  readonly env: Readonly<Record<string, string>>;
  /** Each output line of the worker (JSON log lines, or anything else it prints). */
  readonly log: (line: string) => void;
  readonly startTimeoutMs?: number;
  /**
   * Load a workflow bundle made ahead of time, as production does (default true): keeps webpack out of the
   * worker process. False: the worker bundles the sources itself at start.
   */
  readonly prebundled?: boolean;
  /**
   * `tsx` (default): the TypeScript sources through the tsx loader, no build step (development, tests, demo).
   * `compiled`: `node dist/src/worker.js` after `tsc -p tsconfig.build.json`, how production runs it (no loader
   * in the process: about 45 MB less memory).
   */
  readonly runtime?: 'tsx' | 'compiled';
  /** Called as soon as the process runs, before it is ready (e.g. so a fault test can kill it while it starts). */
  readonly onSpawn?: (proc: ManagedProcess) => void;
  /** More node flags, before the entry point (e.g. `--cpu-prof` for the bench). */
  readonly nodeArgs?: readonly string[];
}

/**
 * Starts the real worker entry point, `node --import tsx src/worker.ts` (tsx: the converter loads mimetext
 * through require), and resolves once it polls its task queue. A worker that exits or never gets ready
 * rejects with its last output.
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<ManagedProcess> {
  const name = options.name ?? 'worker';
  let ready = false;
  const bundle: Record<string, string> = options.prebundled === false ? {} : { LPA_WORKFLOW_BUNDLE: await sharedWorkflowBundle() };
  const entry =
    options.runtime === 'compiled' ? [await compiledWorker()] : ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'worker.ts')];
  // Production's V8 flags (README, Running a worker), unless NODE_OPTIONS sets them otherwise (an A/B).
  const args = [...missingNodeFlags([], { ...process.env, ...options.env }), ...(options.nodeArgs ?? []), ...entry];
  const proc = await startProcess({
    name,
    command: process.execPath,
    args,
    cwd: PROJECT_ROOT,
    // Production's allocator settings (README, Running a worker), unless the caller's environment sets its own.
    // No env file unless the caller names one: a worker we start gets exactly the stack it is given, not
    // whatever the developer's .stack/env says.
    env: { ...withoutOverrides(RECOMMENDED_MALLOC_ENV), ...bundle, LPA_ENV_FILE: '', ...options.env },
    log: (line) => {
      if (READY.test(line)) ready = true;
      options.log(line);
    },
  });
  options.onSpawn?.(proc);
  try {
    await waitUntil('the worker', () => Promise.resolve(ready), {
      service: `${name} (src/worker.ts)`,
      timeoutMs: options.startTimeoutMs ?? 120_000,
      intervalMs: 100,
      process: proc,
    });
  } catch (err) {
    await proc.stop();
    throw err instanceof StackError ? err : new StackError(`The worker did not start: ${String(err)}`, { cause: err });
  }
  return proc;
}

/** The entries whose variable this process's environment does not set already. */
function withoutOverrides(defaults: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(defaults).filter(([k]) => process.env[k] === undefined));
}
