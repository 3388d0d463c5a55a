import { condition, log } from '@temporalio/workflow';
import type { ConnectorEffects } from './connector-effects';
import type { Connector } from './connector-state';
import { backoffMs, classifyFailure } from './failure-policy';
import type { Guard } from './process-window';

/** Thrown inside a window when an operator stops the connector while it waits out a failure. */
export class WindowAbandoned extends Error {}
/** Thrown inside a window when the config changed while it waited: the window starts over with it. */
export class WindowRestart extends Error {}

/**
 * The connector's failure policy around each activity call: after Temporal's quick retries, show the connector
 * as throttled or failing and back off (30 s doubling to 10 min), or, for a configuration error, wait for an
 * operator (reconfigure, resume or run-now); then call again, without end. A stop ends the window
 * (WindowAbandoned); a reconfigure while waiting starts it over (WindowRestart).
 */
export function connectorGuard(c: Connector, fx: ConnectorEffects): Guard {
  return async (call) => {
    for (let tries = 0; ; tries++) {
      try {
        const result = await call(tries > 0);
        if (c.recovered()) fx.enter(c.workingState);
        return result;
      } catch (err) {
        const failure = classifyFailure(err);
        c.failed(failure.message);
        fx.enter(failure.kind);
        const seen = c.wakeups;
        const seenConfig = c.configVersion;
        if (failure.kind === 'needs-credentials') {
          log.warn('Connector needs an operator', { connector: c.config.name, type: failure.type });
          await condition(() => c.wakeups !== seen || c.stopRequested);
        } else {
          log.warn('Activity failed after its retries; backing off', { connector: c.config.name, type: failure.type, kind: failure.kind });
          await condition(() => c.wakeups !== seen || c.stopRequested, backoffMs(c.failuresInARow));
        }
        if (c.stopRequested) throw new WindowAbandoned();
        fx.enter(c.workingState);
        if (c.configVersion !== seenConfig) throw new WindowRestart();
      }
    }
  };
}
