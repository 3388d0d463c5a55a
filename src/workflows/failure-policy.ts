import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { ERROR_KINDS, type ErrorKind, type FailureDetail } from '../model';

export type FailureKind = 'needs-credentials' | 'throttled' | 'failing';

/**
 * Kinds of the failures in histories recorded before failures carried their kind (their type was the error's
 * class name): those runs must replay to the same decisions.
 */
const KIND_BEFORE_DETAILS: Readonly<Record<string, ErrorKind>> = {
  LivePersonAuthError: 'configuration',
  LivePersonAccountError: 'configuration',
  GraphConfigError: 'configuration',
  MissingSecretError: 'configuration',
  ConfigError: 'configuration',
  LivePersonThrottledError: 'throttled',
  GraphThrottledError: 'throttled',
};

/** The kind an activity failure carries (see the worker's error interceptor), if any. */
export function failureKindOf(failure: ApplicationFailure): ErrorKind | undefined {
  const detail = failure.details?.[0] as Partial<FailureDetail> | undefined;
  const kind = detail?.kind;
  if (typeof kind === 'string' && (ERROR_KINDS as readonly string[]).includes(kind)) return kind;
  return failure.type ? KIND_BEFORE_DETAILS[failure.type] : undefined;
}

/** What an activity failure means for the connector: wait for an operator, or back off and retry. */
export function classifyFailure(err: unknown): { kind: FailureKind; message: string; type?: string } {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  const failure = cause instanceof ApplicationFailure ? cause : undefined;
  const type = failure?.type ?? undefined;
  const message = cause instanceof Error ? cause.message : String(cause);
  const kind = failure ? failureKindOf(failure) : undefined;
  const typed = type ? { type } : {};
  if (kind === 'configuration') return { kind: 'needs-credentials', message, ...typed };
  if (kind === 'throttled') return { kind: 'throttled', message, ...typed };
  return { kind: 'failing', message, ...typed };
}

/** Workflow-level backoff after Temporal's own quick retries gave up: 30 s doubling to 10 min. */
export function backoffMs(failuresInARow: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failuresInARow - 1), 600_000);
}
