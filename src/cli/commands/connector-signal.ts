import type { Command } from 'commander';
import { SIGNAL_VERBS, sendControlSignal, type SignalVerb } from '../connector-control';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { println } from '../io';
import { withClient } from '../temporal-client';

export { SIGNAL_VERBS } from '../connector-control';

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
          const { workflowId } = await sendControlSignal(c, name, verb as SignalVerb);
          if (format === 'json') println(ctx.io.stdout, JSON.stringify({ connector: name, workflowId, sent: verb }));
          else println(ctx.io.stdout, `Sent ${verb} to connector "${name}": it ${v.done}.`);
        });
      });
  }
}
