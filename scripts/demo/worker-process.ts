import * as path from 'node:path';
import { StackError } from '../lib/errors';
import { PROJECT_ROOT } from '../lib/paths';
import { findFreePort, isPortFree } from '../lib/ports';
import { startProcess, type ManagedProcess } from '../lib/process';
import { waitUntil } from '../lib/wait';

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

/** The worker writes this once it polls its task queue (src/worker.ts). */
const READY = /polling task queue/;

/** How long a stopping worker gets: its own shutdownGraceTime (30 s) lets running activities finish. */
export const WORKER_STOP_GRACE_MS = 40_000;

/**
 * Starts `node --import tsx src/worker.ts` (tsx is needed: the converter loads mimetext through require)
 * with the stack's environment and the demo credentials, and resolves once it polls its task queue.
 */
export async function startWorkerProcess(
  stackEnv: Readonly<Record<string, string>>,
  options: { readonly startTimeoutMs?: number; readonly progress: (m: string) => void },
): Promise<ManagedProcess> {
  const env: Record<string, string> = { ...stackEnv, ...DEMO_CREDENTIALS };
  // A worker from another terminal may hold the metrics port; metrics are optional for the demo, so move.
  const metrics = Number(env.LPA_METRICS_PORT);
  if (Number.isInteger(metrics) && metrics > 0 && !(await isPortFree(metrics))) {
    env.LPA_METRICS_PORT = String(await findFreePort());
    options.progress(`metrics port ${metrics} is taken (another worker?); this worker serves metrics on ${env.LPA_METRICS_PORT}`);
  }
  let ready = false;
  const proc = await startProcess({
    name: 'worker',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'worker.ts')],
    cwd: PROJECT_ROOT,
    env,
    log: (line) => {
      if (READY.test(line)) ready = true;
      process.stderr.write(`[worker] ${line}\n`);
    },
  });
  try {
    await waitUntil('the worker', () => Promise.resolve(ready), {
      service: 'worker (src/worker.ts)',
      timeoutMs: options.startTimeoutMs ?? 120_000,
      intervalMs: 200,
      process: proc,
    });
  } catch (err) {
    await proc.stop();
    throw err instanceof StackError ? err : new StackError(`The worker did not start: ${String(err)}`, { cause: err });
  }
  return proc;
}
