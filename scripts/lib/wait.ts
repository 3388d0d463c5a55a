import { HealthCheckTimeoutError, ServiceExitedError } from './errors';
import type { ManagedProcess } from './process';

/** Options shared by the health-check helpers. */
export interface WaitOptions {
  /** Name used in error messages, e.g. "Azurite". */
  readonly service?: string;
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** When given, waiting stops at once (with its last output) if this process exits. */
  readonly process?: ManagedProcess;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` until it resolves `true`, the deadline passes, or the watched process exits.
 * `probe` may throw; the last thrown message is reported on timeout.
 */
export async function waitUntil(target: string, probe: () => Promise<boolean>, options: WaitOptions = {}): Promise<void> {
  const service = options.service ?? target;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastProblem: string | undefined;
  for (;;) {
    const exit = options.process?.exitInfo();
    if (exit) throw new ServiceExitedError(service, exit.code, exit.signal, options.process?.recentOutput() ?? []);
    try {
      if (await probe()) return;
    } catch (err) {
      lastProblem = describeError(err);
    }
    if (Date.now() >= deadline) throw new HealthCheckTimeoutError(service, target, timeoutMs, lastProblem, options.process?.recentOutput());
    await sleep(intervalMs);
  }
}

/** `fetch failed` says little; its cause (e.g. ECONNREFUSED) says what is wrong. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return detail ? `${err.message}: ${detail}` : err.message;
}

/** Options of {@link waitForHttp}. */
export interface WaitForHttpOptions extends WaitOptions {
  /** Which statuses count as healthy; default: 2xx. */
  readonly acceptStatus?: (status: number) => boolean;
}

/** Polls `url` with GET until it answers with an accepted status. */
export async function waitForHttp(url: string, options: WaitForHttpOptions = {}): Promise<void> {
  const accept = options.acceptStatus ?? ((s: number) => s >= 200 && s < 300);
  await waitUntil(
    url,
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (accept(response.status)) return true;
      throw new Error(`HTTP ${response.status}`);
    },
    { service: options.service ?? url, ...options },
  );
}
