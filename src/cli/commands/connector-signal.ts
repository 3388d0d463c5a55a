import type { Command } from 'commander';
import type { SignalDefinition } from '@temporalio/client';
import { pauseSignal, resumeSignal, runNowSignal, stopSignal } from '../../workflows/messages';
import { findRunningConnector } from '../connector-lookup';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { println } from '../io';
import { withClient } from '../temporal-client';

interface SignalVerb {
  readonly signal: SignalDefinition<[]>;
  readonly description: string;
  readonly done: string;
}

/** The argument-less control verbs, each one signal to the running connector workflow. */
export const SIGNAL_VERBS = {
  pause: {
    signal: pauseSignal,
    description: 'Pause after the current window (the cursor stays put)',
    done: 'will pause after its current window',
  },
  resume: {
    signal: resumeSignal,
    description: 'Resume a paused connector (or one waiting for new credentials)',
    done: 'resumes from its cursor',
  },
  stop: {
    signal: stopSignal,
    description: 'Finish the current window, then stop (start it again to carry on)',
    done: 'will stop after its current window',
  },
  'run-now': { signal: runNowSignal, description: 'Collect now instead of waiting for the next poll', done: 'collects now' },
} as const satisfies Record<string, SignalVerb>;

/** `connector pause|resume|stop|run-now <name>`. */
export function registerConnectorSignals(connector: Command, ctx: CliContext): void {
  for (const [verb, v] of Object.entries(SIGNAL_VERBS)) {
    connector
      .command(verb)
      .argument('<name>', 'connector name')
      .description(v.description)
      .action(async (name: string, _opts: unknown, cmd: Command) => {
        const format = outputFormat(cmd, ['text', 'json']);
        await withClient(temporalOverrides(cmd), async (c) => {
          const { handle } = await findRunningConnector(c, name);
          await handle.signal(v.signal);
          if (format === 'json') println(ctx.io.stdout, JSON.stringify({ connector: name, workflowId: handle.workflowId, sent: verb }));
          else println(ctx.io.stdout, `Sent ${verb} to connector "${name}": it ${v.done}.`);
        });
      });
  }
}
