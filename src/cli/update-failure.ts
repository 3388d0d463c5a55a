import { WorkflowUpdateFailedError } from '@temporalio/client';
import { CliError } from './errors';

/**
 * Temporal's answer to an update that the workflow task carrying it never processed: the worker holding it died,
 * or the run ended (continue-as-new, stop) first. Nothing was applied, so sending it again is safe.
 */
export function isUnprocessedUpdate(err: unknown): boolean {
  return err instanceof WorkflowUpdateFailedError && (err.cause as { type?: string } | undefined)?.type === 'UnprocessedUpdate';
}

/**
 * An update's failure as the CLI reports it: not received (run it again), refused (the workflow's reason, after
 * `refusal`), anything else unchanged.
 */
export function updateFailure(name: string, err: unknown, refusal = 'refused'): never {
  if (isUnprocessedUpdate(err))
    throw new CliError(
      `Connector "${name}" did not receive the request: the worker or run that held it ended first (a restart or ` +
        'continue-as-new). Nothing was applied; run the same command again.',
    );
  if (err instanceof WorkflowUpdateFailedError) throw new CliError(`Connector "${name}" ${refusal}: ${err.cause?.message ?? err.message}`);
  throw err;
}
