import { MissingSecretError } from '../../config/secrets';

/**
 * The fix for settings missing from this command's environment: the operator's way to give them (the worker
 * needs them too, in its own environment).
 */
export function settingFix(variables: string): string {
  return `set ${variables} for this command and for the worker: against the local stack, start it (npm run stack or npm run demo write them to .stack/env, which this command reads) or pass --env-file <file>; elsewhere export them`;
}

/** Outcome of one preflight step. `warn` does not fail the check; `skip` follows an earlier failure. */
export const CHECK_STATUSES = ['ok', 'warn', 'fail', 'skip'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const CHECK_AREAS = ['config', 'liveperson', 'graph', 'storage', 'temporal'] as const;
export type CheckArea = (typeof CHECK_AREAS)[number];

export interface CheckResult {
  readonly area: CheckArea;
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to change, for `fail` and `warn`. */
  readonly fix?: string;
}

/** Collects results; a step that throws becomes a `fail` with the error's message and fix. */
export class CheckRecorder {
  readonly results: CheckResult[] = [];

  constructor(private readonly onResult: (r: CheckResult) => void = () => undefined) {}

  add(r: CheckResult): void {
    this.results.push(r);
    this.onResult(r);
  }

  /** Runs `step`; returns its value, or undefined after recording the failure (callers then skip what depends on it). */
  async step<T>(
    area: CheckArea,
    name: string,
    step: () => Promise<{ value: T; detail: string; warn?: string }>,
    fix: string,
  ): Promise<T | undefined> {
    try {
      const r = await step();
      this.add({ area, name, status: r.warn ? 'warn' : 'ok', detail: r.detail, ...(r.warn ? { fix: r.warn } : {}) });
      return r.value;
    } catch (err) {
      if (err instanceof MissingSecretError) {
        // The error's own wording is for the worker's log; here the operator at the terminal reads it.
        this.add({ area, name, status: 'fail', detail: `${err.variable} is not set (${err.purpose})`, fix });
        return undefined;
      }
      const e = err as Error & { fix?: unknown };
      const ownFix = typeof e.fix === 'string' ? e.fix : undefined;
      // Errors that carry their fix also end their message with it; print it once, on the fix line.
      const detail = (e.message ?? String(err)).replace(ownFix ? ` Fix: ${ownFix}` : /$^/, '');
      this.add({ area, name, status: 'fail', detail, fix: ownFix ?? fix });
      return undefined;
    }
  }

  skip(area: CheckArea, name: string, because: string): void {
    this.add({ area, name, status: 'skip', detail: because });
  }

  get failed(): boolean {
    return this.results.some((r) => r.status === 'fail');
  }
}
