import type { ConnectorState } from '../model';

/** The argument-less control verbs. */
export type ControlVerb = 'pause' | 'resume' | 'stop' | 'run-now';

/** What the CLI knows of the connector when the verb is given. */
export interface ConnectorNow {
  /** From the status query, else the LpConnectorState search attribute; undefined when neither answered. */
  readonly state?: ConnectorState;
  /** A window is being collected; undefined when unknown (no worker answered the query). */
  readonly inWindow?: boolean;
  readonly cursor?: string;
}

/** What sending the verb will really do, said before it is sent. */
export interface ControlOutcome {
  /** Whether the signal is worth sending (it changes something). */
  readonly send: boolean;
  /** False when the operator's intent cannot happen in this state: the command exits 1. */
  readonly ok: boolean;
  /** Completes "Connector "<name>" …". */
  readonly effect: string;
}

const AT = (now: ConnectorNow): string => (now.cursor ? ` (cursor ${now.cursor})` : '');

/**
 * The effect of `verb` on a connector in `now`'s state, as the connector workflow handles the signals: a
 * pause or stop waits for the current window; resume and run-now also end a failure backoff or the wait
 * for an operator (they retry the failed step); a paused connector collects nothing until resumed.
 */
export function controlOutcome(verb: ControlVerb, name: string, now: ConnectorNow): ControlOutcome {
  const { state, inWindow } = now;
  const retrying = state === 'throttled' || state === 'failing';
  if (state === 'stopped') {
    return {
      send: false,
      ok: verb === 'stop',
      effect: `is stopping already; "connector start <config-file>" starts it again from its cursor.`,
    };
  }
  switch (verb) {
    case 'pause':
      if (state === 'paused')
        return { send: false, ok: true, effect: `is already paused${AT(now)}; nothing changes. "connector resume ${name}" carries on.` };
      if (state === 'needs-credentials')
        return {
          send: true,
          ok: true,
          effect: `waits for an operator (needs-credentials) inside a window: it will pause once that window can finish, after its credentials are fixed ("connector reconfigure <config-file>", or "connector run-now ${name}" to retry).`,
        };
      if (inWindow === true || retrying)
        return { send: true, ok: true, effect: 'will pause once its current window is done (the cursor moves to its end first).' };
      if (inWindow === false) return { send: true, ok: true, effect: `pauses now${AT(now)}.` };
      return {
        send: true,
        ok: true,
        effect: 'pauses now, or after its current window if one is running (no worker answered to say which).',
      };
    case 'resume':
      if (state === 'paused') return { send: true, ok: true, effect: `resumes from its cursor${AT(now)}.` };
      if (retrying) return { send: true, ok: true, effect: `retries its failed step now instead of waiting out the backoff (${state}).` };
      if (state === 'needs-credentials')
        return {
          send: true,
          ok: true,
          effect:
            'retries now with the worker\'s current credentials; if they are still refused it waits again (check them first: "check <config-file>").',
        };
      if (state === undefined)
        return { send: true, ok: true, effect: 'resumes if it was paused (no worker answered to say whether it was).' };
      // A pause asked for during a window only shows once the window is done: resume still cancels it.
      if (inWindow !== false)
        return {
          send: true,
          ok: true,
          effect: `is running (${state}), not paused; a pause asked for during its current window is cancelled.`,
        };
      return { send: false, ok: true, effect: `is not paused (${state}); nothing changes.` };
    case 'run-now':
      if (state === 'paused')
        return {
          send: false,
          ok: false,
          effect: `is paused, so run-now would collect nothing. Resume it: "connector resume ${name}" (it carries on from its cursor).`,
        };
      if (retrying) return { send: true, ok: true, effect: `retries its failed step now instead of waiting out the backoff (${state}).` };
      if (state === 'needs-credentials') return { send: true, ok: true, effect: "retries now with the worker's current credentials." };
      if (state === 'catching-up')
        return { send: false, ok: true, effect: 'is catching up and collects without waiting already; nothing changes.' };
      if (inWindow === true)
        return {
          send: true,
          ok: true,
          effect: 'is collecting a window now; it collects again right after it, without waiting for its poll interval.',
        };
      if (state === 'starting') return { send: true, ok: true, effect: 'collects as soon as it has started.' };
      if (inWindow === false) return { send: true, ok: true, effect: 'collects now instead of waiting for its next poll.' };
      return { send: true, ok: true, effect: 'collects now, or right after its current window (no worker answered to say which).' };
    case 'stop':
      if (retrying || state === 'needs-credentials')
        return { send: true, ok: true, effect: 'stops now; the window it could not finish is collected again when it is started again.' };
      if (state === 'paused' || inWindow === false)
        return { send: true, ok: true, effect: `stops now${AT(now)}; "connector start <config-file>" carries on from its cursor.` };
      if (inWindow === true)
        return {
          send: true,
          ok: true,
          effect: 'will stop once its current window is done; "connector start <config-file>" carries on from its cursor.',
        };
      return {
        send: true,
        ok: true,
        effect: 'stops now, or after its current window if one is running (no worker answered to say which).',
      };
  }
}
