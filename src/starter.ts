/**
 * lp-archive ops CLI (noun–verb, like the `temporal` CLI): start connectors from a config file, query
 * their status (the connector log), and control them.
 */
import { Command } from 'commander';
import { formatStatus } from './cli/format-status';
import { startConnector } from './cli/start-connector';
import { connectClient } from './cli/temporal-client';
import { ConfigError } from './config/connector-schema';
import { loadConnectorFile } from './config/load-connector-file';
import { connectorWorkflowId, type ConnectorStatus } from './model';
import { pauseSignal, resumeSignal, runNowSignal, statusQuery, stopSignal } from './workflows/messages';

async function withClient<T>(fn: (c: Awaited<ReturnType<typeof connectClient>>) => Promise<T>): Promise<T> {
  const c = await connectClient();
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

export function buildCli(): Command {
  const program = new Command('lp-archive').description('Archive LivePerson conversations into Microsoft 365 mailboxes');
  const connector = program.command('connector').description('Manage connectors');

  connector
    .command('start')
    .argument('<config>', 'connector config file (YAML or JSON)')
    .description('Validate a connector config and start (or resume) its workflow')
    .action(async (file: string) => {
      const config = await loadConnectorFile(file);
      await withClient(async ({ client, taskQueue }) => {
        const r = await startConnector(client, taskQueue, config);
        console.log(`Started connector "${config.name}" as workflow ${r.workflowId}${r.resumedFrom ? ` (resuming from ${r.resumedFrom})` : ''}`);
      });
    });

  connector
    .command('status')
    .argument('<name>', 'connector name')
    .option('-o, --output <format>', 'text or json', 'text')
    .description("Print a connector's status: state, cursor, counts, recent failures")
    .action(async (name: string, opts: { output: string }) => {
      await withClient(async ({ client }) => {
        const s: ConnectorStatus = await client.workflow.getHandle(connectorWorkflowId(name)).query(statusQuery);
        console.log(opts.output === 'json' ? JSON.stringify(s, null, 2) : formatStatus(s));
      });
    });

  const signals = { pause: pauseSignal, resume: resumeSignal, stop: stopSignal, 'run-now': runNowSignal } as const;
  for (const [verb, signal] of Object.entries(signals)) {
    connector
      .command(verb)
      .argument('<name>', 'connector name')
      .description(`Send "${verb}" to a running connector`)
      .action(async (name: string) => {
        await withClient(async ({ client }) => {
          await client.workflow.getHandle(connectorWorkflowId(name)).signal(signal);
          console.log(`Sent ${verb} to connector "${name}"`);
        });
      });
  }
  return program;
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
      process.exit(1);
    });
}
