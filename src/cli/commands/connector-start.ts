import type { Command } from 'commander';
import { loadConnectorFile } from '../../config/load-connector-file';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { println } from '../io';
import { startConnector } from '../start-connector';
import { withClient } from '../temporal-client';

/** `connector start <config>`: validate a config file, then start (or resume after a stop) its workflow. */
export function registerConnectorStart(connector: Command, ctx: CliContext): void {
  connector
    .command('start')
    .argument('<config>', 'connector config file (YAML or JSON)')
    .description('Validate a connector config and start its workflow (a stopped connector resumes from its cursor)')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      const config = await loadConnectorFile(file);
      await withClient(temporalOverrides(cmd), ctx.io.env, async (c) => {
        const r = await startConnector(c.client, c.taskQueue, config);
        if (format === 'json') {
          println(ctx.io.stdout, JSON.stringify({ connector: config.name, ...r, taskQueue: c.taskQueue }, null, 2));
        } else {
          println(
            ctx.io.stdout,
            `Started connector "${config.name}" as workflow ${r.workflowId} on task queue ${c.taskQueue}${r.resumedFrom ? ` (resuming from ${r.resumedFrom})` : ''}`,
          );
        }
      });
    });
}
