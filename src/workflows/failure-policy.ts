import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { CONFIG_ERROR_TYPES } from '../model';

export const THROTTLE_ERROR_TYPES = ['LivePersonThrottledError', 'GraphThrottledError'] as const;

export type FailureKind = 'needs-credentials' | 'throttled' | 'failing';

/** What an activity failure means for the connector: wait for an operator, or back off and retry. */
export function classifyFailure(err: unknown): { kind: FailureKind; message: string; type?: string } {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  const type = cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (type && (CONFIG_ERROR_TYPES as readonly string[]).includes(type)) return { kind: 'needs-credentials', message, type };
  if (type && (THROTTLE_ERROR_TYPES as readonly string[]).includes(type)) return { kind: 'throttled', message, type };
  return { kind: 'failing', message, ...(type ? { type } : {}) };
}

/** Workflow-level backoff after Temporal's own quick retries gave up: 30 s doubling to 10 min. */
export function backoffMs(failuresInARow: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failuresInARow - 1), 600_000);
}
