import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ConnectorConfig, ConnectorStatus } from '../model';

/** The connector log: state, cursor, counts that add up, recent failure rows. */
export const statusQuery = defineQuery<ConnectorStatus>('status');
/** Stop collecting after the current window; resume continues from the cursor. */
export const pauseSignal = defineSignal('pause');
/** Resume after a pause; also retries at once a connector waiting for credentials or backing off. */
export const resumeSignal = defineSignal('resume');
/** Finish the current window, then complete (a later start carries on from the cursor). */
export const stopSignal = defineSignal('stop');
/** Collect now instead of waiting for the next poll; also ends a failure backoff early. */
export const runNowSignal = defineSignal('runNow');
/**
 * Replace the configuration. Validated by the workflow before it is accepted (the CLI validates the file
 * first); takes effect at the next activity, and wakes a connector that waits for credentials.
 */
export const reconfigureUpdate = defineUpdate<{ readonly accepted: true; readonly effectiveFrom: string }, [ConnectorConfig]>(
  'reconfigure',
);

/** Re-import a time range of conversation end times (ISO or epoch ms): checks each mailbox before each create. */
export const reimportUpdate = defineUpdate<
  { readonly reimportId: string; readonly windows: number },
  [{ readonly from: number; readonly to: number }]
>('reimport');
/** Retry the items logged as failed on these UTC days (YYYY-MM-DD), e.g. after fixing a mapping or a mailbox. */
export const retryFailedUpdate = defineUpdate<
  { readonly reimportId?: string; readonly failedRows: number; readonly windows: number },
  [{ readonly fromDay: string; readonly toDay: string }]
>('retryFailed');
