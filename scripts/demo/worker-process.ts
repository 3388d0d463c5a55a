import { findFreePort, isPortFree } from '../lib/ports';
import type { ManagedProcess } from '../lib/process';
import { DEMO_CREDENTIALS, startWorkerProcess } from '../lib/worker-process';

/**
 * The demo's worker: the real entry point with the stack's environment and the demo credentials, its log
 * lines on stderr. Resolves once it polls its task queue.
 */
export async function startDemoWorker(
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
  return startWorkerProcess({
    env,
    ...(options.startTimeoutMs !== undefined ? { startTimeoutMs: options.startTimeoutMs } : {}),
    log: (line) => process.stderr.write(`[worker] ${line}\n`),
  });
}
