import * as fs from 'node:fs';
import { findFreePort } from '../../scripts/lib/ports';
import type { ManagedProcess } from '../../scripts/lib/process';
import { DEMO_CREDENTIALS, startWorkerProcess } from '../../scripts/lib/worker-process';

/** A worker child process (`node --import tsx src/worker.ts`) whose memory the bench watches. */
export interface BenchWorker {
  readonly proc: ManagedProcess;
  /** Peak resident set so far, MB: the kernel's VmHWM, or the highest sampled VmRSS if larger. */
  peakRssMb(): number;
  /** Resident set now, MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Set by `--cpu-prof <dir>`: each bench worker runs under `node --cpu-prof` and writes its profile there on exit. */
export const CPU_PROFILE_DIR_ENV = 'LPA_BENCH_CPU_PROFILE_DIR';

/** Starts the real worker entry point with the bench stack's environment and the emulators' demo credentials. */
export async function startBenchWorker(env: Readonly<Record<string, string>>): Promise<BenchWorker> {
  // As production runs it: compiled JavaScript and a workflow bundle made ahead of time.
  const proc = await startWorkerProcess({
    runtime: 'compiled',
    env: { ...env, ...DEMO_CREDENTIALS, LPA_METRICS_PORT: String(await findFreePort()) },
    ...(process.env[CPU_PROFILE_DIR_ENV] ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', process.env[CPU_PROFILE_DIR_ENV]] } : {}),
    // Only problems reach the bench's output; INFO lines stay in the worker (production default level).
    log: (line) => {
      if (/"level":"(WARN|ERROR)"/.test(line) || !line.startsWith('{')) process.stderr.write(`[worker] ${line.slice(0, 400)}\n`);
    },
  });
  let sampled = 0;
  const timer = setInterval(() => (sampled = Math.max(sampled, statusKb(proc.pid, 'VmRSS'))), 500);
  timer.unref();
  let lastHwm = 0;
  const peakRssMb = (): number => {
    lastHwm = Math.max(lastHwm, statusKb(proc.pid, 'VmHWM'));
    return Math.max(lastHwm, sampled) / 1024;
  };
  return {
    proc,
    peakRssMb,
    rssMb: () => statusKb(proc.pid, 'VmRSS') / 1024,
    async stop() {
      peakRssMb();
      clearInterval(timer);
      await proc.stop(40_000);
    },
  };
}
