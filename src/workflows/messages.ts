import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ConnectorConfig, ConnectorStatus } from '../model';

/** The connector log: state, cursor, counts that add up, recent failure rows. */
export const statusQuery = defineQuery<ConnectorStatus>('status');
/** Stop collecting after the current window; resume continues from the cursor. */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** Finish the current window, then complete. */
export const stopSignal = defineSignal('stop');
/** Collect now instead of waiting for the next poll. */
export const runNowSignal = defineSignal('runNow');
/** Replace the configuration (validated by the sender); takes effect at the next window. */
export const reconfigureSignal = defineSignal<[ConnectorConfig]>('reconfigure');
