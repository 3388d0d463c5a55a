import type { Command } from 'commander';
import { loadConnectorFile } from '../../config/load-connector-file';
import { reconfigureUpdate } from '../../workflows/messages';
import { findRunningConnector } from '../connector-lookup';
import { outputFormat, temporalOverrides, type CliContext } from '../context';
import { println } from '../io';
import { withClient } from '../temporal-client';
import { updateFailure } from '../update-failure';

/** `connector reconfigure <config>`: validate, then hand the new config to the running connector (named in the file). */
export function registerConnectorReconfigure(connector: Command, ctx: CliContext): void {
  connector
    .command('reconfigure')
    .argument('<config>', 'connector config file (YAML or JSON); its name must be a running connector')
    .description('Validate a changed config and apply it to the running connector from its next window')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const format = outputFormat(cmd, ['text', 'json']);
      const config = await loadConnectorFile(file);
      await withClient(temporalOverrides(cmd), ctx.io.env, async (c) => {
        const { handle } = await findRunningConnector(c, config.name);
        const ack = await handle
          .executeUpdate(reconfigureUpdate, { args: [config] })
          .catch((e: unknown) => updateFailure(config.name, e, 'refused the new configuration'));
        if (format === 'json')
          println(
            ctx.io.stdout,
            JSON.stringify({ connector: config.name, workflowId: handle.workflowId, accepted: true, effectiveFrom: ack.effectiveFrom }),
          );
        else
          println(
            ctx.io.stdout,
            `Connector "${config.name}" accepted the new configuration (from ${ack.effectiveFrom}); it applies from its next step.`,
          );
      });
    });
}
