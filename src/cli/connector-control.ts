import type { SignalDefinition } from '@temporalio/client';
import { pauseSignal, resumeSignal, retryFailedUpdate, runNowSignal, stopSignal } from '../workflows/messages';
import { findRunningConnector } from './connector-lookup';
import type { ConnectedClient } from './temporal-client';
import { updateFailure } from './update-failure';

interface SignalVerbSpec {
  readonly signal: SignalDefinition<[]>;
  readonly description: string;
  readonly done: string;
}

/** The argument-less control verbs, each one signal to the running connector workflow. */
export const SIGNAL_VERBS = {
  pause: {
    signal: pauseSignal,
    description: 'Pause: at once when idle, else after the current window (the cursor stays put)',
    done: 'will pause after its current window',
  },
  resume: {
    signal: resumeSignal,
    description: 'Resume a paused connector (or retry now one that waits after a failure or for new credentials)',
    done: 'resumes from its cursor',
  },
  stop: {
    signal: stopSignal,
    description: 'Finish the current window, then stop (start it again to carry on)',
    done: 'will stop after its current window',
  },
  'run-now': { signal: runNowSignal, description: 'Collect now instead of waiting for the next poll', done: 'collects now' },
} as const satisfies Record<string, SignalVerbSpec>;

/** The argument-less control verbs: pause, resume, stop, run-now. */
export type SignalVerb = keyof typeof SIGNAL_VERBS;

/** Sends a control signal to a running connector (`connector pause|resume|stop|run-now`, and the console). */
export async function sendControlSignal(c: ConnectedClient, name: string, verb: SignalVerb): Promise<{ workflowId: string }> {
  const { handle } = await findRunningConnector(c, name);
  await handle.signal(SIGNAL_VERBS[verb].signal);
  return { workflowId: handle.workflowId };
}

/**
 * Asks a running connector to retry the items its log shows as failed on `fromDay`..`toDay` (an update; the
 * workflow answers how many rows and windows it found). `connector retry-failed` and the console.
 */
export async function retryFailedDays(c: ConnectedClient, name: string, fromDay: string, toDay: string) {
  const { handle } = await findRunningConnector(c, name);
  return handle.executeUpdate(retryFailedUpdate, { args: [{ fromDay, toDay }] }).catch((e: unknown) => updateFailure(name, e));
}
